/**
 * The demo cohort's synthetic gene-expression matrix and gene sets, so that the analysis's
 * enrichment step (analysis.enrichment) has something to find: about 500 genes x the cohort's
 * subjects on a log2 scale, and a GMT file with three planted programs and random sets.
 *
 * Model, per gene g and subject s (values in the gene's own standard deviations):
 *   x[g, s] = mean_g + sd_g * (site_g[site of s] + loading_g * shift_P(s) + noise)
 * with mean_g ~ N(7, 1.5), sd_g ~ U(0.4, 1.2), a small per-site offset (batch effect,
 * N(0, 0.2)), noise ~ N(0, 1), and for the genes of a planted program P a shift driven by the
 * subject's genotype or tumour phenotype (genotype.ts), each gene with its own loading in
 * U(0.4, 1.4) (so the leading edge is a part of the set, as in real data):
 *
 * - IDH_MUTANT_PROGRAM: proneural / G-CIMP genes, higher in IDH-mutant tumours (G-CIMP
 *   tumours are proneural: Noushmehr et al., Cancer Cell 2010; Verhaak et al., Cancer Cell
 *   2010). Shift +1 in mutant tumours.
 * - EGFR_SIGNALLING: EGFR and the classical-subtype and MAPK-target genes that go with EGFR
 *   amplification / EGFRvIII (Verhaak 2010). Shift +1 in EGFRvIII-positive tumours; EGFR
 *   itself +2.5 (the amplicon).
 * - HYPOXIA_NECROSIS: HIF-1 targets, higher the more necrotic the tumour (necrosis and
 *   pseudopalisading hypoxia go together: Brat et al., Cancer Res 2004). Shift 0.8 x the
 *   subject's necrosis latent (standard normal within genotype; lower in IDH-mutant tumours).
 * - RANDOM_SET_01 … 27: 15 to 60 background genes drawn at random, with no planted effect: the
 *   sets a correct enrichment analysis should not call.
 * Background genes are named GENE0001 … (synthetic, not real genes); the planted programs use
 * real gene symbols for readability, but their values are simulated like the rest.
 *
 * Streams: gene parameters Rng(seed, 'expression-genes'), gene sets Rng(seed, 'gene-sets'),
 * each subject's column Rng(seed, 'expression', index): a subject's values do not depend on
 * the cohort size, as its clinical row does not (genotype.ts).
 */
import { join } from 'node:path';
import { writeFileAtomic } from '../util/atomic-write';
import type { DemoSubject } from './genotype';
import { Rng } from './rng';
import { SITES } from './genotype';

export const DEMO_EXPRESSION_FILE = 'expression.csv';
export const DEMO_GENE_SETS_FILE = 'gene_sets.gmt';

export const EXPRESSION_MODEL = {
  genes: 500,
  mean: { mean: 7, sd: 1.5 },
  sd: { min: 0.4, max: 1.2 },
  siteSd: 0.2,
  loading: { min: 0.4, max: 1.4 },
  idhShift: 1.0,
  egfrShift: 1.0,
  egfrAmplification: 2.5,
  necrosisLoading: 0.8,
  randomSets: 27,
  randomSetSize: { min: 15, max: 60 },
} as const;

export interface DemoGeneSet {
  name: string;
  description: string;
  genes: string[];
}

interface PlantedProgram extends DemoGeneSet {
  /** The shift of the program in subject s (gene SDs, before the gene's loading). */
  shift: (s: DemoSubject) => number;
}

const M = EXPRESSION_MODEL;

export const PLANTED_PROGRAMS: readonly PlantedProgram[] = [
  {
    name: 'IDH_MUTANT_PROGRAM',
    description: 'Proneural / G-CIMP genes, higher in IDH-mutant tumours (synthetic demo data)',
    genes: ['PDGFRA', 'OLIG2', 'OLIG1', 'NKX2-2', 'DLL3', 'ASCL1', 'SOX10', 'SOX8', 'ERBB3', 'TCF4', 'DCX', 'SOX4', 'SOX11', 'BCAN', 'GPR17', 'CSPG4', 'MYT1', 'NCAM1', 'PLP1', 'HDAC2'],
    shift: (s) => (s.idh1 === 'mutant' ? M.idhShift : 0),
  },
  {
    name: 'EGFR_SIGNALLING',
    description: 'EGFR, classical-subtype and MAPK-target genes, higher with EGFRvIII (synthetic demo data)',
    genes: ['EGFR', 'NES', 'NOTCH3', 'JAG1', 'LFNG', 'SMO', 'GAS1', 'GLI2', 'DUSP6', 'SPRY2', 'SPRY4', 'ETV4', 'ETV5', 'EGR1', 'FOS', 'PHLDA1', 'CCND1', 'MYC', 'SHC1', 'GRB2', 'SOS1', 'MAPK3'],
    shift: (s) => (s.egfrviii === 'positive' ? M.egfrShift : 0),
  },
  {
    name: 'HYPOXIA_NECROSIS',
    description: 'HIF-1 targets, higher in more necrotic tumours (synthetic demo data)',
    genes: ['VEGFA', 'CA9', 'ADM', 'SLC2A1', 'LDHA', 'PGK1', 'BNIP3', 'NDRG1', 'ENO1', 'HK2', 'PDK1', 'ANGPTL4', 'EGLN3', 'P4HA1', 'ERO1A', 'ANKRD37', 'PFKFB3', 'ALDOA', 'DDIT4', 'LOX', 'PLOD2', 'KDM3A', 'MXI1', 'BHLHE40'],
    shift: (s) => M.necrosisLoading * s.phenotype.latent.necrosis,
  },
];

