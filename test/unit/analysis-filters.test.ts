import { describe, expect, it } from 'vitest';
import { nearZeroVariance } from '../../src/engine/analysis/filters/near-zero-variance';
import { correlationFilter } from '../../src/engine/analysis/filters/correlation';
import { coxScoreZ, pearson, univariateAssociation } from '../../src/engine/analysis/filters/association';
import {
  adjustPValues,
  chiSquareIndependence,
  univariateFilter,
  welchTTest,
  wilcoxonRankSum,
} from '../../src/engine/analysis/filters/univariate';
import { midranks } from '../../src/engine/analysis/filters/ranks';
import { normalCdf, studentTTwoSidedP } from '../../src/engine/analysis/metrics/distributions';
import { Rng } from '../../src/engine/analysis/random';
import { RgsError } from '../../src/engine/util/errors';

/** Rows from columns. */
function fromColumns(cols: number[][]): number[][] {
  return cols[0].map((_, i) => cols.map((c) => c[i]));
}

describe('near-zero variance (caret rule)', () => {
  it('flags exactly the features caret flags', () => {
    const n = 100;
    const bothFalse = Array.from({ length: n }, (_, i) => i + 1); // 100 % unique
    const bothTrue = [...Array(96).fill(1), ...Array(4).fill(2)]; // ratio 96/4 = 24 > 19, 2 % unique
    const onlyUnique = [...Array(95).fill(1), ...Array(5).fill(2)]; // ratio 95/5 = 19, not > 19
    const onlyFreq = [...Array(60).fill(0), ...Array.from({ length: 40 }, (_, i) => i + 1)]; // ratio 60, 41 % unique
    const constant = Array(n).fill(3);
    const r = nearZeroVariance(fromColumns([bothFalse, bothTrue, onlyUnique, onlyFreq, constant]));
    expect(r.drop).toEqual([1, 4]);
    expect(r.keep).toEqual([0, 2, 3]);
    expect(Array.from(r.freqRatio)).toEqual([1, 24, 19, 60, 0]);
    expect(Array.from(r.percentUnique)).toEqual([100, 2, 2, 41, 1]);
    expect(Array.from(r.zeroVariance)).toEqual([0, 0, 0, 0, 1]);
  });

  it('uses percentUnique <= uniqueCut (inclusive), freqRatio > freqCut (strict)', () => {
    // 10 distinct values in 100 rows = exactly 10 %: flagged when the ratio is high enough.
    const col = [...Array(91).fill(0), 1, 2, 3, 4, 5, 6, 7, 8, 9];
    expect(nearZeroVariance(fromColumns([col])).drop).toEqual([0]);
    expect(nearZeroVariance(fromColumns([col]), { uniqueCut: 9.9 }).drop).toEqual([]);
    expect(nearZeroVariance(fromColumns([col]), { freqCut: 91 }).drop).toEqual([]);
  });
});

