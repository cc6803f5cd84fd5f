/**
 * The demo cohort's clinical and genomic table (table only, no images): genotype rates within
 * binomial tolerance of the model, the genotype -> phenotype links with their intended strength
 * (predictive, never perfectly), and the survival model's effects as Kaplan-Meier medians.
 */
import { describe, expect, it } from 'vitest';
import {
  CLINICAL_COLUMNS,
  type DemoSubject,
  GENOTYPE_MODEL,
  SITES,
  clinicalCsv,
  generateCohortTable,
} from '../../src/engine/demo/genotype';
import { SURVIVAL_MODEL, medianSurvivalMonths } from '../../src/engine/demo/survival';

const N = 5000;
const table = generateCohortTable(2026, N);
const mutant = table.filter((s) => s.idh1 === 'mutant');
const wildtype = table.filter((s) => s.idh1 === 'wildtype');

/** |observed - p| within 4 binomial sd for a sample of n. */
function expectRate(observed: number, p: number, n: number) {
  expect(Math.abs(observed - p)).toBeLessThanOrEqual(4 * Math.sqrt((p * (1 - p)) / n));
}

function rate(rows: DemoSubject[], f: (s: DemoSubject) => boolean): number {
  return rows.filter(f).length / rows.length;
}

/** Kaplan-Meier median survival (first time the survival curve falls to 0.5 or below). */
function kmMedian(rows: DemoSubject[]): number {
  const s = [...rows].sort((a, b) => a.survival_months - b.survival_months);
  let atRisk = s.length;
  let surv = 1;
  for (let i = 0; i < s.length; ) {
    const t = s[i].survival_months;
    let deaths = 0;
    let leaving = 0;
    while (i < s.length && s[i].survival_months === t) {
      deaths += s[i].death;
      leaving++;
      i++;
    }
    surv *= 1 - deaths / atRisk;
    atRisk -= leaving;
    if (surv <= 0.5) return t;
  }
  return Infinity;
}

/** Mann-Whitney AUC of `score` for the positive class (ties count 1/2). */
function auc(rows: DemoSubject[], score: (s: DemoSubject) => number, positive: (s: DemoSubject) => boolean): number {
  const pos = rows.filter(positive).map(score);
  const neg = rows.filter((s) => !positive(s)).map(score);
  const all = [...pos.map((v) => ({ v, p: 1 })), ...neg.map((v) => ({ v, p: 0 }))].sort((a, b) => a.v - b.v);
  let rankSum = 0;
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j < all.length && all[j].v === all[i].v) j++;
    const midRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) if (all[k].p) rankSum += midRank;
    i = j;
  }
  return (rankSum - (pos.length * (pos.length + 1)) / 2) / (pos.length * neg.length);
}

describe('demo cohort table: genotype rates', () => {
  const g = GENOTYPE_MODEL;
  const pIdh = g.idhMutantRate;

  it('draws IDH1, sex and site at the model rates', () => {
    expectRate(mutant.length / N, pIdh, N);
    expectRate(rate(table, (s) => s.sex === 'M'), g.maleRate, N);
    const total = g.siteWeights.reduce((a, b) => a + b, 0);
    SITES.forEach((site, i) => expectRate(rate(table, (s) => s.site === site), g.siteWeights[i] / total, N));
  });

  it('draws MGMT and EGFRvIII conditionally on IDH, giving ~40% and ~30% overall', () => {
    expectRate(rate(mutant, (s) => s.mgmt === 'methylated'), g.mgmtMethylated.mutant, mutant.length);
    expectRate(rate(wildtype, (s) => s.mgmt === 'methylated'), g.mgmtMethylated.wildtype, wildtype.length);
    const pMgmt = pIdh * g.mgmtMethylated.mutant + (1 - pIdh) * g.mgmtMethylated.wildtype;
    expectRate(rate(table, (s) => s.mgmt === 'methylated'), pMgmt, N);
    expect(pMgmt).toBeGreaterThan(0.35);
    expect(pMgmt).toBeLessThan(0.45);
    const pEgfr = pIdh * g.egfrviii.mutant + (1 - pIdh) * g.egfrviii.wildtype;
    expectRate(rate(table, (s) => s.egfrviii === 'positive'), pEgfr, N);
    expect(Math.abs(pEgfr - 0.3)).toBeLessThan(0.02);
  });

  it('codeletes 1p/19q only in IDH-mutant tumours', () => {
    expect(wildtype.filter((s) => s.codeletion_1p19q === 'codeleted')).toEqual([]);
    expectRate(rate(mutant, (s) => s.codeletion_1p19q === 'codeleted'), g.codeletion.mutant, mutant.length);
  });

  it('makes IDH-mutant patients younger', () => {
    const meanAge = (rows: DemoSubject[]) => rows.reduce((a, s) => a + s.age, 0) / rows.length;
    expect(meanAge(wildtype) - meanAge(mutant)).toBeGreaterThan(10);
    expect(table.every((s) => Number.isInteger(s.age) && s.age >= g.age.min && s.age <= g.age.max)).toBe(true);
  });
});

