/**
 * NGLDM (IBSI 3.9) on hand-worked volumes.
 */
import { describe, expect, it } from 'vitest';
import type { ZoneAggregation } from '../../src/engine/features/types';
import { computeNgldm } from '../../src/engine/texture/ngldm';
import { greyLevelInput, valueOf } from './glszm-fixtures';

const ALL: readonly ZoneAggregation[] = ['2D', '2.5D', '3D'];

// One 3x3 slice, all ROI:   1 2 1 / 2 3 2 / 1 2 1
const CROSS = [1, 2, 1, 2, 3, 2, 1, 2, 1];

describe('NGLDM, one 3x3 slice, distance 1, alpha 0', () => {
  // Dependence k = 1 + neighbours of the same level. Corners (1): neighbours 2, 2, 3: k = 1.
  // Edge centres (2): neighbours 1, 1, 2, 3, 2: k = 3. Centre (3): k = 1.
  // s = {(1,1): 4, (2,3): 4, (3,1): 1}, N_s = N_v = 9.
  const rows = computeNgldm(greyLevelInput([3, 3, 1], CROSS), { distance: 1, alpha: 0 }, ALL);

  it('has the 17 features with the IBSI names and codes', () => {
    expect(rows.length).toBe(51);
    expect(rows.slice(0, 17).map((r) => r.ibsi_code)).toEqual([
      'SODN', 'IMOQ', 'TL9H', 'OAE7', 'EQ3F', 'JA6D', 'NBZI', '9QMG', 'FP8K', '5SPA', 'Z87G', 'OKJI', '6XV8', '1PFV', 'DNX2', 'FCBV', 'CAS9',
    ]);
  });

  it('matches the hand-worked values (one slice: 2D = 2.5D = 3D)', () => {
    const expected: Record<string, number> = {
      'Low dependence emphasis': (4 + 4 / 9 + 1) / 9,
      'High dependence emphasis': (4 + 36 + 1) / 9,
      'Low grey level count emphasis': (4 + 4 / 4 + 1 / 9) / 9,
      'High grey level count emphasis': (4 + 16 + 9) / 9,
      'Low dependence low grey level emphasis': (4 + 4 / 36 + 1 / 9) / 9,
      'Low dependence high grey level emphasis': (4 + (4 * 4) / 9 + 9) / 9,
      'High dependence low grey level emphasis': (4 + (4 * 9) / 4 + 1 / 9) / 9,
      'High dependence high grey level emphasis': (4 + 4 * 4 * 9 + 9) / 9,
      // Voxels per level 4, 4, 1.
      'Grey level non-uniformity': 33 / 9,
      'Normalised grey level non-uniformity': 33 / 81,
      // Voxels per dependence: k = 1: 5, k = 3: 4.
      'Dependence count non-uniformity': 41 / 9,
      'Normalised dependence count non-uniformity': 41 / 81,
      'Dependence count percentage': 1,
      // Mean level 15/9: (4 (2/3)^2 + 4 (1/3)^2 + (4/3)^2) / 9.
      'Grey level variance': 4 / 9,
      // Mean dependence 17/9: (5 (8/9)^2 + 4 (10/9)^2) / 9.
      'Dependence count variance': (5 * (8 / 9) ** 2 + 4 * (10 / 9) ** 2) / 9,
      'Dependence count entropy': -(2 * (4 / 9) * Math.log2(4 / 9) + (1 / 9) * Math.log2(1 / 9)),
      'Dependence count energy': 33 / 81,
    };
    expect(expected['Dependence count variance']).toBeCloseTo(80 / 81, 12);
    for (const aggregation of ALL) {
      for (const [feature, value] of Object.entries(expected)) {
        expect(valueOf(rows, feature, aggregation), `${feature} ${aggregation}`).toBeCloseTo(value, 12);
      }
    }
  });

  it('counts neighbours within alpha of the grey level VALUE', () => {
    // alpha = 1: corners match their two 2-neighbours (k = 3), edge centres all five neighbours
    // (k = 6), the centre its four 2-neighbours (k = 5): s = {(1,3): 4, (2,6): 4, (3,5): 1}.
    const a1 = computeNgldm(greyLevelInput([3, 3, 1], CROSS), { distance: 1, alpha: 1 }, ['2D']);
    expect(valueOf(a1, 'High dependence emphasis', '2D')).toBeCloseTo((4 * 9 + 4 * 36 + 25) / 9, 12);
    expect(valueOf(a1, 'Low dependence emphasis', '2D')).toBeCloseTo((4 / 9 + 4 / 36 + 1 / 25) / 9, 12);
    // Values 10, 20, 30 with alpha 10 give the same dependence counts; alpha 1 then matches
    // nothing but equal levels (the alpha-0 matrix).
    const scaled = greyLevelInput([3, 3, 1], CROSS, { binValues: [0, 10, 20, 30] });
    const a10 = computeNgldm(scaled, { distance: 1, alpha: 10 }, ['2D']);
    expect(valueOf(a10, 'High dependence emphasis', '2D')).toBeCloseTo(valueOf(a1, 'High dependence emphasis', '2D'), 12);
    const a1scaled = computeNgldm(scaled, { distance: 1, alpha: 1 }, ['2D']);
    expect(valueOf(a1scaled, 'High dependence emphasis', '2D')).toBeCloseTo(41 / 9, 12);
  });

  it('uses a larger neighbourhood for distance 2', () => {
    // Distance 2 covers the slice: corners see the 3 other 1s (k = 4), edge centres the 3 other
    // 2s (k = 4), the centre no 3 (k = 1): LDE (4/16 + 4/16 + 1) / 9.
    const d2 = computeNgldm(greyLevelInput([3, 3, 1], CROSS), { distance: 2, alpha: 0 }, ['2D']);
    expect(valueOf(d2, 'Low dependence emphasis', '2D')).toBeCloseTo(1.5 / 9, 12);
  });
});

