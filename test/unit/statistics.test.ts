/**
 * Intensity-based statistics (IBSI 3.3) on hand-worked ROIs, both internal routes (counting for
 * integer intensities, sorting otherwise), and their invariances.
 */
import { describe, expect, it } from 'vitest';
import { computeStatistics, distinctValueHistogram } from '../../src/engine/features/statistics';
import type { FeatureInput } from '../../src/engine/features/types';
import type { Vec3 } from '../../src/engine/image/volume';

function input(image: number[], mask: number[], dims: Vec3 = [image.length, 1, 1]): FeatureInput {
  const n = image.length;
  return {
    dims,
    spacing: [1, 1, 1],
    image: Float64Array.from(image),
    morphMask: Uint8Array.from(mask),
    intensityMask: Uint8Array.from(mask),
    discretised: { bins: new Int32Array(n), binCount: 1, binValues: new Float64Array(2) },
    ivh: { values: new Float64Array(n), min: 0, max: 0, step: 1 },
  };
}

function byCode(image: number[], mask: number[]): Record<string, number> {
  return Object.fromEntries(computeStatistics(input(image, mask)).map((f) => [f.ibsi_code, f.value]));
}

// ROI {1, 2, 3, 4, 10}, with two voxels outside the mask (99, -50) that must not count.
const IMAGE = [3, 99, 1, 10, -50, 4, 2];
const MASK = [1, 0, 1, 1, 0, 1, 1];