describe('two-group tests against R', () => {
  it('Welch t-test: t, df and p as R t.test(1:5, c(2,4,6,8,10))', () => {
    // Means 3 and 6, variances 2.5 and 10: se^2 = 2.5/5 + 10/5 = 2.5, t = -3/sqrt(2.5);
    // df = 2.5^2 / (0.5^2/4 + 2^2/4) = 6.25 / 1.0625 = 5.882352941...
    const r = welchTTest([1, 2, 3, 4, 5], [2, 4, 6, 8, 10]);
    expect(r.t).toBeCloseTo(-3 / Math.sqrt(2.5), 14);
    expect(r.df).toBeCloseTo(6.25 / 1.0625, 13);
    expect(r.pValue).toBeCloseTo(0.10753119493062718, 12); // R 4.2.2
    expect(r.pValue).toBe(studentTTwoSidedP(r.t, r.df));
    expect(Number.isNaN(welchTTest([1, 1, 1], [2, 2, 2]).pValue)).toBe(true);
  });

  it('Wilcoxon rank-sum: wilcox.test(1:3, 4:6, exact = FALSE)', () => {
    // W = 0; z = (0 - 4.5 + 0.5) / sqrt(9/12 · 7) = -4 / sqrt(5.25); p = 2 Φ(z).
    const r = wilcoxonRankSum([1, 2, 3], [4, 5, 6]);
    expect(r.w).toBe(0);
    expect(r.z).toBeCloseTo(-4 / Math.sqrt(5.25), 14);
    expect(r.pValue).toBeCloseTo(2 * normalCdf(-4 / Math.sqrt(5.25)), 15);
    expect(r.pValue).toBeCloseTo(0.080855598370052295, 14); // R 4.2.2
    expect(r.auc).toBe(0);
  });

  it('Wilcoxon rank-sum with ties: wilcox.test(c(1,2,2,3,5), c(2,3,3,4,6,7), exact = FALSE)', () => {
    const r = wilcoxonRankSum([1, 2, 2, 3, 5], [2, 3, 3, 4, 6, 7]);
    expect(r.w).toBe(7);
    expect(r.pValue).toBeCloseTo(0.16304505585423726, 14); // R 4.2.2
    // Midranks of the pooled sample and the tie term: groups of three 2s and three 3s.
    const m = midranks([1, 2, 2, 3, 5, 2, 3, 3, 4, 6, 7]);
    expect(Array.from(m.ranks)).toEqual([1, 3, 3, 6, 9, 3, 6, 6, 8, 10, 11]);
    expect(m.tieTerm).toBe(2 * (27 - 3));
  });

  it('chi-square with Yates correction: chisq.test(matrix(c(12, 5, 7, 9), 2))', () => {
    // Table rows = feature value (a, b), columns = class (0, 1): a: 12, 7; b: 5, 9.
    const feature = [...Array(12).fill(0), ...Array(7).fill(0), ...Array(5).fill(1), ...Array(9).fill(1)];
    const cls = [...Array(12).fill(0), ...Array(7).fill(1), ...Array(5).fill(0), ...Array(9).fill(1)];
    const r = chiSquareIndependence(feature, cls);
    expect(r.df).toBe(1);
    expect(r.statistic).toBeCloseTo(1.45599637881468391, 13);
    expect(r.pValue).toBeCloseTo(0.22756821457580992, 13);
    // Without correction: sum (O - E)^2 / E with E = 19·17/33 etc.
    const e = [(19 * 17) / 33, (19 * 16) / 33, (14 * 17) / 33, (14 * 16) / 33];
    const o = [12, 7, 5, 9];
    const expected = o.reduce((s, v, k) => s + (v - e[k]) ** 2 / e[k], 0);
    expect(chiSquareIndependence(feature, cls, false).statistic).toBeCloseTo(expected, 13);
  });

  it('adjusts p-values as R p.adjust', () => {
    expect(Array.from(adjustPValues([0.01, 0.04, 0.03, 0.2], 'bh'))).toEqual([0.04, 0.05333333333333333, 0.05333333333333333, 0.2]);
    expect(Array.from(adjustPValues([0.01, 0.3, NaN], 'bonferroni'))).toEqual([0.02, 0.6, NaN]);
  });
});

describe('univariate filter', () => {
  it('ranks by p-value and applies the threshold and top-k', () => {
    const rng = new Rng(1);
    const n = 80;
    const y = Array.from({ length: n }, (_, i) => (i < 40 ? 0 : 1));
    const x = y.map((c) => [c * 2 + rng.normal(), rng.normal(), c * 0.8 + rng.normal(), 7]);
    const r = univariateFilter(x, y, { test: 'welch', pThreshold: 0.05 });
    expect(r.selected[0]).toBe(0);
    expect(r.selected).toContain(2);
    expect(r.selected).not.toContain(3); // constant: NaN p, never selected
    expect(Number.isNaN(r.pValues[3])).toBe(true);
    expect(univariateFilter(x, y, { test: 'wilcoxon', topK: 1 }).selected).toEqual([0]);
    // Bonferroni can only remove features.
    const bonf = univariateFilter(x, y, { test: 'welch', pThreshold: 0.05, adjust: 'bonferroni' });
    expect(bonf.selected.every((j) => r.selected.includes(j))).toBe(true);
    expect(() => univariateFilter(x, y, { test: 'welch', pThreshold: 0 })).toThrow(RgsError);
    expect(() => univariateFilter(x, [0, 1, 2, ...y.slice(3)], { test: 'welch' })).toThrow(/binary/);
  });

  it('chi-square filter picks the categorical feature that depends on the class', () => {
    const y = Array.from({ length: 60 }, (_, i) => i % 2);
    const x = y.map((c, i) => [c === 1 ? (i % 6 === 1 ? 0 : 1) : i % 10 === 0 ? 1 : 0, i % 3]);
    const r = univariateFilter(x, y, { test: 'chisquare', topK: 1 });
    expect(r.selected).toEqual([0]);
    expect(r.pValues[0]).toBeLessThan(0.01);
    expect(r.pValues[1]).toBe(1);
  });
});

