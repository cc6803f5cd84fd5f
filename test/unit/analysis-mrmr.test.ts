import { describe, expect, it } from 'vitest';
import { discretiseEqualFrequency, discretiseMeanSd, mrmr, mutualInformation } from '../../src/engine/analysis/mrmr';
import { Rng } from '../../src/engine/analysis/random';
import { RgsError } from '../../src/engine/util/errors';

const codes = (v: number[]): Int32Array => Int32Array.from(v);

describe('mutual information on small discrete tables', () => {
  it('is 0 for independent variables and ln 2 for a copy of a balanced binary variable', () => {
    // a = 0,0,1,1 and b = 0,1,0,1: every cell 1/4 = p(a) p(b), so each log term is ln 1 = 0.
    expect(mutualInformation(codes([0, 0, 1, 1]), 2, codes([0, 1, 0, 1]), 2)).toBe(0);
    // a = b: I = H(a) = -2 · (1/2) ln(1/2) = ln 2.
    expect(mutualInformation(codes([0, 0, 1, 1]), 2, codes([0, 0, 1, 1]), 2)).toBeCloseTo(Math.LN2, 15);
  });

  it('matches the hand-computed value of a 2 x 2 table with counts 3 1 / 1 3', () => {
    // Cells p = 3/8, 1/8, 1/8, 3/8; marginals 1/2, 1/2:
    // I = 2 (3/8) ln((3/8)/(1/4)) + 2 (1/8) ln((1/8)/(1/4)) = (3/4) ln(3/2) - (1/4) ln 2.
    const a = codes([0, 0, 0, 0, 1, 1, 1, 1]);
    const b = codes([0, 0, 0, 1, 1, 1, 1, 0]);
    expect(mutualInformation(a, 2, b, 2)).toBeCloseTo(0.75 * Math.log(1.5) - 0.25 * Math.LN2, 15);
  });

  it('matches the hand-computed value of a 3 x 2 table', () => {
    // a in {0,1,2} with counts 2, 2, 2; b = 0 for a = 0, b = 1 for a = 2, a = 1 splits 1:1.
    // Cells: (0,0) 2/6, (1,0) 1/6, (1,1) 1/6, (2,1) 2/6; p(a) = 1/3 each, p(b) = 1/2 each.
    // I = 2 (2/6) ln((2/6)/(1/6)) + 2 (1/6) ln((1/6)/(1/6)) = (2/3) ln 2.
    const a = codes([0, 0, 1, 1, 2, 2]);
    const b = codes([0, 0, 0, 1, 1, 1]);
    expect(mutualInformation(a, 3, b, 2)).toBeCloseTo((2 / 3) * Math.LN2, 15);
    // Symmetric in its arguments.
    expect(mutualInformation(b, 2, a, 3)).toBeCloseTo((2 / 3) * Math.LN2, 15);
  });
});

describe('discretisation', () => {
  it('splits at mean ± sd into three states', () => {
    // [0, 0, 0, 0, 10]: mean 2, sample sd sqrt((4·4 + 64)/4) = sqrt(20) = 4.472;
    // thresholds -2.472 and 6.472, so states 1, 1, 1, 1, 2.
    expect(Array.from(discretiseMeanSd([0, 0, 0, 0, 10]))).toEqual([1, 1, 1, 1, 2]);
    // [-3, -1, 0, 1, 3]: mean 0, sd sqrt(20/4) = 2.236: -3 below, 3 above.
    expect(Array.from(discretiseMeanSd([-3, -1, 0, 1, 3]))).toEqual([0, 1, 1, 1, 2]);
    // Multiplier 0.4: thresholds ±0.894, so -1 and 1 leave the middle state.
    expect(Array.from(discretiseMeanSd([-3, -1, 0, 1, 3], 0.4))).toEqual([0, 0, 1, 2, 2]);
    // A constant feature is all in the middle.
    expect(Array.from(discretiseMeanSd([5, 5, 5]))).toEqual([1, 1, 1]);
  });

  it('makes equal-frequency bins that keep ties together', () => {
    // Sorted 1,2,3,4,5,6 with 3 bins: first positions 0..5 -> floor(pos·3/6) = 0,0,1,1,2,2.
    expect(Array.from(discretiseEqualFrequency([6, 5, 4, 3, 2, 1], 3))).toEqual([2, 2, 1, 1, 0, 0]);
    // Ties: 1,1,1,2,3,4 -> the three 1s share first position 0 (bin 0); 2 at 3 -> bin 1; 3 at 4 -> 2; 4 at 5 -> 2.
    expect(Array.from(discretiseEqualFrequency([1, 1, 1, 2, 3, 4], 3))).toEqual([0, 0, 0, 1, 2, 2]);
  });
});

describe('mRMR selection', () => {
  /** f0 strong, f1 = a near copy of f0, f2 independent and weaker, f3..f5 noise. */
  function redundant(seed: number, n: number): { x: number[][]; y: number[] } {
    const rng = new Rng(seed);
    const x: number[][] = [];
    const y: number[] = [];
    for (let i = 0; i < n; i++) {
      const a = rng.normal();
      const b = rng.normal();
      x.push([a, a + 0.05 * rng.normal(), b, rng.normal(), rng.normal(), rng.normal()]);
      y.push(1.5 * a + b + 0.5 * rng.normal() > 0 ? 1 : 0);
    }
    return { x, y };
  }

  it('does not choose the redundant copy second (MID and MIQ)', () => {
    const { x, y } = redundant(3, 400);
    for (const criterion of ['MID', 'MIQ'] as const) {
      const r = mrmr(x, y, { k: 3, criterion });
      // The strong feature or its copy comes first, the independent one second.
      expect([0, 1]).toContain(r.selected[0]);
      expect(r.selected[1]).toBe(2);
      expect(r.relevance[1]).toBeGreaterThan(r.relevance[2]);
      expect(r.redundancy[0]).toBe(0);
    }
    // Relevance alone would rank the copy second.
    const { relevance } = mrmr(x, y, { k: 1 });
    const byRelevance = Array.from(relevance.keys()).sort((a, b) => relevance[b] - relevance[a]);
    expect(new Set(byRelevance.slice(0, 2))).toEqual(new Set([0, 1]));
  });

  it('scores MID as relevance minus mean redundancy (checked by hand on the codes)', () => {
    const { x, y } = redundant(4, 200);
    const r = mrmr(x, y, { k: 2 });
    const col = (j: number): Int32Array => discretiseMeanSd(x.map((row) => row[j]));
    const s0 = r.selected[0];
    const s1 = r.selected[1];
    const yc = Int32Array.from(y);
    expect(r.scores[0]).toBeCloseTo(mutualInformation(col(s0), 3, yc, 2), 14);
    const expected = mutualInformation(col(s1), 3, yc, 2) - mutualInformation(col(s1), 3, col(s0), 3);
    expect(r.scores[1]).toBeCloseTo(expected, 14);
  });

  it('works with equal-frequency bins and validates k', () => {
    const { x, y } = redundant(5, 300);
    const r = mrmr(x, y, { k: 2, discretisation: { method: 'equalFrequency', bins: 5 } });
    expect([0, 1]).toContain(r.selected[0]);
    expect(r.selected[1]).toBe(2);
    expect(() => mrmr(x, y, { k: 7 })).toThrow(RgsError);
    expect(() => mrmr(x, y, { k: 0 })).toThrow(RgsError);
  });
});
