/**
 * The clinical and genomic table of the demo cohort, and each subject's tumour phenotype (the
 * latent imaging traits the renderer turns into a tumour). Genotype drives phenotype as the
 * literature reports, each link diluted by subject-level noise so that imaging predicts a
 * genotype with an AUC around 0.8, never perfectly (docs/demo-cohort.md, "Genotype" and
 * "Genotype to phenotype").
 *
 * Every subject draws from its own stream Rng(seed, 'subject', index), so the first N rows of a
 * large table are the table of an N-subject cohort, and a table can be generated without
 * rendering any image (generateCohortTable).
 */
import { Rng } from './rng';
import { sampleSurvival, survivalLinearPredictor } from './survival';

export const SITES = ['site-A', 'site-B', 'site-C'] as const;
export type SiteName = (typeof SITES)[number];

export const GENOTYPE_MODEL = {
  /** Demo enrichment: about 10% of glioblastomas are IDH-mutant (Yan et al. 2009); 20% here so a
   *  120-subject cohort holds about 24 mutant cases to learn from. */
  idhMutantRate: 0.2,
  /** Glioblastoma is more common in men, about 1.6 : 1 (CBTRUS, Ostrom et al.). */
  maleRate: 0.6,
  /** Age at diagnosis (years): IDH-mutant patients are younger (Parsons et al. 2008; Yan 2009). */
  age: { wildtype: { mean: 61, sd: 11 }, mutant: { mean: 46, sd: 13 }, min: 18, max: 89 },
  /** MGMT promoter methylation: about 40% overall; most IDH-mutant tumours are methylated
   *  (G-CIMP, Noushmehr et al. 2010). */
  mgmtMethylated: { mutant: 0.8, wildtype: 0.33 },
  /** 1p/19q codeletion occurs only with an IDH mutation (WHO 2016/2021). */
  codeletion: { mutant: 0.35, wildtype: 0 },
  /** EGFRvIII: about 30% overall, a feature of EGFR-amplified IDH-wildtype tumours. */
  egfrviii: { mutant: 0.02, wildtype: 0.37 },
  /** Share of subjects scanned at each site. */
  siteWeights: [0.4, 0.35, 0.25],
} as const;

/**
 * Genotype to phenotype. Each latent is standard normal noise plus a genotype shift (in sd);
 * the shift is the standardised effect size d of that genotype on that trait.
 */
export const PHENOTYPE_MODEL = {
  /** IDH mutant: less necrosis (Lai et al. 2011, J Clin Oncol 29:4482; Yamashita et al. 2016,
   *  AJNR 37:58). */
  necrosisIdhShift: -1.0,
  /** IDH mutant: weaker, patchier enhancement (Lai 2011; Carrillo et al. 2012, AJNR 33:1349). */
  enhancementIdhShift: -0.9,
  /** IDH mutant: mostly frontal (Lai 2011). */
  frontalRate: { mutant: 0.7, wildtype: 0.3 },
  /** EGFRvIII / EGFR amplification: more peritumoural oedema relative to the enhancing tumour
   *  (Aghi et al. 2005, Clin Cancer Res 11:8600; Bakas et al. 2017, Clin Cancer Res 23:4724). */
  oedemaEgfrShift: 1.3,
  /** MGMT methylated: a subtle change of texture, coarser and more homogeneous (Drabycz et al.
   *  2010, NeuroImage 49:1398; Korfiatis et al. 2016). */
  textureMgmtShift: 1.0,
  /** 1p/19q codeleted: more heterogeneous signal (calcification, mixed signal: Megyesi et al.
   *  2004, Clin Cancer Res 10:4303). */
  heterogeneityCodeletionShift: 1.2,
} as const;

export interface TumourPhenotype {
  /** +1 right hemisphere, -1 left. */
  hemisphere: 1 | -1;
  frontal: boolean;
  /** Median radius (mm) of the tumour core (necrosis + enhancing rim) before lobulation. */
  coreRadiusMm: number;
  /** Necrosis radius as a fraction of the core radius. */
  necrosisFraction: number;
  /** Gadolinium concentration (mM) in the enhancing rim at the time of the T1CE scan. */
  gadoliniumMm: number;
  /** Reach (mm) of the oedema into white matter beyond the core. */
  oedemaExtentMm: number;
  /** Kernel sd (mm) of the tumour texture field. */
  textureLengthMm: number;
  /** Relative amplitude of the tumour texture (water-content fluctuation). */
  textureAmplitude: number;
  /** The standard-normal latents behind the traits above. */
  latent: { size: number; necrosis: number; enhancement: number; oedema: number; texture: number; heterogeneity: number };
}