describe('NGLDM in 3D and across slices', () => {
  it('counts up to the full 26-neighbourhood (k = 27) in a uniform 3x3x3 cube', () => {
    // Corners see 7 neighbours (k = 8, 8 voxels), edge voxels 11 (k = 12, 12 voxels), face
    // centres 17 (k = 18, 6 voxels), the centre 26 (k = 27): HDE = (8*64 + 12*144 + 6*324 + 729) / 27.
    const rows = computeNgldm(greyLevelInput([3, 3, 3], new Array<number>(27).fill(1)), { distance: 1, alpha: 0 }, ALL);
    expect(valueOf(rows, 'High dependence emphasis', '3D')).toBeCloseTo(4913 / 27, 10);
    // In-plane, each slice: corners k = 4 (4 voxels), edge centres k = 6 (4), centre k = 9 (1):
    // HDE (4*16 + 4*36 + 81) / 9 per slice, the same merged.
    expect(valueOf(rows, 'High dependence emphasis', '2D')).toBeCloseTo(289 / 9, 10);
    expect(valueOf(rows, 'High dependence emphasis', '2.5D')).toBeCloseTo(289 / 9, 10);
    expect(valueOf(rows, 'Dependence count percentage', '2.5D')).toBe(1);
  });

  it('averages 2D over slices and merges 2.5D (N_s and N_v summed)', () => {
    // k = 0: 1 1 (both k = 2);  k = 1: 1 2 (both k = 1).
    // 2D: slice 0 GLNU 2^2 / 2 = 2, slice 1 (1 + 1) / 2 = 1: average 1.5.
    // 2.5D: level 1 has 3 voxels, level 2 one: (9 + 1) / 4 = 2.5.
    const rows = computeNgldm(greyLevelInput([2, 1, 2], [1, 1, 1, 2]), { distance: 1, alpha: 0 }, ALL);
    expect(valueOf(rows, 'Grey level non-uniformity', '2D')).toBeCloseTo(1.5, 12);
    expect(valueOf(rows, 'Grey level non-uniformity', '2.5D')).toBeCloseTo(2.5, 12);
    // 3D: (0,0,0) sees (1,0,0), (0,0,1): k = 3; (1,0,0) sees (0,0,0), (0,0,1): k = 3;
    // (0,0,1) sees both level-1 voxels of slice 0: k = 3; (1,0,1) level 2: k = 1.
    // LDE (3/9 + 1) / 4.
    expect(valueOf(rows, 'Low dependence emphasis', '3D')).toBeCloseTo((3 / 9 + 1) / 4, 12);
  });
});

describe('NGLDM settings', () => {
  it('rejects a bad distance or alpha', () => {
    const input = greyLevelInput([1, 1, 1], [1]);
    expect(() => computeNgldm(input, { distance: -1, alpha: 0 }, ['3D'])).toThrow(/NGLDM: distance -1/);
    expect(() => computeNgldm(input, { distance: 1, alpha: -1 }, ['3D'])).toThrow(/alpha/);
    expect(() => computeNgldm(input, { distance: 1, alpha: NaN }, ['3D'])).toThrow(/alpha/);
  });
});
