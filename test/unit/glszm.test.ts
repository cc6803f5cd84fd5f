/**
 * GLSZM (IBSI 3.6) on hand-worked volumes, and the zone labelling it rests on (zones.ts).
 */
import { describe, expect, it } from 'vitest';
import type { ZoneAggregation } from '../../src/engine/features/types';
import { computeGlszm } from '../../src/engine/texture/glszm';
import { buildNeighbourhoodGrid } from '../../src/engine/texture/neighbourhood-grid';
import { labelZones } from '../../src/engine/texture/zones';
import { greyLevelInput, valueOf } from './glszm-fixtures';

const ALL: readonly ZoneAggregation[] = ['2D', '2.5D', '3D'];

describe('GLSZM, one 4x3 slice', () => {
  // j = 0:  1 1 2 2
  // j = 1:  1 2 2 3
  // j = 2:  3 3 1 3
  // 8-connected zones: level 1 {(0,0),(1,0),(0,1)} size 3 and {(2,2)} size 1 (its diagonal
  // neighbours (1,1), (3,1) are 2 and 3); level 2 {(2,0),(3,0),(1,1),(2,1)} size 4; level 3
  // {(0,2),(1,2)} size 2 and {(3,1),(3,2)} size 2. N_s = 5, N_v = 12.
  const input = greyLevelInput([4, 3, 1], [
    1, 1, 2, 2,
    1, 2, 2, 3,
    3, 3, 1, 3,
  ]);
  const rows = computeGlszm(input, ALL);

  it('has 16 features per aggregation with the IBSI names and codes', () => {
    expect(rows.length).toBe(48);
    expect(rows.slice(0, 16).map((r) => r.ibsi_code)).toEqual([
      '5QRC', '48P8', 'XMSY', '5GN9', '5RAI', 'HW1V', 'YH51', 'J17V', 'JNSA', 'Y1RO', '4JP3', 'VB3A', 'P30P', 'BYLV', '3NSA', 'GU8N',
    ]);
    expect(rows.every((r) => r.family === 'szm' && r.standardised)).toBe(true);
  });

  it('matches the hand-worked values (one slice: 2D = 2.5D = 3D)', () => {
    const expected: Record<string, number> = {
      // (1/9 + 1 + 1/16 + 1/4 + 1/4) / 5
      'Small zone emphasis': (1 / 9 + 1 + 1 / 16 + 1 / 4 + 1 / 4) / 5,
      // (9 + 1 + 16 + 4 + 4) / 5
      'Large zone emphasis': 34 / 5,
      // (1 + 1 + 1/4 + 1/9 + 1/9) / 5
      'Low grey level zone emphasis': (2 + 1 / 4 + 2 / 9) / 5,
      // (1 + 1 + 4 + 9 + 9) / 5
      'High grey level zone emphasis': 24 / 5,
      // (1/9 + 1/1 + 1/(4*16) + 2/(9*4)) / 5
      'Small zone low grey level emphasis': (1 / 9 + 1 + 1 / 64 + 2 / 36) / 5,
      // (1/9 + 1 + 4/16 + 2*9/4) / 5
      'Small zone high grey level emphasis': (1 / 9 + 1 + 4 / 16 + 18 / 4) / 5,
      // (9 + 1 + 16/4 + 2*4/9) / 5
      'Large zone low grey level emphasis': (9 + 1 + 4 + 8 / 9) / 5,
      // (9 + 1 + 4*16 + 2*9*4) / 5
      'Large zone high grey level emphasis': 146 / 5,
      // zones per level 2, 1, 2
      'Grey level non-uniformity': 9 / 5,
      'Normalised grey level non-uniformity': 9 / 25,
      // zones per size: 1 -> 1, 2 -> 2, 3 -> 1, 4 -> 1
      'Zone size non-uniformity': 7 / 5,
      'Normalised zone size non-uniformity': 7 / 25,
      'Zone percentage': 5 / 12,
      // mean level 2: (1 + 1 + 0 + 1 + 1) / 5
      'Grey level variance': 4 / 5,
      // mean size 12/5: (0.36 + 1.96 + 2.56 + 0.16 + 0.16) / 5
      'Zone size variance': 5.2 / 5,
      // p = 0.2, 0.2, 0.2, 0.4
      'Zone size entropy': -(3 * 0.2 * Math.log2(0.2) + 0.4 * Math.log2(0.4)),
    };
    for (const aggregation of ALL) {
      for (const [feature, value] of Object.entries(expected)) {
        expect(valueOf(rows, feature, aggregation), `${feature} ${aggregation}`).toBeCloseTo(value, 12);
      }
    }
  });

  it('uses grey level values, not bin numbers', () => {
    // Same bins, values 10, 20, 30: the high grey level emphasis scales by 100, the variance too.
    const scaled = computeGlszm(greyLevelInput([4, 3, 1], [1, 1, 2, 2, 1, 2, 2, 3, 3, 3, 1, 3], { binValues: [0, 10, 20, 30] }), ['3D']);
    expect(valueOf(scaled, 'High grey level zone emphasis', '3D')).toBeCloseTo(480, 9);
    expect(valueOf(scaled, 'Grey level variance', '3D')).toBeCloseTo(80, 9);
    expect(valueOf(scaled, 'Small zone emphasis', '3D')).toBeCloseTo(valueOf(rows, 'Small zone emphasis', '3D'), 12);
  });

  it('reports the low grey level emphases as NaN when a grey level value is 0', () => {
    const zero = computeGlszm(greyLevelInput([2, 1, 1], [1, 2], { binValues: [0, 0, 5] }), ['3D']);
    expect(valueOf(zero, 'Low grey level zone emphasis', '3D')).toBeNaN();
    expect(valueOf(zero, 'High grey level zone emphasis', '3D')).toBeCloseTo(25 / 2, 12);
  });
});