export interface DemoSubject {
  index: number;
  id: string;
  site: SiteName;
  age: number;
  sex: 'M' | 'F';
  idh1: 'mutant' | 'wildtype';
  mgmt: 'methylated' | 'unmethylated';
  codeletion_1p19q: 'codeleted' | 'intact';
  egfrviii: 'positive' | 'negative';
  survival_months: number;
  death: 0 | 1;
  phenotype: TumourPhenotype;
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

/** Subject id for 0-based index i: GBM-001, ... (wider when the cohort needs it). */
export function subjectId(i: number, total: number): string {
  const width = Math.max(3, String(total).length);
  return `GBM-${String(i + 1).padStart(width, '0')}`;
}

/** Draw subject `index` of the cohort with this seed. */
export function generateSubject(seed: number, index: number, total: number): DemoSubject {
  const rng = new Rng(seed, 'subject', index);
  const g = GENOTYPE_MODEL;
  const p = PHENOTYPE_MODEL;
  const site = SITES[rng.categorical(g.siteWeights)];
  const idhMutant = rng.bernoulli(g.idhMutantRate);
  const sex = rng.bernoulli(g.maleRate) ? 'M' : 'F';
  const ageModel = idhMutant ? g.age.mutant : g.age.wildtype;
  const age = Math.round(clamp(rng.gaussian(ageModel.mean, ageModel.sd), g.age.min, g.age.max));
  const mgmtMethylated = rng.bernoulli(idhMutant ? g.mgmtMethylated.mutant : g.mgmtMethylated.wildtype);
  const codeleted = rng.bernoulli(idhMutant ? g.codeletion.mutant : g.codeletion.wildtype);
  const egfrPositive = rng.bernoulli(idhMutant ? g.egfrviii.mutant : g.egfrviii.wildtype);

  const latent = {
    size: rng.normal(),
    necrosis: rng.normal() + (idhMutant ? p.necrosisIdhShift : 0),
    enhancement: rng.normal() + (idhMutant ? p.enhancementIdhShift : 0),
    oedema: rng.normal() + (egfrPositive ? p.oedemaEgfrShift : 0),
    texture: rng.normal() + (mgmtMethylated ? p.textureMgmtShift : 0),
    heterogeneity: rng.normal() + (codeleted ? p.heterogeneityCodeletionShift : 0),
  };
  const frontal = rng.bernoulli(idhMutant ? p.frontalRate.mutant : p.frontalRate.wildtype);
  const hemisphere: 1 | -1 = rng.bernoulli(0.5) ? 1 : -1;
  // Mapping latents to physical traits (ranges: docs/demo-cohort.md, "Tumour").
  const phenotype: TumourPhenotype = {
    hemisphere,
    frontal,
    coreRadiusMm: clamp(17 * Math.exp(0.2 * latent.size), 9, 27),
    necrosisFraction: clamp(0.62 + 0.09 * latent.necrosis, 0.3, 0.85),
    gadoliniumMm: clamp(0.22 * Math.exp(0.35 * latent.enhancement), 0.04, 0.8),
    oedemaExtentMm: clamp(11 * Math.exp(0.3 * latent.oedema), 3, 35),
    textureLengthMm: clamp(2.2 * Math.exp(0.3 * latent.texture), 1.5, 5),
    textureAmplitude: clamp(0.1 * Math.exp(-0.2 * latent.texture + 0.25 * latent.heterogeneity), 0.03, 0.3),
    latent,
  };

  // The necrosis latent is centred on the wildtype mean so that the IDH effect on survival is
  // not counted twice through it.
  const eta = survivalLinearPredictor({
    age,
    idhMutant,
    mgmtMethylated,
    necrosisLatent: latent.necrosis - (idhMutant ? p.necrosisIdhShift : 0),
  });
  const outcome = sampleSurvival(rng, eta);
  return {
    index,
    id: subjectId(index, total),
    site,
    age,
    sex,
    idh1: idhMutant ? 'mutant' : 'wildtype',
    mgmt: mgmtMethylated ? 'methylated' : 'unmethylated',
    codeletion_1p19q: codeleted ? 'codeleted' : 'intact',
    egfrviii: egfrPositive ? 'positive' : 'negative',
    survival_months: outcome.months,
    death: outcome.event,
    phenotype,
  };
}

/** The table of an n-subject cohort, without images. */
export function generateCohortTable(seed: number, n: number): DemoSubject[] {
  const out: DemoSubject[] = [];
  for (let i = 0; i < n; i++) out.push(generateSubject(seed, i, n));
  return out;
}

export const CLINICAL_COLUMNS = [
  'subject_id',
  'age',
  'sex',
  'idh1',
  'mgmt',
  'codeletion_1p19q',
  'egfrviii',
  'survival_months',
  'death',
] as const;

/** clinical.csv text (LF line ends, header first). */
export function clinicalCsv(subjects: readonly DemoSubject[]): string {
  const lines = [CLINICAL_COLUMNS.join(',')];
  for (const s of subjects) {
    lines.push(
      [s.id, s.age, s.sex, s.idh1, s.mgmt, s.codeletion_1p19q, s.egfrviii, s.survival_months.toFixed(1), s.death].join(','),
    );
  }
  return lines.join('\n') + '\n';
}
