import { describe, expect, it } from 'vitest';
import { binomialHalfTails, boruta, tentativeRoughFix } from '../../src/engine/analysis/boruta';
import { Rng } from '../../src/engine/analysis/random';
import { RgsError } from '../../src/engine/util/errors';

/** 4 informative features (0-3) and `noise` pure-noise features; n rows. */
function dataset(seed: number, n: number, noise: number): { x: number[][]; y: number[] } {
  const rng = new Rng(seed);
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const row: number[] = [];
    for (let j = 0; j < 4 + noise; j++) row.push(rng.normal());
    y.push(row[0] + row[1] + row[2] + row[3] + 0.5 * rng.normal() > 0 ? 1 : 0);
    x.push(row);
  }
  return { x, y };
}

describe('binomial tails of the hit tests', () => {
  it('matches exact binomial sums (R pbinom with p = 1/2)', () => {
    // P(X >= 9) for X ~ Bin(10, 1/2) = (C(10,9) + C(10,10)) / 2^10 = 11 / 1024.
    expect(binomialHalfTails(9, 10).upper).toBeCloseTo(11 / 1024, 16);
    // P(X <= 9) = 1 - P(X = 10) = 1023 / 1024.
    expect(binomialHalfTails(9, 10).lower).toBeCloseTo(1023 / 1024, 15);
    // P(X >= 0) = 1, P(X <= 0) = 2^-20 for n = 20.
    expect(binomialHalfTails(0, 20).upper).toBe(1);
    expect(binomialHalfTails(0, 20).lower).toBeCloseTo(Math.pow(2, -20), 20);
    // Symmetry P(X >= k) = P(X <= n - k).
    expect(binomialHalfTails(37, 99).upper).toBeCloseTo(binomialHalfTails(62, 99).lower, 14);
  });

  it('needs 11 runs before a Bonferroni decision among 20 features at p = 0.01', () => {
    // All hits after r runs: adjusted p = 20 * 2^-r < 0.01 first at r = 11 (20/2048 = 0.0098).
    expect(20 * binomialHalfTails(10, 10).upper).toBeGreaterThan(0.01);
    expect(20 * binomialHalfTails(11, 11).upper).toBeLessThan(0.01);
  });
});

describe('Boruta', () => {
  it('confirms the informative features and rejects the noise', () => {
    const { x, y } = dataset(5, 150, 16);
    const r = boruta(x, y, { seed: 3, trees: 150 });
    expect(r.confirmed).toEqual([0, 1, 2, 3]);
    // No noise feature is confirmed; nearly all are rejected.
    expect(r.rejected.every((j) => j >= 4)).toBe(true);
    expect(r.rejected.length).toBeGreaterThanOrEqual(14);
    expect(r.runs).toBeLessThanOrEqual(99);
    expect(r.importanceHistory.length).toBe(r.runs);
    // A rejected feature has finite importances up to the run that rejected it and -Infinity
    // in every later run (it is no longer in the forest); others stay finite throughout.
    for (let j = 0; j < 20; j++) {
      const h = r.importanceHistory.map((run) => run[j]);
      const firstGone = h.indexOf(-Infinity);
      if (!r.rejected.includes(j)) expect(firstGone).toBe(-1);
      if (firstGone >= 0) {
        expect(h.slice(0, firstGone).every(Number.isFinite)).toBe(true);
        expect(h.slice(firstGone).every((v) => v === -Infinity)).toBe(true);
      }
    }
    // First decisions need 11 runs with Bonferroni over 20 features (see the test above).
    expect(r.runs).toBeGreaterThanOrEqual(11);
    for (const j of r.confirmed) expect(r.hits[j]).toBeGreaterThanOrEqual(11);
  });

  it('also works with impurity importance', () => {
    // Gini importance is the more liberal source: a noise feature with a chance association in
    // the sample may stay tentative, so only "not confirmed" is asserted for the noise.
    const { x, y } = dataset(6, 300, 8);
    const r = boruta(x, y, { seed: 4, trees: 100, importance: 'impurity' });
    expect(r.confirmed).toEqual([0, 1, 2, 3]);
    expect(r.rejected.length).toBeGreaterThanOrEqual(6);
    expect(r.confirmed.length + r.tentative.length + r.rejected.length).toBe(12);
  });

  it('stops after maxRuns - 1 runs and is reproducible from its seed', () => {
    const { x, y } = dataset(7, 60, 3);
    const a = boruta(x, y, { seed: 11, trees: 30, maxRuns: 11 });
    const b = boruta(x, y, { seed: 11, trees: 30, maxRuns: 11 });
    expect(a.runs).toBeLessThanOrEqual(10);
    expect(a.decisions).toEqual(b.decisions);
    expect(Array.from(a.hits)).toEqual(Array.from(b.hits));
    expect(Array.from(a.shadowMax)).toEqual(Array.from(b.shadowMax));
  });

  it('rough-fixes tentative features by median importance against the median shadow maximum', () => {
    const { x, y } = dataset(8, 60, 6);
    const r = boruta(x, y, { seed: 2, trees: 30, maxRuns: 12 });
    const fixed = tentativeRoughFix(r);
    const shadowMedian = Array.from(r.shadowMax).sort((a, b) => a - b);
    const med = (v: number[]): number => {
      const s = v.slice().sort((a, b) => a - b);
      return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    };
    const sm = med(shadowMedian);
    r.decisions.forEach((d, j) => {
      if (d !== 'tentative') expect(fixed[j]).toBe(d);
      else expect(fixed[j]).toBe(med(r.importanceHistory.map((h) => h[j])) > sm ? 'confirmed' : 'rejected');
    });
    expect(fixed).not.toContain('tentative');
  });

  it('rejects bad settings', () => {
    const { x, y } = dataset(9, 20, 2);
    expect(() => boruta(x, y, { seed: 1, maxRuns: 10 })).toThrow(RgsError);
    expect(() => boruta(x, y, { seed: 1, pValue: 0 })).toThrow(RgsError);
  });
});
