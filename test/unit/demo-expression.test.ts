/**
 * The demo cohort's synthetic expression matrix and GMT (src/engine/demo/expression.ts):
 * determinism from the seed, a subject's column independent of the cohort size, the files'
 * layout (read back by the analysis's own readers), and the planted effects: each program is
 * shifted in the subjects the model says (IDH-mutant, EGFRvIII-positive, necrotic), the random
 * sets are not, and preranked GSEA between IDH classes finds the IDH program and no random set.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readGmt } from '../../src/engine/analysis/gsea/gmt';
import { gseaPreranked } from '../../src/engine/analysis/gsea/preranked';
import { rankGenes } from '../../src/engine/analysis/gsea/ranking';
import { readExpressionTable } from '../../src/engine/analysis/pipeline/enrichment';
import {
  DEMO_EXPRESSION_FILE,
  DEMO_GENE_SETS_FILE,
  EXPRESSION_MODEL,
  PLANTED_PROGRAMS,
  expressionCsv,
  generateDemoExpression,
  gmtText,
  writeDemoExpression,
  type DemoExpression,
} from '../../src/engine/demo/expression';
import { generateCohortTable } from '../../src/engine/demo/genotype';

const tempDirs: string[] = [];
afterAll(() => {
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
});

const SEED = 2026;
const table = generateCohortTable(SEED, 120);
const expr = generateDemoExpression(table, SEED);

/** Each gene standardised over the subjects, then the mean over a set's genes: one score per subject. */
function setScore(e: DemoExpression, genes: readonly string[]): Float64Array {
  const n = e.subjects.length;
  const out = new Float64Array(n);
  for (const gene of genes) {
    const g = e.genes.indexOf(gene);
    let m = 0;
    for (let j = 0; j < n; j++) m += e.values[g * n + j];
    m /= n;
    let v = 0;
    for (let j = 0; j < n; j++) v += (e.values[g * n + j] - m) ** 2;
    const sd = Math.sqrt(v / (n - 1));
    for (let j = 0; j < n; j++) out[j] += (e.values[g * n + j] - m) / sd / genes.length;
  }
  return out;
}

/** Difference of means of a per-subject score between the subjects where `inGroup` holds and the others. */
function meanDifference(score: Float64Array, inGroup: (i: number) => boolean): number {
  let a = 0;
  let na = 0;
  let b = 0;
  let nb = 0;
  score.forEach((v, i) => {
    if (inGroup(i)) {
      a += v;
      na++;
    } else {
      b += v;
      nb++;
    }
  });
  return a / na - b / nb;
}

function correlation(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i] / n;
    my += y[i] / n;
  }
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

describe('demo expression: shape and determinism', () => {
  it('has ~500 distinct genes x the cohort subjects, the planted programs disjoint, 30 sets', () => {
    expect(expr.genes).toHaveLength(EXPRESSION_MODEL.genes);
    expect(new Set(expr.genes).size).toBe(expr.genes.length);
    expect(expr.subjects).toEqual(table.map((s) => s.id));
    expect(expr.values).toHaveLength(500 * 120);
    expect(expr.values.every((v) => Number.isFinite(v))).toBe(true);
    const planted = PLANTED_PROGRAMS.flatMap((p) => p.genes);
    expect(new Set(planted).size).toBe(planted.length);
    expect(expr.sets.map((s) => s.name).slice(0, 3)).toEqual(['IDH_MUTANT_PROGRAM', 'EGFR_SIGNALLING', 'HYPOXIA_NECROSIS']);
    expect(expr.sets).toHaveLength(3 + EXPRESSION_MODEL.randomSets);
    for (const s of expr.sets.slice(3)) {
      expect(s.genes.length).toBeGreaterThanOrEqual(15);
      expect(s.genes.length).toBeLessThanOrEqual(60);
      // Random sets hold background genes only, so no planted effect can leak into them.
      expect(s.genes.every((g) => /^GENE\d{4}$/.test(g))).toBe(true);
    }
  });

  it('is a function of the seed: same seed, same text; another seed, other values and sets', () => {
    const again = generateDemoExpression(generateCohortTable(SEED, 120), SEED);
    expect(expressionCsv(again)).toBe(expressionCsv(expr));
    expect(gmtText(again.sets)).toBe(gmtText(expr.sets));
    const other = generateDemoExpression(table, SEED + 1);
    expect(expressionCsv(other)).not.toBe(expressionCsv(expr));
    expect(gmtText(other.sets)).not.toBe(gmtText(expr.sets));
  });

  it("gives a subject the same column whatever the cohort size", () => {
    const small = generateDemoExpression(generateCohortTable(SEED, 10), SEED);
    // Subject 3 (index 2) of a 10-subject cohort and of the 120-subject one.
    for (let g = 0; g < small.genes.length; g += 37) {
      expect(small.values[g * 10 + 2]).toBe(expr.values[g * 120 + 2]);
    }
  });
});