export interface DemoExpression {
  /** Gene identifiers, sorted. */
  genes: string[];
  subjects: string[];
  /** Gene-major: value (g, s) at values[g * subjects.length + s] (log2 scale). */
  values: Float64Array;
  /** The planted programs, then the random sets. */
  sets: DemoGeneSet[];
}

function backgroundName(i: number): string {
  return `GENE${String(i + 1).padStart(4, '0')}`;
}

/** The demo expression matrix of a cohort table (see the module comment). */
export function generateDemoExpression(table: readonly DemoSubject[], seed: number): DemoExpression {
  const planted = PLANTED_PROGRAMS.flatMap((p) => p.genes);
  const background = Array.from({ length: M.genes - planted.length }, (_, i) => backgroundName(i));
  const genes = [...planted, ...background].sort();
  const nGenes = genes.length;

  // Gene parameters, drawn in the sorted gene order.
  const geneRng = new Rng(seed, 'expression-genes');
  const mean = new Float64Array(nGenes);
  const sd = new Float64Array(nGenes);
  const site = new Float64Array(nGenes * SITES.length);
  for (let g = 0; g < nGenes; g++) {
    mean[g] = geneRng.gaussian(M.mean.mean, M.mean.sd);
    sd[g] = geneRng.between(M.sd.min, M.sd.max);
    for (let k = 0; k < SITES.length; k++) site[g * SITES.length + k] = geneRng.gaussian(0, M.siteSd);
  }
  // Each planted gene's program and loading.
  const index = new Map(genes.map((g, i) => [g, i]));
  const program = new Int32Array(nGenes).fill(-1);
  const loading = new Float64Array(nGenes);
  PLANTED_PROGRAMS.forEach((p, k) => {
    for (const gene of p.genes) {
      const g = index.get(gene)!;
      program[g] = k;
      loading[g] = geneRng.between(M.loading.min, M.loading.max);
    }
  });
  const egfr = index.get('EGFR')!;

  const n = table.length;
  const values = new Float64Array(nGenes * n);
  const noise = new Float64Array(nGenes);
  table.forEach((s, j) => {
    new Rng(seed, 'expression', s.index).fillNormal(noise, nGenes);
    const shifts = PLANTED_PROGRAMS.map((p) => p.shift(s));
    const siteIndex = SITES.indexOf(s.site);
    for (let g = 0; g < nGenes; g++) {
      let z = site[g * SITES.length + siteIndex] + noise[g];
      if (program[g] >= 0) z += loading[g] * shifts[program[g]];
      if (g === egfr && s.egfrviii === 'positive') z += M.egfrAmplification;
      values[g * n + j] = mean[g] + sd[g] * z;
    }
  });

  const setRng = new Rng(seed, 'gene-sets');
  const sets: DemoGeneSet[] = PLANTED_PROGRAMS.map((p) => ({ name: p.name, description: p.description, genes: [...p.genes] }));
  for (let r = 0; r < M.randomSets; r++) {
    const size = M.randomSetSize.min + Math.floor(setRng.uniform() * (M.randomSetSize.max - M.randomSetSize.min + 1));
    // Partial Fisher–Yates over the background genes.
    const pool = [...background];
    for (let i = 0; i < size; i++) {
      const k = i + Math.floor(setRng.uniform() * (pool.length - i));
      [pool[i], pool[k]] = [pool[k], pool[i]];
    }
    sets.push({
      name: `RANDOM_SET_${String(r + 1).padStart(2, '0')}`,
      description: 'Random background genes, no planted effect (synthetic demo data)',
      genes: pool.slice(0, size).sort(),
    });
  }
  return { genes, subjects: table.map((s) => s.id), values, sets };
}

/** expression.csv text: header `gene,<subject id>,…`, one gene per row, 3 decimals, LF line ends. */
export function expressionCsv(e: DemoExpression): string {
  const n = e.subjects.length;
  const lines = [['gene', ...e.subjects].join(',')];
  e.genes.forEach((gene, g) => {
    const cells = [gene];
    for (let j = 0; j < n; j++) cells.push(e.values[g * n + j].toFixed(3));
    lines.push(cells.join(','));
  });
  return lines.join('\n') + '\n';
}

/** GMT text (Broad/MSigDB format): `name<TAB>description<TAB>gene<TAB>…`, one set per line. */
export function gmtText(sets: readonly DemoGeneSet[]): string {
  for (const s of sets) {
    for (const field of [s.name, s.description, ...s.genes]) {
      // A tab or line break inside a field would shift every later field of the line.
      if (/[\t\r\n]/.test(field)) throw new Error(`GMT writer: field ${JSON.stringify(field)} of set ${s.name} contains a tab or line break`);
    }
  }
  return sets.map((s) => [s.name, s.description, ...s.genes].join('\t')).join('\n') + '\n';
}

/**
 * Writes expression.csv and gene_sets.gmt for the cohort table into `dir` (atomically); returns
 * their paths and the bytes written.
 */
export function writeDemoExpression(dir: string, table: readonly DemoSubject[], seed: number): { expression: string; geneSets: string; bytes: number } {
  const e = generateDemoExpression(table, seed);
  const files = { expression: join(dir, DEMO_EXPRESSION_FILE), geneSets: join(dir, DEMO_GENE_SETS_FILE) };
  const csv = expressionCsv(e);
  const gmt = gmtText(e.sets);
  writeFileAtomic(files.geneSets, gmt);
  writeFileAtomic(files.expression, csv);
  return { ...files, bytes: Buffer.byteLength(csv, 'utf8') + Buffer.byteLength(gmt, 'utf8') };
}