describe('intensity statistics, hand-worked', () => {
  it('gives the IBSI definitions on {1, 2, 3, 4, 10}', () => {
    const s = byCode(IMAGE, MASK);
    // Mean 20/5 = 4; deviations -3 -2 -1 0 6.
    expect(s.Q4LE).toBeCloseTo(4, 12);
    // Variance (9 + 4 + 1 + 0 + 36)/5 = 10 (biased, 1/N).
    expect(s.ECT3).toBeCloseTo(10, 12);
    // Skewness: m3 = (-27 - 8 - 1 + 0 + 216)/5 = 36; 36 / 10^1.5.
    expect(s.KE2A).toBeCloseTo(36 / Math.pow(10, 1.5), 12);
    // Excess kurtosis: m4 = (81 + 16 + 1 + 0 + 1296)/5 = 278.8; 278.8/100 - 3.
    expect(s.IPH6).toBeCloseTo(-0.212, 12);
    expect(s.Y12H).toBe(3);
    expect(s['1GSF']).toBe(1);
    expect(s['84IY']).toBe(10);
    // Percentiles at rank h = (n - 1) q / 100 = 4q/100, linear between order statistics:
    // P10: h = 0.4 -> 1 + 0.4 (2 - 1) = 1.4; P90: h = 3.6 -> 4 + 0.6 (10 - 4) = 7.6;
    // P25: h = 1 -> 2; P75: h = 3 -> 4.
    expect(s.QG58).toBeCloseTo(1.4, 12);
    expect(s['8DWT']).toBeCloseTo(7.6, 12);
    expect(s.SALO).toBeCloseTo(2, 12);
    expect(s['2OJQ']).toBe(9);
    // Mean absolute deviation (3 + 2 + 1 + 0 + 6)/5.
    expect(s['4FUA']).toBeCloseTo(2.4, 12);
    // Robust: the voxels in [1.4, 7.6] are {2, 3, 4}, mean 3, deviations 1 0 1.
    expect(s['1128']).toBeCloseTo(2 / 3, 12);
    // "Median absolute deviation": mean of |x - 3| = (2 + 1 + 0 + 1 + 7)/5.
    expect(s.N72L).toBeCloseTo(2.2, 12);
    expect(s['7TET']).toBeCloseTo(Math.sqrt(10) / 4, 12);
    // Quartile coefficient of dispersion (4 - 2)/(4 + 2).
    expect(s['9S40']).toBeCloseTo(1 / 3, 12);
    // Energy: the sum of squares 1 + 4 + 9 + 16 + 100, no voxel-volume factor.
    expect(s.N8CA).toBe(130);
    expect(s['5ZWQ']).toBeCloseTo(Math.sqrt(26), 12);
  });

  it('names every feature as the IBSI tables do', () => {
    const rows = computeStatistics(input(IMAGE, MASK));
    expect(rows.map((r) => r.ibsi_code)).toEqual([
      'Q4LE', 'ECT3', 'KE2A', 'IPH6', 'Y12H', '1GSF', 'QG58', '8DWT', '84IY',
      'SALO', '2OJQ', '4FUA', '1128', 'N72L', '7TET', '9S40', 'N8CA', '5ZWQ',
    ]);
    expect(rows[0].feature).toBe('Mean intensity');
    expect(rows[13].feature).toBe('Intensity-based median absolute deviation');
    expect(rows.every((r) => r.family === 'stat' && r.aggregation === '' && r.standardised)).toBe(true);
  });

  it('agrees between the integer (counting) and non-integer (sorting) routes', () => {
    // Shifting by 0.5 moves the ROI onto the sorting route; location features shift by 0.5,
    // dispersion and shape features stay, energy becomes sum (x + 0.5)^2 = 130 + 20 + 5/4.
    const a = byCode(IMAGE, MASK);
    const b = byCode(
      IMAGE.map((v) => v + 0.5),
      MASK,
    );
    for (const code of ['Q4LE', 'Y12H', '1GSF', 'QG58', '8DWT', '84IY']) expect(b[code], code).toBeCloseTo(a[code] + 0.5, 12);
    for (const code of ['ECT3', 'KE2A', 'IPH6', 'SALO', '2OJQ', '4FUA', '1128', 'N72L']) expect(b[code], code).toBeCloseTo(a[code], 12);
    expect(b.N8CA).toBeCloseTo(151.25, 12);
  });

  it('takes repeated values into account (ties in the order statistics)', () => {
    // {5, 5, 5, 7}: P25 at h = 0.75 -> 5, P75 at h = 2.25 -> 5 + 0.25 (7 - 5) = 5.5,
    // median at h = 1.5 -> 5, P90 at h = 2.7 -> 5 + 0.7 * 2 = 6.4.
    const s = byCode([5, 7, 5, 5], [1, 1, 1, 1]);
    expect(s.Y12H).toBe(5);
    expect(s.SALO).toBeCloseTo(0.5, 12);
    expect(s['8DWT']).toBeCloseTo(6.4, 12);
    // Robust subset [5, 6.4]: {5, 5, 5}, deviation 0.
    expect(s['1128']).toBe(0);
  });

  it('is invariant under permutation of the voxels', () => {
    const a = byCode(IMAGE, MASK);
    const order = [6, 2, 0, 5, 1, 3, 4];
    const b = byCode(
      order.map((i) => IMAGE[i]),
      order.map((i) => MASK[i]),
    );
    for (const code of Object.keys(a)) expect(b[code], code).toBeCloseTo(a[code], 12);
  });

  it('handles a wide integer range through the sorting route', () => {
    // Span 10^7 + 1 is far above the counting limit for 3 voxels.
    const h = distinctValueHistogram(Float64Array.from([0, 1e7, 0]), Uint8Array.from([1, 1, 1]));
    expect(Array.from(h.values)).toEqual([0, 1e7]);
    expect(Array.from(h.counts)).toEqual([2, 1]);
    const s = byCode([0, 1e7, 0], [1, 1, 1]);
    expect(s.Y12H).toBe(0);
    expect(s['84IY']).toBe(1e7);
  });

  it('returns NaN where a feature is undefined', () => {
    // Constant ROI: variance 0, so skewness and kurtosis are 0/0; the CoV is 0/mean = 0.
    const c = byCode([3, 3, 3], [1, 1, 1]);
    expect(c.ECT3).toBe(0);
    expect(c.KE2A).toBeNaN();
    expect(c.IPH6).toBeNaN();
    expect(c['7TET']).toBe(0);
    // Mean 0: the CoV divides by 0. P25 + P75 = 0: so does the QCoD.
    const z = byCode([-1, 1], [1, 1]);
    expect(z['7TET']).toBeNaN();
    expect(z['9S40']).toBeNaN();
    // {0, 10}: P10 = 1 and P90 = 9, no voxel in between for the robust deviation.
    expect(byCode([0, 10], [1, 1])['1128']).toBeNaN();
    // Empty ROI: every feature.
    const e = byCode([1, 2], [0, 0]);
    for (const code of Object.keys(e)) expect(e[code], code).toBeNaN();
  });
});