describe('GLSZM, 2x2x2 volume: 2D averages slices, 2.5D merges them, 3D joins them', () => {
  // k = 0: 1 2 / 2 2      k = 1: 2 1 / 1 1
  // 2D: slice 0 has zones (level 1, size 1), (2, 3); slice 1 has (2, 1), (1, 3).
  // 3D (26-connected): (0,0,0) touches (1,0,1) diagonally, so all level-1 voxels form one zone
  // of size 4; likewise (0,0,1) joins the level-2 voxels of slice 0: zones (1, 4), (2, 4).
  const input = greyLevelInput([2, 2, 2], [1, 2, 2, 2, 2, 1, 1, 1]);
  const rows = computeGlszm(input, ALL);

  it('matches the hand-worked values', () => {
    // Per slice: SZE (1 + 1/9) / 2, the same in both slices and in the merged matrix.
    expect(valueOf(rows, 'Small zone emphasis', '2D')).toBeCloseTo(5 / 9, 12);
    expect(valueOf(rows, 'Small zone emphasis', '2.5D')).toBeCloseTo(5 / 9, 12);
    expect(valueOf(rows, 'Small zone emphasis', '3D')).toBeCloseTo(1 / 16, 12);
    // GLNU: per slice (1 + 1) / 2 = 1; merged, each level has 2 zones: (4 + 4) / 4 = 2;
    // 3D: (1 + 1) / 2 = 1.
    expect(valueOf(rows, 'Grey level non-uniformity', '2D')).toBeCloseTo(1, 12);
    expect(valueOf(rows, 'Grey level non-uniformity', '2.5D')).toBeCloseTo(2, 12);
    expect(valueOf(rows, 'Grey level non-uniformity', '3D')).toBeCloseTo(1, 12);
    // Zone percentage: 2 / 4 per slice, 4 / 8 merged (N_v summed over slices), 2 / 8 in 3D.
    expect(valueOf(rows, 'Zone percentage', '2D')).toBeCloseTo(0.5, 12);
    expect(valueOf(rows, 'Zone percentage', '2.5D')).toBeCloseTo(0.5, 12);
    expect(valueOf(rows, 'Zone percentage', '3D')).toBeCloseTo(0.25, 12);
    // 3D: both zones have size 4: zone size non-uniformity 2^2 / 2, variance 0.
    expect(valueOf(rows, 'Zone size non-uniformity', '3D')).toBeCloseTo(2, 12);
    expect(valueOf(rows, 'Zone size variance', '3D')).toBeCloseTo(0, 12);
  });

  it('returns only the requested aggregations, in the requested order', () => {
    const only = computeGlszm(input, ['3D', '2D']);
    expect(only.length).toBe(32);
    expect(only[0].aggregation).toBe('3D');
    expect(only[16].aggregation).toBe('2D');
    expect(only[0].value).toBe(valueOf(rows, 'Small zone emphasis', '3D'));
  });

  it('skips slices without ROI voxels in 2D and 2.5D', () => {
    // The same two slices with an empty slice between them: 2D and 2.5D are unchanged (the
    // empty slice is not averaged in), 3D changes because the slices no longer touch.
    const spaced = computeGlszm(greyLevelInput([2, 2, 3], [1, 2, 2, 2, 0, 0, 0, 0, 2, 1, 1, 1]), ALL);
    for (const aggregation of ['2D', '2.5D']) {
      for (const r of spaced.filter((x) => x.aggregation === aggregation)) {
        expect(r.value, `${r.feature} ${aggregation}`).toBeCloseTo(valueOf(rows, r.feature, aggregation), 12);
      }
    }
    expect(valueOf(spaced, 'Zone percentage', '3D')).toBeCloseTo(4 / 8, 12);
  });
});

