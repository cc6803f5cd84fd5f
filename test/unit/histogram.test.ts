/**
 * Intensity histogram features (IBSI 3.4) on a hand-worked histogram with an empty bin and a
 * tied mode, the grey-level values of the bins, and the edge cases.
 */
import { describe, expect, it } from 'vitest';
import { binCounts, computeIntensityHistogram } from '../../src/engine/features/histogram';
import type { FeatureInput } from '../../src/engine/features/types';

function input(bins: number[], binCount: number, binValues?: number[]): FeatureInput {
  const n = bins.length;
  const mask = Uint8Array.from(bins.map((b) => (b > 0 ? 1 : 0)));
  const values = binValues ?? Array.from({ length: binCount + 1 }, (_, b) => b);
  return {
    dims: [n, 1, 1],
    spacing: [1, 1, 1],
    image: new Float64Array(n),
    morphMask: mask,
    intensityMask: mask,
    discretised: { bins: Int32Array.from(bins), binCount, binValues: Float64Array.from(values) },
    ivh: { values: new Float64Array(n), min: 0, max: 0, step: 1 },
  };
}

function byCode(bins: number[], binCount: number, binValues?: number[]): Record<string, number> {
  return Object.fromEntries(computeIntensityHistogram(input(bins, binCount, binValues)).map((f) => [f.ibsi_code, f.value]));
}

// Bins 1..5 with counts 3, 1, 0, 3, 1 (bin 3 empty), N = 8, and two voxels outside the ROI (0).
// Sorted voxel levels: 1 1 1 2 4 4 4 5.
const BINS = [4, 1, 0, 5, 1, 4, 2, 0, 1, 4];