describe('association with the outcome', () => {
  it('Cox score z equals R coxph score tests (Breslow)', () => {
    // Three events at times 1, 2, 3 with x = 1, 0, 0: U = 2/3, I = 2/9, z = sqrt(2);
    // R: summary(coxph(Surv(c(1,2,3), c(1,1,1)) ~ c(1,0,0), ties = "breslow"))$sctest = 2.
    expect(coxScoreZ([1, 0, 0], [1, 2, 3], [1, 1, 1])).toBeCloseTo(Math.SQRT2, 14);
    // Tied times and censoring; R's score test statistic 1.32836556289849206 = z^2.
    const t = [5, 3, 3, 8, 2, 6, 4, 4, 7, 1];
    const s = [1, 0, 1, 1, 1, 0, 1, 1, 0, 1];
    const x = [0.5, 1.2, -0.3, 2.2, 0.1, -1.0, 0.7, 0.3, 1.5, -0.2];
    expect(coxScoreZ(x, t, s) ** 2).toBeCloseTo(1.32836556289849206, 12);
  });

  it('uses |AUC - 0.5|, |Cox z| and |Spearman rho|', () => {
    const x = fromColumns([
      [1, 2, 3, 4],
      [4, 3, 2, 1],
      [1, 4, 2, 3],
    ]);
    // Binary y = 0,0,1,1: AUC of column 0 is 1, of column 1 is 0 -> both 0.5; column 2: pairs
    // (cases 2,3 vs controls 1,4): 2>1, 2<4, 3>1, 3<4 -> AUC 0.5 -> 0.
    expect(Array.from(univariateAssociation(x, { kind: 'binary', y: [0, 0, 1, 1] }))).toEqual([0.5, 0.5, 0]);
    // Continuous y = 10, 20, 30, 40: Spearman 1, -1 and the Pearson correlation of ranks 1,4,2,3 with 1,2,3,4 = 0.4.
    const cont = univariateAssociation(x, { kind: 'continuous', y: [10, 20, 30, 40] });
    expect(cont[0]).toBeCloseTo(1, 15);
    expect(cont[1]).toBeCloseTo(1, 15);
    expect(cont[2]).toBeCloseTo(0.4, 15);
    const surv = univariateAssociation(x, { kind: 'survival', time: [1, 2, 3, 4], status: [1, 1, 1, 0] });
    expect(surv[0]).toBeCloseTo(Math.abs(coxScoreZ([1, 2, 3, 4], [1, 2, 3, 4], [1, 1, 1, 0])), 15);
    expect(pearson([1, 2, 3], [2, 2, 2])).toBeNaN();
  });
});

describe('correlation filter', () => {
  function data(seed: number): { x: number[][]; y: number[] } {
    const rng = new Rng(seed);
    const x: number[][] = [];
    const y: number[] = [];
    for (let i = 0; i < 200; i++) {
      const a = rng.normal();
      const c = i % 2;
      // f0 carries the signal, f1 = f0 + noise (r about 0.98), f2 independent, f3 = -f2 exactly.
      const f0 = a + 1.5 * c;
      const f2 = rng.normal();
      x.push([f0, f0 + 0.3 * rng.normal(), f2, -f2]);
      y.push(c);
    }
    return { x, y };
  }

  it('keeps the member of a correlated pair more associated with the outcome', () => {
    const { x, y } = data(3);
    const r = correlationFilter(x, { threshold: 0.9, outcome: { kind: 'binary', y } });
    expect(r.keep).toContain(0);
    expect(r.keep).not.toContain(1);
    const d1 = r.drop.find((d) => d.feature === 1);
    expect(d1?.keptFeature).toBe(0);
    expect(d1?.r).toBeGreaterThan(0.9);
    // f2 and f3 = -f2 have r = -1: exactly one of them survives.
    expect(r.keep.filter((j) => j === 2 || j === 3).length).toBe(1);
    expect(r.drop.find((d) => d.feature === 2 || d.feature === 3)?.r).toBeCloseTo(-1, 12);
  });

  it('follows a given association order and leaves uncorrelated features alone', () => {
    const { x } = data(4);
    const r = correlationFilter(x, { threshold: 0.9, association: [0.1, 0.2, 0.3, 0.4] });
    expect(r.keep).toEqual([1, 3]);
    expect(correlationFilter(x, { threshold: 0.999, association: [1, 1, 1, 1] }).keep).toEqual([0, 1, 2]);
    expect(() => correlationFilter(x, { threshold: 1, association: [1, 1, 1, 1] })).toThrow(RgsError);
    expect(() => correlationFilter(x, { threshold: 0.5 })).toThrow(/outcome/);
  });
});