describe('GLSZM edge cases', () => {
  it('gives NaN for every feature of an empty ROI', () => {
    const rows = computeGlszm(greyLevelInput([2, 2, 1], [0, 0, 0, 0]), ALL);
    expect(rows.length).toBe(48);
    expect(rows.every((r) => Number.isNaN(r.value))).toBe(true);
  });

  it('handles a single-voxel ROI (one zone of size 1)', () => {
    const rows = computeGlszm(greyLevelInput([3, 3, 1], [0, 0, 0, 0, 4, 0, 0, 0, 0]), ALL);
    expect(valueOf(rows, 'Small zone emphasis', '3D')).toBe(1);
    expect(valueOf(rows, 'Zone percentage', '2D')).toBe(1);
    expect(valueOf(rows, 'High grey level zone emphasis', '2.5D')).toBe(16);
  });

  it('rejects an unknown aggregation label', () => {
    expect(() => computeGlszm(greyLevelInput([1, 1, 1], [1]), ['4D' as ZoneAggregation])).toThrow(/unknown aggregation/);
  });
});

describe('zone labelling', () => {
  // Two slices of 4x2; level 1 in a diagonal chain, level 2 elsewhere.
  // k = 0:  1 2 2 2     k = 1:  2 2 2 1
  //         2 1 2 2             2 2 2 2
  // In-plane: slice 0 has level-1 zone {(0,0),(1,1)} (diagonal) and one level-2 zone of 6;
  // slice 1 has level-1 zone {(3,0)} and one level-2 zone of 7. In 3D, (1,1,0) and (3,0,1) are
  // 2 apart along i: not neighbours, so level 1 stays in two zones and level 2 is one zone.
  const input = greyLevelInput([4, 2, 2], [1, 2, 2, 2, 2, 1, 2, 2, 2, 2, 2, 1, 2, 2, 2, 2]);
  const grid = buildNeighbourhoodGrid(input, 1);

  it('joins diagonal neighbours within a slice and keeps slices apart in-plane', () => {
    const zones = labelZones(grid, 'in-plane');
    const summary = Array.from({ length: zones.count }, (_, z) => `${zones.level[z]}:${zones.size[z]}`).sort();
    expect(summary).toEqual(['1:1', '1:2', '2:6', '2:7']);
  });

  it('joins across slices in 3D, with or without the in-plane zones to start from', () => {
    const inPlane = labelZones(grid, 'in-plane');
    for (const zones of [labelZones(grid, 'volume'), labelZones(grid, 'volume', inPlane)]) {
      const summary = Array.from({ length: zones.count }, (_, z) => `${zones.level[z]}:${zones.size[z]}`).sort();
      expect(summary).toEqual(['1:1', '1:2', '2:13']);
      // Every ROI voxel belongs to a zone of its own level.
      for (const v of grid.voxels) expect(zones.level[zones.voxelZone[v]]).toBe(grid.levels[v]);
    }
  });
});