describe('intensity histogram, hand-worked', () => {
  it('counts every bin, empty ones included', () => {
    expect(Array.from(binCounts(input(BINS, 5).discretised))).toEqual([0, 3, 1, 0, 3, 1]);
  });

  it('gives the IBSI definitions', () => {
    const h = byCode(BINS, 5);
    // Mean (3*1 + 1*2 + 3*4 + 1*5)/8 = 22/8 = 2.75.
    expect(h.X6K6).toBeCloseTo(2.75, 12);
    // Deviations -1.75 (x3), -0.75, 1.25 (x3), 2.25. Sum of squares 9.1875 + 0.5625 + 4.6875
    // + 5.0625 = 19.5: variance 19.5/8 = 2.4375.
    expect(h.CH89).toBeCloseTo(2.4375, 12);
    // Sum of cubes -16.078125 - 0.421875 + 5.859375 + 11.390625 = 0.75: m3 = 0.09375.
    expect(h['88K1']).toBeCloseTo(0.09375 / Math.pow(2.4375, 1.5), 12);
    // Sum of fourth powers 28.13671875 + 0.31640625 + 7.32421875 + 25.62890625 = 61.40625.
    expect(h.C3I7).toBeCloseTo(61.40625 / 8 / 2.4375 ** 2 - 3, 12);
    // Order statistics at h = 7q/100: median h = 3.5 -> (2 + 4)/2 = 3; P10 h = 0.7 -> 1;
    // P90 h = 6.3 -> 4 + 0.3 (5 - 4) = 4.3; P25 h = 1.75 -> 1; P75 h = 5.25 -> 4.
    expect(h.WIFQ).toBeCloseTo(3, 12);
    expect(h['1PR8']).toBe(1);
    expect(h.GPMT).toBeCloseTo(1, 12);
    expect(h.OZ0C).toBeCloseTo(4.3, 12);
    expect(h['3NCY']).toBe(5);
    // Mode: bins 1 and 4 both hold 3 voxels; 4 is closer to the mean 2.75 (1.25 against 1.75).
    expect(h.AMMC).toBe(4);
    expect(h.WR0O).toBeCloseTo(3, 12);
    expect(h['5Z3W']).toBe(4);
    // Mean absolute deviation (3*1.75 + 0.75 + 3*1.25 + 2.25)/8 = 12/8.
    expect(h.D2ZX).toBeCloseTo(1.5, 12);
    // Robust: levels in [1, 4.3] are 1 1 1 2 4 4 4, mean 17/7; deviations 3*10/7 + 3/7 + 3*11/7
    // = 66/7; divided by 7.
    expect(h.WRZB).toBeCloseTo(66 / 49, 12);
    // From the median 3: (3*2 + 1 + 3*1 + 2)/8 = 12/8.
    expect(h['4RNL']).toBeCloseTo(1.5, 12);
    expect(h.CWYJ).toBeCloseTo(Math.sqrt(2.4375) / 2.75, 12);
    // (P75 - P25)/(P75 + P25) = 3/5.
    expect(h.SLWD).toBeCloseTo(0.6, 12);
    // p = 3/8, 1/8, 3/8, 1/8: entropy -2 (3/8 log2 3/8) - 2 (1/8 log2 1/8) = (3/4)(3 - log2 3) + 3/4.
    expect(h.TLU2).toBeCloseTo(0.75 * (3 - Math.log2(3)) + 0.75, 12);
    // Uniformity 2 (9/64) + 2 (1/64) = 20/64.
    expect(h.BJ5W).toBeCloseTo(0.3125, 12);
    // Gradient of the counts 3 1 0 3 1 over ALL bins: ends one-sided (1 - 3 = -2, 1 - 3 = -2),
    // inside central: bin 2 (0 - 3)/2 = -1.5, bin 3 (3 - 1)/2 = 1, bin 4 (1 - 0)/2 = 0.5.
    // Maximum 1 at level 3 (the empty bin); minimum -2, first reached at level 1.
    expect(h['12CE']).toBe(1);
    expect(h['8E6O']).toBe(3);
    expect(h.VQB3).toBe(-2);
    expect(h.RHQZ).toBe(1);
  });

  it('names every feature as the IBSI tables do', () => {
    const rows = computeIntensityHistogram(input(BINS, 5));
    expect(rows.map((r) => r.ibsi_code)).toEqual([
      'X6K6', 'CH89', '88K1', 'C3I7', 'WIFQ', '1PR8', 'GPMT', 'OZ0C', '3NCY', 'AMMC', 'WR0O', '5Z3W',
      'D2ZX', 'WRZB', '4RNL', 'CWYJ', 'SLWD', 'TLU2', 'BJ5W', '12CE', '8E6O', 'VQB3', 'RHQZ',
    ]);
    expect(rows[9].feature).toBe('Intensity histogram mode');
    expect(rows[20].feature).toBe('Maximum histogram gradient intensity');
    expect(rows.every((r) => r.family === 'ih' && r.aggregation === '' && r.standardised)).toBe(true);
  });

  it('reports grey levels through binValues, not bin numbers', () => {
    // Bin b standing for level 10 b: location features scale by 10, variance by 100; shape,
    // entropy, uniformity and the gradients (counts) do not change.
    const a = byCode(BINS, 5);
    const b = byCode(BINS, 5, [0, 10, 20, 30, 40, 50]);
    for (const code of ['X6K6', 'WIFQ', '1PR8', 'GPMT', 'OZ0C', '3NCY', 'AMMC', 'WR0O', '5Z3W', 'D2ZX', 'WRZB', '4RNL', '8E6O', 'RHQZ']) {
      expect(b[code], code).toBeCloseTo(10 * a[code], 10);
    }
    expect(b.CH89).toBeCloseTo(100 * a.CH89, 10);
    for (const code of ['88K1', 'C3I7', 'CWYJ', 'SLWD', 'TLU2', 'BJ5W', '12CE', 'VQB3']) expect(b[code], code).toBeCloseTo(a[code], 12);
  });

  it('breaks an exact mode tie towards the lower level', () => {
    // Counts 2, 0, 2 on levels 1..3: mean 2, both modes 1 away.
    expect(byCode([1, 3, 1, 3], 3).AMMC).toBe(1);
  });

  it('handles a single occupied level and an empty ROI', () => {
    // One level: variance 0, skewness/kurtosis 0/0; entropy 0, uniformity 1; a one-bin histogram
    // has gradient 0.
    const one = byCode([1, 1, 1], 1);
    expect(one.CH89).toBe(0);
    expect(one['88K1']).toBeNaN();
    expect(one.C3I7).toBeNaN();
    expect(one.TLU2).toBe(0);
    expect(one.BJ5W).toBe(1);
    expect(one['12CE']).toBe(0);
    const empty = byCode([0, 0], 4);
    for (const code of Object.keys(empty)) expect(empty[code], code).toBeNaN();
  });

  it('rejects bin values that do not ascend', () => {
    expect(() => computeIntensityHistogram(input([1, 2], 2, [0, 5, 3]))).toThrow(/ascend/);
  });
});
