/**
 * NGTDM (IBSI 3.8) on hand-worked volumes.
 */
import { describe, expect, it } from 'vitest';
import type { ZoneAggregation } from '../../src/engine/features/types';
import { computeNgtdm } from '../../src/engine/texture/ngtdm';
import { greyLevelInput, valueOf } from './glszm-fixtures';

const ALL: readonly ZoneAggregation[] = ['2D', '2.5D', '3D'];

// One 3x3 slice, all ROI:   1 2 1 / 2 3 2 / 1 2 1
const CROSS = [1, 2, 1, 2, 3, 2, 1, 2, 1];

describe('NGTDM, one 3x3 slice, distance 1', () => {
  // Corners (level 1): ROI neighbours 2, 2, 3, mean 7/3, |1 - 7/3| = 4/3; s_1 = 16/3, n_1 = 4.
  // Edge centres (level 2): neighbours 1, 1, 2, 3, 2, mean 9/5, |2 - 9/5| = 1/5; s_2 = 4/5, n_2 = 4.
  // Centre (level 3): neighbours four 1s and four 2s, mean 3/2; s_3 = 3/2, n_3 = 1.
  // N_vc = 9, p = 4/9, 4/9, 1/9; sum p s = 64/27 + 16/45 + 1/6 = 78.1/27; sum s = 7.6333...
  const rows = computeNgtdm(greyLevelInput([3, 3, 1], CROSS), { distance: 1 }, ALL);
  const p = [4 / 9, 4 / 9, 1 / 9];
  const s = [16 / 3, 4 / 5, 3 / 2];
  const x = [1, 2, 3];
  const ps = p.map((pi, i) => pi * s[i]);
  const sumS = s[0] + s[1] + s[2];

  it('has the 5 features with the IBSI names and codes', () => {
    expect(rows.length).toBe(15);
    expect(rows.slice(0, 5).map((r) => `${r.feature} ${r.ibsi_code}`)).toEqual([
      'Coarseness QCDE', 'Contrast 65HE', 'Busyness NQ30', 'Complexity HDEZ', 'Strength 1X9X',
    ]);
  });

  it('matches the hand-worked values (one slice: 2D = 2.5D = 3D)', () => {
    // Contrast: sum_ij p_i p_j (i - j)^2 = 2 (16 + 16 + 4) / 81, over N_gp (N_gp - 1) = 6,
    // times sum s / N_vc.
    const contrast = ((2 * 36) / 81 / 6) * (sumS / 9);
    // Busyness: sum p s / sum_ij |i p_i - j p_j|, with i p_i = 4/9, 8/9, 3/9.
    const busyness = (ps[0] + ps[1] + ps[2]) / (2 * (4 / 9 + 1 / 9 + 5 / 9));
    // Complexity: 2 [1 (ps1 + ps2) / (8/9) + 2 (ps1 + ps3) / (5/9) + 1 (ps2 + ps3) / (5/9)] / 9.
    let complexity = 0;
    let strength = 0;
    for (let a = 0; a < 3; a++) {
      for (let b = 0; b < 3; b++) {
        complexity += (Math.abs(x[a] - x[b]) * (ps[a] + ps[b])) / (p[a] + p[b]);
        strength += (p[a] + p[b]) * (x[a] - x[b]) ** 2;
      }
    }
    const expected = [27 / 78.1, contrast, busyness, complexity / 9, strength / sumS];
    // The same numbers written out: 0.34571..., 0.12565..., 1.30166..., 2.92, 0.96069...
    expect(expected[3]).toBeCloseTo(2.92, 12);
    expect(expected[2]).toBeCloseTo(1.3016666666666667, 12);
    for (const aggregation of ALL) {
      const got = rows.filter((r) => r.aggregation === aggregation).map((r) => r.value);
      for (let f = 0; f < 5; f++) expect(got[f], `${rows[f].feature} ${aggregation}`).toBeCloseTo(expected[f], 12);
    }
  });

  it('uses a larger neighbourhood for distance 2', () => {
    // Distance 2 covers the whole slice: the neighbours are the 8 other voxels (sum 15 - own).
    // Corners |1 - 14/8| = 3/4 (x4), edges |2 - 13/8| = 3/8 (x4), centre |3 - 12/8| = 3/2;
    // s = 3, 3/2, 3/2: coarseness 1 / (4/9 * 3 + 4/9 * 3/2 + 1/9 * 3/2) = 1 / (13/6).
    const d2 = computeNgtdm(greyLevelInput([3, 3, 1], CROSS), { distance: 2 }, ['2D']);
    expect(valueOf(d2, 'Coarseness', '2D')).toBeCloseTo(6 / 13, 12);
  });

  it('uses grey level values, not bin numbers', () => {
    // Values 10, 20, 30: s and the level differences scale by 10, p does not. Coarseness / 10,
    // contrast x 1000, busyness 1, complexity x 100, strength x 10.
    const scaled = computeNgtdm(greyLevelInput([3, 3, 1], CROSS, { binValues: [0, 10, 20, 30] }), { distance: 1 }, ['3D']);
    const base = rows.filter((r) => r.aggregation === '3D').map((r) => r.value);
    const got = scaled.map((r) => r.value);
    expect(got[0]).toBeCloseTo(base[0] / 10, 12);
    expect(got[1]).toBeCloseTo(base[1] * 1000, 9);
    expect(got[2]).toBeCloseTo(base[2], 12);
    expect(got[3]).toBeCloseTo(base[3] * 100, 9);
    expect(got[4]).toBeCloseTo(base[4] * 10, 9);
  });
});

