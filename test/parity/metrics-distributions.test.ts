/**
 * Parity of the distribution functions with scipy on grids covering the centre and the far
 * tails: relative error <= 1e-10 everywhere (values below 1e-300 aside, where both sides
 * underflow). Student t quantiles are not compared: scipy's t.ppf is less accurate than 1e-10
 * (see test/unit/analysis-metrics-distributions.test.ts). Script: test/parity/py/metrics_distributions.py.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import {
  chiSquareCdf,
  chiSquareSurvival,
  logGamma,
  normalCdf,
  normalQuantile,
  regularizedBeta,
  regularizedGammaP,
  regularizedGammaQ,
  studentTCdf,
} from '../../src/engine/analysis/metrics/distributions';
import { pythonWithSklearn, runReference } from './metrics-reference';

type Table = number[][];
const python = pythonWithSklearn();
const skip = python === null ? 'no python3 with scikit-learn/scipy (apt-get install python3-sklearn)' : null;

/** Largest relative error over a table; `f` maps a row to [ours, reference]. */
function worst(rows: Table, f: (r: number[]) => [number, number][]): { err: number; row: number[] } {
  let err = 0;
  let at: number[] = [];
  for (const r of rows) {
    for (const [ours, ref] of f(r)) {
      if (Math.abs(ref) < 1e-300 && Math.abs(ours) < 1e-300) continue;
      const e = ref === 0 ? Math.abs(ours) : Math.abs(ours - ref) / Math.abs(ref);
      if (!(e <= err)) {
        err = Number.isNaN(e) ? Infinity : e;
        at = r;
      }
    }
  }
  return { err, row: at };
}

describe.skipIf(skip !== null)(`distribution parity with scipy${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let ref: Record<string, Table>;
  beforeAll(() => {
    ref = runReference(python!, join(__dirname, 'py', 'metrics_distributions.py')) as Record<string, Table>;
  });

  it('normal CDF and quantile', () => {
    const cdf = worst(ref.normal_cdf, ([x, v]) => [[normalCdf(x), v]]);
    expect(cdf.err, `at ${cdf.row}`).toBeLessThan(1e-10);
    const ppf = worst(ref.normal_ppf, ([p, v]) => [[normalQuantile(p), v]]);
    expect(ppf.err, `at ${ppf.row}`).toBeLessThan(1e-10);
  });

  it("Student's t CDF and chi-square CDF / upper tail", () => {
    const t = worst(ref.t_cdf, ([x, df, v]) => [[studentTCdf(x, df), v]]);
    expect(t.err, `at ${t.row}`).toBeLessThan(1e-10);
    const c = worst(ref.chi2_sf, ([x, k, sf, cdf]) => [
      [chiSquareSurvival(x, k), sf],
      [chiSquareCdf(x, k), cdf],
    ]);
    expect(c.err, `at ${c.row}`).toBeLessThan(1e-10);
  });

  it('log-gamma and the regularised incomplete beta and gamma functions', () => {
    const g = worst(ref.gammaln, ([x, v]) => [[logGamma(x), v]]);
    expect(g.err, `at ${g.row}`).toBeLessThan(1e-10);
    const b = worst(ref.betainc, ([x, a, bb, v]) => [[regularizedBeta(x, a, bb), v]]);
    expect(b.err, `at ${b.row}`).toBeLessThan(1e-10);
    const gi = worst(ref.gammainc, ([a, x, p, q]) => [
      [regularizedGammaP(a, x), p],
      [regularizedGammaQ(a, x), q],
    ]);
    expect(gi.err, `at ${gi.row}`).toBeLessThan(1e-10);
  });
});