describe('demo expression: the planted effects', () => {
  it('shifts IDH_MUTANT_PROGRAM in IDH-mutant, EGFR_SIGNALLING in EGFRvIII-positive subjects, and not a random set', () => {
    const mutant = (i: number): boolean => table[i].idh1 === 'mutant';
    const egfr = (i: number): boolean => table[i].egfrviii === 'positive';
    // Planted: +1 gene SD x loading U(0.4, 1.4) (mean 0.9) before standardisation by the
    // total SD, so about 0.9 / sqrt(1 + 0.04 + share * (1 - share) * 0.81) ≈ 0.85 of the
    // gene SD; the set mean of ~20 genes keeps nearly all of it. Random sets: about 0 ± 0.1.
    expect(meanDifference(setScore(expr, PLANTED_PROGRAMS[0].genes), mutant)).toBeGreaterThan(0.6);
    expect(meanDifference(setScore(expr, PLANTED_PROGRAMS[1].genes), egfr)).toBeGreaterThan(0.6);
    expect(Math.abs(meanDifference(setScore(expr, expr.sets[3].genes), mutant))).toBeLessThan(0.25);
    expect(Math.abs(meanDifference(setScore(expr, expr.sets[3].genes), egfr))).toBeLessThan(0.25);
    // EGFR itself carries the amplicon on top of the program.
    const g = expr.genes.indexOf('EGFR');
    const egfrScore = Float64Array.from(table, (_, j) => expr.values[g * 120 + j]);
    expect(meanDifference(egfrScore, egfr)).toBeGreaterThan(1.5);
  });

  it('raises HYPOXIA_NECROSIS with the necrosis latent', () => {
    const necrosis = table.map((s) => s.phenotype.latent.necrosis);
    expect(correlation(setScore(expr, PLANTED_PROGRAMS[2].genes), necrosis)).toBeGreaterThan(0.6);
    expect(Math.abs(correlation(setScore(expr, expr.sets[4].genes), necrosis))).toBeLessThan(0.3);
  });

  it('writes files the analysis reads; GSEA between IDH classes finds the IDH program and no random set', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rgs-demo-expr-'));
    tempDirs.push(dir);
    const written = writeDemoExpression(dir, table, SEED);
    expect(written.expression).toBe(join(dir, DEMO_EXPRESSION_FILE));
    expect(written.geneSets).toBe(join(dir, DEMO_GENE_SETS_FILE));
    expect(readFileSync(written.expression, 'utf8').split('\n')[0]).toBe(['gene', ...table.map((s) => s.id)].join(','));
    const read = readExpressionTable(written.expression);
    expect(read.genes).toEqual(expr.genes);
    expect(read.subjects).toEqual(expr.subjects);
    // Written with 3 decimals.
    expect(Math.abs(read.values[5 * 120 + 7] - expr.values[5 * 120 + 7])).toBeLessThanOrEqual(0.0005);
    const sets = readGmt(written.geneSets);
    expect(sets.map((s) => s.name)).toEqual(expr.sets.map((s) => s.name));

    const ranking = rankGenes({ genes: read.genes, samples: 120, values: read.values }, table.map((s) => (s.idh1 === 'mutant' ? 1 : 0)));
    const res = gseaPreranked(ranking, sets, { permutations: 1000, seed: 5 });
    const idh = res.sets.find((s) => s.name === 'IDH_MUTANT_PROGRAM')!;
    expect(idh.nes).toBeGreaterThan(0);
    expect(idh.q).toBeLessThan(0.05);
    const random = res.sets.filter((s) => s.name.startsWith('RANDOM_SET_'));
    expect(random).toHaveLength(27);
    // 27 null sets at an FDR of 5%: allow one chance call at most.
    expect(random.filter((s) => s.q < 0.05).length).toBeLessThanOrEqual(1);
  });
});
