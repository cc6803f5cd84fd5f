/**
 * Parity of the univariate filter tests with scipy (test/parity/py/filters_univariate.py):
 * Welch t-test and Wilcoxon rank-sum (normal approximation, tie and continuity corrections)
 * p-values to a relative 1e-8, chi-square with Yates' correction likewise.
 * Skips, with the reason, when no python3 with numpy and scipy is found.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { chiSquareIndependence, welchTTest, wilcoxonRankSum } from '../../src/engine/analysis/filters/univariate';
import { findPython, runReferenceScript } from './find-python';

const SCRIPT = join(__dirname, 'py', 'filters_univariate.py');


interface TwoSampleCase {
  name: string;
  a: number[];
  b: number[];
  welchT: number;
  welchP: number;
  mannWhitneyU: number;
  wilcoxonP: number;
}
interface ChiCase {
  name: string;
  feature: number[];
  classes: number[];
  statistic: number;
  pValue: number;
  df: number;
}

const py = findPython(['numpy', 'scipy'], 'python3-scipy');

/** |a - b| <= tol · |b| (relative), for p-values down to the far tail. */
function expectRelative(actual: number, expected: number, tol: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tol * Math.abs(expected));
}

describe.skipIf(!py.python)(`univariate tests vs scipy${py.reason ? ` (skipped: ${py.reason})` : ''}`, () => {
  let ref: { twoSample: TwoSampleCase[]; chiSquare: ChiCase[] };
  beforeAll(() => {
    ref = runReferenceScript<{ twoSample: TwoSampleCase[]; chiSquare: ChiCase[] }>(py.python as string, SCRIPT);
  });

  it('Welch t-test matches scipy.stats.ttest_ind(equal_var=False) to 1e-8 relative', () => {
    expect(ref.twoSample.length).toBeGreaterThanOrEqual(8);
    for (const c of ref.twoSample) {
      const r = welchTTest(c.a, c.b);
      expectRelative(r.t, c.welchT, 1e-12);
      expectRelative(r.pValue, c.welchP, 1e-8);
    }
  });

  it('Wilcoxon rank-sum matches scipy.stats.mannwhitneyu(asymptotic, continuity) to 1e-8 relative', () => {
    for (const c of ref.twoSample) {
      const r = wilcoxonRankSum(c.a, c.b);
      expect(r.w).toBe(c.mannWhitneyU);
      expectRelative(r.pValue, c.wilcoxonP, 1e-8);
    }
  });

  it('chi-square with Yates correction matches scipy.stats.chi2_contingency', () => {
    for (const c of ref.chiSquare) {
      const r = chiSquareIndependence(c.feature, c.classes);
      expect(r.df).toBe(c.df);
      expectRelative(r.statistic, c.statistic, 1e-12);
      expectRelative(r.pValue, c.pValue, 1e-8);
    }
  });
});