describe('demo cohort table: genotype -> imaging phenotype', () => {
  const isMutant = (s: DemoSubject) => s.idh1 === 'mutant';

  it('gives IDH-mutant tumours less necrosis, weaker enhancement and a frontal predilection', () => {
    const necrosis = auc(table, (s) => -s.phenotype.necrosisFraction, isMutant);
    const enhancement = auc(table, (s) => -s.phenotype.gadoliniumMm, isMutant);
    const frontal = auc(table, (s) => (s.phenotype.frontal ? 1 : 0), isMutant);
    for (const a of [necrosis, enhancement, frontal]) {
      expect(a).toBeGreaterThan(0.62);
      expect(a).toBeLessThan(0.8);
    }
  });

  it('lets the imaging traits together predict IDH around AUC 0.8, not perfectly', () => {
    // The likelihood-ratio score of the three traits: each latent is N(shift, 1) (shifts -1.0
    // and -0.9 for IDH mutant), frontal with probability 0.7 (mutant) vs 0.3, log(7/3) = 0.85.
    const score = (s: DemoSubject) =>
      -1.0 * s.phenotype.latent.necrosis - 0.9 * s.phenotype.latent.enhancement + (s.phenotype.frontal ? 0.85 : -0.85);
    const a = auc(table, score, isMutant);
    expect(a).toBeGreaterThan(0.78);
    expect(a).toBeLessThan(0.9);
  });

  it('gives EGFRvIII-positive tumours more oedema and MGMT-methylated ones a coarser texture', () => {
    const oedema = auc(table, (s) => s.phenotype.oedemaExtentMm, (s) => s.egfrviii === 'positive');
    const texture = auc(table, (s) => s.phenotype.textureLengthMm, (s) => s.mgmt === 'methylated');
    for (const a of [oedema, texture]) {
      expect(a).toBeGreaterThan(0.68);
      expect(a).toBeLessThan(0.85);
    }
  });

  it('keeps every physical trait within its documented range', () => {
    const outOfRange = table.filter(({ phenotype: p }) => {
      return !(
        p.coreRadiusMm >= 9 &&
        p.coreRadiusMm <= 27 &&
        p.necrosisFraction >= 0.3 &&
        p.necrosisFraction <= 0.85 &&
        p.oedemaExtentMm >= 3 &&
        p.oedemaExtentMm <= 35 &&
        p.gadoliniumMm > 0 &&
        (p.hemisphere === 1 || p.hemisphere === -1)
      );
    });
    expect(outOfRange).toEqual([]);
  });
});

describe('demo cohort table: survival', () => {
  it('censors 20-30% of patients', () => {
    const censored = rate(table, (s) => s.death === 0);
    expect(censored).toBeGreaterThanOrEqual(0.2);
    expect(censored).toBeLessThanOrEqual(0.3);
    expect(table.every((s) => s.survival_months > 0 && Math.round(s.survival_months * 10) === s.survival_months * 10)).toBe(true);
  });

  it('gives longer Kaplan-Meier median survival to IDH-mutant, MGMT-methylated and younger patients', () => {
    expect(kmMedian(mutant)).toBeGreaterThan(1.5 * kmMedian(wildtype));
    const wtMeth = wildtype.filter((s) => s.mgmt === 'methylated');
    const wtUnmeth = wildtype.filter((s) => s.mgmt === 'unmethylated');
    expect(kmMedian(wtMeth)).toBeGreaterThan(1.2 * kmMedian(wtUnmeth));
    const young = wildtype.filter((s) => s.age < 55);
    const old = wildtype.filter((s) => s.age >= 65);
    expect(kmMedian(young)).toBeGreaterThan(kmMedian(old));
    // Overall median in the range of treated glioblastoma (14.6 months, Stupp et al. 2005).
    const all = kmMedian(table);
    expect(all).toBeGreaterThan(12);
    expect(all).toBeLessThan(20);
  });

  it('puts the reference patient at the documented median and decreases it with hazard', () => {
    expect(medianSurvivalMonths(0)).toBeCloseTo(SURVIVAL_MODEL.referenceMedianMonths, 10);
    expect(medianSurvivalMonths(0.5)).toBeLessThan(medianSurvivalMonths(0));
    expect(medianSurvivalMonths(-0.5)).toBeGreaterThan(medianSurvivalMonths(0));
  });
});

describe('demo cohort table: determinism and format', () => {
  it('is a function of the seed, and the first rows of a larger table equal a smaller one', () => {
    const a = generateCohortTable(7, 40);
    expect(generateCohortTable(7, 40)).toEqual(a);
    expect(generateCohortTable(7, 200).slice(0, 40)).toEqual(a);
    expect(generateCohortTable(8, 40)).not.toEqual(a);
  });

  it('writes clinical.csv with the documented columns and values', () => {
    const rows = generateCohortTable(2026, 30);
    const lines = clinicalCsv(rows).trimEnd().split('\n');
    expect(lines[0]).toBe(CLINICAL_COLUMNS.join(','));
    expect(lines[0]).toBe('subject_id,age,sex,idh1,mgmt,codeletion_1p19q,egfrviii,survival_months,death');
    expect(lines).toHaveLength(31);
    lines.slice(1).forEach((line, i) => {
      const f = line.split(',');
      expect(f[0]).toBe(`GBM-${String(i + 1).padStart(3, '0')}`);
      expect(['M', 'F']).toContain(f[2]);
      expect(['mutant', 'wildtype']).toContain(f[3]);
      expect(['methylated', 'unmethylated']).toContain(f[4]);
      expect(['codeleted', 'intact']).toContain(f[5]);
      expect(['positive', 'negative']).toContain(f[6]);
      expect(f[7]).toMatch(/^\d+\.\d$/);
      expect(['0', '1']).toContain(f[8]);
    });
  });
});