describe('NGTDM, voxels without ROI neighbours', () => {
  // k = 0:  1 . 2   (the middle voxel is outside the ROI)
  // k = 1:  2 2 2
  // 2D: in slice 0 neither voxel has an in-plane ROI neighbour, so the slice is skipped; slice
  // 1 is flat (s = 0): coarseness 10^6, the others 0. 2.5D merges slice 1 alone: the same.
  // 3D: (0,0,0) level 1, ROI neighbours (0,0,1), (1,0,1) = 2, 2: |1 - 2| = 1.
  //     (2,0,0) level 2, neighbours 2, 2: 0.
  //     (0,0,1): neighbours (1,0,1) = 2, (0,0,0) = 1: |2 - 3/2| = 1/2.
  //     (1,0,1): neighbours 2, 2, 1, 2: |2 - 7/4| = 1/4.   (2,0,1): neighbours 2, 2: 0.
  //     s_1 = 1, n_1 = 1; s_2 = 3/4, n_2 = 4; N_vc = 5, p = 1/5, 4/5.
  const rows = computeNgtdm(greyLevelInput([3, 1, 2], [1, 0, 2, 2, 2, 2]), { distance: 1 }, ALL);

  it('skips the slice in 2D and 2.5D and uses the IBSI values of a flat neighbourhood', () => {
    for (const aggregation of ['2D', '2.5D']) {
      expect(valueOf(rows, 'Coarseness', aggregation)).toBe(1e6);
      expect(valueOf(rows, 'Contrast', aggregation)).toBe(0);
      expect(valueOf(rows, 'Busyness', aggregation)).toBe(0);
      expect(valueOf(rows, 'Complexity', aggregation)).toBe(0);
      expect(valueOf(rows, 'Strength', aggregation)).toBe(0);
    }
  });

  it('matches the hand-worked 3D values', () => {
    // Coarseness 1 / (1/5 * 1 + 4/5 * 3/4).
    expect(valueOf(rows, 'Coarseness', '3D')).toBeCloseTo(1 / 0.8, 12);
    // Contrast: 2 (1/5)(4/5) / 2 * (7/4) / 5.
    expect(valueOf(rows, 'Contrast', '3D')).toBeCloseTo(0.16 * 0.35, 12);
    // Busyness: 0.8 / (2 |1/5 - 8/5|).
    expect(valueOf(rows, 'Busyness', '3D')).toBeCloseTo(0.8 / 2.8, 12);
    // Complexity: 2 * 1 * (1/5 + 3/5) / 1 / 5.
    expect(valueOf(rows, 'Complexity', '3D')).toBeCloseTo(0.32, 12);
    // Strength: 2 * 1 * 1 / (7/4).
    expect(valueOf(rows, 'Strength', '3D')).toBeCloseTo(8 / 7, 12);
  });

  it('gives NaN when no voxel has an ROI neighbour', () => {
    const isolated = computeNgtdm(greyLevelInput([3, 1, 1], [1, 0, 2]), { distance: 1 }, ALL);
    expect(isolated.every((r) => Number.isNaN(r.value))).toBe(true);
  });
});

describe('NGTDM settings', () => {
  it('rejects a distance that is not a positive integer', () => {
    const input = greyLevelInput([1, 1, 1], [1]);
    expect(() => computeNgtdm(input, { distance: 0 }, ['3D'])).toThrow(/NGTDM: distance 0/);
    expect(() => computeNgtdm(input, { distance: 1.5 }, ['3D'])).toThrow(/integer/);
  });
});
