/**
 * GLRLM (IBSI 3.7): run counts and features on hand-worked volumes, and the aggregation rules
 * (in particular the run percentage of merged matrices).
 */
import { describe, expect, it } from 'vitest';
import type { DirectionalAggregation, FeatureInput, FeatureValue } from '../../src/engine/features/types';
import { DIRECTIONAL_AGGREGATIONS } from '../../src/engine/features/types';
import type { Vec3 } from '../../src/engine/image/volume';
import { buildLevelGrid } from '../../src/engine/texture/directional-grid';
import { type SparseMatrix, SparseAccumulator } from '../../src/engine/texture/directional-matrix';
import { buildGlrlmMatrices, computeGlrlm, GLRLM_FEATURES, glrlmFeatureFunction } from '../../src/engine/texture/glrlm';

/** A FeatureInput whose bins are `bins` (0 = outside the ROI), binValues[b] = value(b). */
function textureInput(dims: Vec3, bins: readonly number[], value?: (b: number) => number): FeatureInput {
  const mask = Uint8Array.from(bins.map((b) => (b > 0 ? 1 : 0)));
  const binCount = Math.max(...bins);
  const binValues = new Float64Array(binCount + 1);
  for (let b = 1; b <= binCount; b++) binValues[b] = value ? value(b) : b;
  const image = Float64Array.from(bins);
  return {
    dims,
    spacing: [1, 1, 1],
    image,
    morphMask: mask,
    intensityMask: mask,
    discretised: { bins: Int32Array.from(bins), binCount, binValues },
    ivh: { values: image, min: 0, max: binCount, step: 1 },
  };
}

/** runs[level - 1][length - 1] of a sparse GLRLM. */
function denseOf(m: SparseMatrix, levelCount: number, maxRun: number): number[][] {
  const d = Array.from({ length: levelCount }, () => new Array<number>(maxRun).fill(0));
  for (let e = 0; e < m.size; e++) {
    const a = Math.floor(m.keys[e] / maxRun);
    d[a][m.keys[e] - a * maxRun] += m.counts[e];
  }
  return d;
}

function valueOf(values: FeatureValue[], aggregation: DirectionalAggregation, feature: string): number {
  const v = values.find((x) => x.aggregation === aggregation && x.feature === feature);
  if (!v) throw new Error(`no ${feature} for ${aggregation}`);
  return v.value;
}

// The 4x4 single-slice example (row j = 0 first, i increasing along a row):
//   1 2 2 3
//   1 2 3 3
//   4 2 4 1
//   4 1 2 3
const EXAMPLE = [1, 2, 2, 3, 1, 2, 3, 3, 4, 2, 4, 1, 4, 1, 2, 3];

function exampleMatrices() {
  const input = textureInput([4, 4, 1], EXAMPLE);
  const grid = buildLevelGrid(input, 1);
  const acc = new SparseAccumulator(grid.levelCount, 4);
  return { input, grid, slice: buildGlrlmMatrices(grid, false, acc).perSlice[0] };
}

describe('GLRLM matrices of the 4x4 example', () => {
  const { slice } = exampleMatrices();

  it('counts the horizontal runs (direction (1,0,0))', () => {
    // row 0: 1 | 2 2 | 3; row 1: 1 | 2 | 3 3; row 2: 4 | 2 | 4 | 1; row 3: 4 | 1 | 2 | 3.
    // level 1: 4 runs of 1; level 2: 3 of 1, 1 of 2; level 3: 2 of 1, 1 of 2; level 4: 3 of 1.
    expect(denseOf(slice[0], 4, 4)).toEqual([
      [4, 0, 0, 0],
      [3, 1, 0, 0],
      [2, 1, 0, 0],
      [3, 0, 0, 0],
    ]);
    expect(slice[0].voxels).toBe(16);
  });

  it('counts the vertical runs (direction (0,1,0))', () => {
    // columns top to bottom: 1 1 | 4 4; 2 2 2 | 1; 2 | 3 | 4 | 2; 3 3 | 1 | 3.
    expect(denseOf(slice[1], 4, 4)).toEqual([
      [2, 1, 0, 0],
      [2, 0, 1, 0],
      [2, 1, 0, 0],
      [1, 1, 0, 0],
    ]);
  });

  it('counts the diagonal runs (directions (1,1,0) and (1,-1,0))', () => {
    // (1,1,0), lines i - j = const: 0: 1|2|4|3; 1: 2|3|1; 2: 2|3; 3: 3; -1: 1|2 2; -2: 4|1; -3: 4.
    expect(denseOf(slice[2], 4, 4)).toEqual([
      [4, 0, 0, 0],
      [3, 1, 0, 0],
      [4, 0, 0, 0],
      [3, 0, 0, 0],
    ]);
    // (1,-1,0), lines i + j = const: 0: 1; 1: 2|1; 2: 2 2|4; 3: 3 3|2|4; 4: 3|4|1; 5: 1|2; 6: 3.
    expect(denseOf(slice[3], 4, 4)).toEqual([
      [4, 0, 0, 0],
      [3, 1, 0, 0],
      [2, 1, 0, 0],
      [3, 0, 0, 0],
    ]);
  });
});

describe('GLRLM features of the horizontal matrix of the 4x4 example', () => {
  // Cells (level i, length j): (1,1) 4, (2,1) 3, (2,2) 1, (3,1) 2, (3,2) 1, (4,1) 3.
  // N_s = 14 runs over N_v = 16 voxels. r_i. = 4, 4, 3, 3; r_.j = 12, 2.
  const { grid, slice } = exampleMatrices();
  const out = new Float64Array(GLRLM_FEATURES.length);
  glrlmFeatureFunction(grid, 4)(slice[0], out);
  const f = new Map(GLRLM_FEATURES.map(([name], k) => [name, out[k]]));
  const expected: Record<string, number> = {
    'Short runs emphasis': (12 + 2 / 4) / 14,
    'Long runs emphasis': (12 + 2 * 4) / 14,
    'Low grey level run emphasis': (4 + 4 / 4 + 3 / 9 + 3 / 16) / 14, // 265/672
    'High grey level run emphasis': (4 + 4 * 4 + 3 * 9 + 3 * 16) / 14, // 95/14
    'Short run low grey level emphasis': (4 + 3 / 4 + 1 / 16 + 2 / 9 + 1 / 36 + 3 / 16) / 14, // 3/8
    'Short run high grey level emphasis': (4 + 3 * 4 + 4 / 4 + 2 * 9 + 9 / 4 + 3 * 16) / 14,
    'Long run low grey level emphasis': (4 + 3 / 4 + 4 / 4 + 2 / 9 + 4 / 9 + 3 / 16) / 14, // 317/672
    'Long run high grey level emphasis': (4 + 3 * 4 + 4 * 4 + 2 * 9 + 4 * 9 + 3 * 16) / 14, // 67/7
    'Grey level non-uniformity': (16 + 16 + 9 + 9) / 14,
    'Normalised grey level non-uniformity': (16 + 16 + 9 + 9) / 196,
    'Run length non-uniformity': (144 + 4) / 14,
    'Normalised run length non-uniformity': (144 + 4) / 196,
    'Run percentage': 14 / 16,
    'Grey level variance': 95 / 14 - (33 / 14) ** 2, // E[i^2] - E[i]^2 = 241/196
    'Run length variance': 20 / 14 - (16 / 14) ** 2, // 6/49
    'Run entropy': -[4, 3, 1, 2, 1, 3].reduce((s, c) => s + (c / 14) * Math.log2(c / 14), 0),
  };

  it.each(Object.entries(expected))('%s', (name, value) => {
    expect(f.get(name)).toBeCloseTo(value, 12);
  });

  it('covers every GLRLM feature', () => {
    expect(Object.keys(expected).sort()).toEqual(GLRLM_FEATURES.map(([n]) => n).sort());
  });
});

describe('GLRLM aggregation', () => {
  it('averages over directions and merges within the slice (4x4 example)', () => {
    const v = computeGlrlm(textureInput([4, 4, 1], EXAMPLE), DIRECTIONAL_AGGREGATIONS);
    // Runs per direction: 14, 11, 15, 14 (all over N_v = 16).
    // Runs per level: horizontal 4,4,3,3; vertical 3,3,3,2; (1,1,0) 4,4,4,3; (1,-1,0) 4,4,3,3.
    const glnu = [50 / 14, 31 / 11, 57 / 15, 50 / 14];
    expect(valueOf(v, '2D, averaged', 'Grey level non-uniformity')).toBeCloseTo(glnu.reduce((a, b) => a + b) / 4, 12);
    // Merged slice: levels 15, 15, 13, 11 over 54 runs.
    expect(valueOf(v, '2D, slice-merged', 'Grey level non-uniformity')).toBeCloseTo((225 + 225 + 169 + 121) / 54, 12);
    // With one slice, 2.5D equals 2D.
    expect(valueOf(v, '2.5D, direction-merged', 'Grey level non-uniformity')).toBeCloseTo(valueOf(v, '2D, averaged', 'Grey level non-uniformity'), 12);
    expect(valueOf(v, '2.5D, merged', 'Grey level non-uniformity')).toBeCloseTo((225 + 225 + 169 + 121) / 54, 12);
    // Run percentage of the merged slice: 54 runs / (4 directions x 16 voxels).
    expect(valueOf(v, '2D, slice-merged', 'Run percentage')).toBeCloseTo(54 / 64, 12);
  });

  it('multiplies N_v by the number of merged matrices in the run percentage', () => {
    // The 4x4 example at k = 0 plus one voxel of level 1 at (0,0,1): N_v = 17.
    const bins = [...EXAMPLE, 1, ...new Array(15).fill(0)];
    const v = computeGlrlm(textureInput([4, 4, 2], bins), DIRECTIONAL_AGGREGATIONS);
    // 2D: slice 0 matrices have 14, 11, 15, 14 runs over 16 voxels; slice 1 has 1 run over 1.
    expect(valueOf(v, '2D, averaged', 'Run percentage')).toBeCloseTo((54 / 16 + 4) / 8, 12);
    expect(valueOf(v, '2D, slice-merged', 'Run percentage')).toBeCloseTo((54 / 64 + 4 / 4) / 2, 12);
    // 2.5D: per direction 15, 12, 16, 15 runs over 17 voxels.
    expect(valueOf(v, '2.5D, direction-merged', 'Run percentage')).toBeCloseTo((15 + 12 + 16 + 15) / 4 / 17, 12);
    expect(valueOf(v, '2.5D, merged', 'Run percentage')).toBeCloseTo(58 / (4 * 17), 12);
    // 3D: the voxel at (0,0,1) continues the level-1 run of (0,0,0) along (0,0,1) and of
    // (0,1,0) along (0,-1,1) (16 runs each); in the 7 other out-of-plane directions its
    // predecessor is outside the ROI or of level 2 (17 runs each).
    const runs3d = 58 + 2 * 16 + 7 * 17;
    expect(valueOf(v, '3D, averaged', 'Run percentage')).toBeCloseTo(runs3d / 13 / 17, 12);
    expect(valueOf(v, '3D, merged', 'Run percentage')).toBeCloseTo(runs3d / (13 * 17), 12);
    // Long runs emphasis of (0,0,1): 15 runs of 1 and one of 2 -> (15 + 4) / 16.
    const lre3d = [20 / 14, (7 * 1 + 3 * 4 + 1 * 9) / 11, (14 + 4) / 15, 20 / 14].map((x, d) => {
      // Slice 1 adds one run of length 1 to every in-plane direction.
      const runs = [14, 11, 15, 14][d];
      return (x * runs + 1) / (runs + 1);
    });
    const lreAveraged = (lre3d.reduce((a, b) => a + b) + 2 * (19 / 16) + 7) / 13;
    expect(valueOf(v, '3D, averaged', 'Long runs emphasis')).toBeCloseTo(lreAveraged, 12);
  });

  it('3D aggregations alone (in-plane directions counted over the volume at once) equal those computed with the per-slice matrices', () => {
    // A 7x6x5 volume of 5 grey levels (runs of several voxels) from a fixed linear congruential sequence.
    let seed = 777;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const bins = Array.from({ length: 7 * 6 * 5 }, () => (next() < 0.1 ? 0 : 1 + Math.floor(next() * 5)));
    const vol = textureInput([7, 6, 5], bins);
    const volumeOnly = computeGlrlm(vol, ['3D, averaged', '3D, merged']);
    const withSlices = computeGlrlm(vol, DIRECTIONAL_AGGREGATIONS);
    for (const v of volumeOnly) {
      const w = valueOf(withSlices, v.aggregation as DirectionalAggregation, v.feature);
      expect(Math.abs(v.value - w), `${v.aggregation} ${v.feature}`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(w)));
    }
  });

  it('gives a single voxel one run in every direction', () => {
    const v = computeGlrlm(textureInput([1, 1, 1], [3]), DIRECTIONAL_AGGREGATIONS);
    for (const agg of DIRECTIONAL_AGGREGATIONS) {
      expect(valueOf(v, agg, 'Run percentage')).toBe(1);
      expect(valueOf(v, agg, 'Short runs emphasis')).toBe(1);
      expect(valueOf(v, agg, 'High grey level run emphasis')).toBe(9);
      expect(valueOf(v, agg, 'Run entropy')).toBe(0);
      expect(valueOf(v, agg, 'Grey level variance')).toBe(0);
    }
  });

  it('reports the low grey level emphases as undefined for a grey level value of 0', () => {
    const v = computeGlrlm(textureInput([2, 1, 1], [1, 2], (b) => b - 1), ['3D, merged']);
    expect(valueOf(v, '3D, merged', 'Low grey level run emphasis')).toBeNaN();
    expect(valueOf(v, '3D, merged', 'Long run low grey level emphasis')).toBeNaN();
    expect(valueOf(v, '3D, merged', 'High grey level run emphasis')).toBeCloseTo(0.5, 12);
  });

  it('handles more run-length cells than the dense scratch holds (2,100 levels in a row)', () => {
    const n = 2100;
    const v = computeGlrlm(textureInput([n, 1, 1], Array.from({ length: n }, (_, i) => i + 1)), ['2D, averaged', '3D, merged']);
    // Every voxel is a run of length 1 in every direction: one run per level per direction.
    // 2D (1 slice, 4 directions): per matrix GLNU = n x 1^2 / n, RLNU = n^2 / n.
    // 3D, merged: 13 runs per level, 13 n runs: GLNU = n x 13^2 / (13 n), RLNU = 13 n.
    for (const [agg, directions] of [['2D, averaged', 1], ['3D, merged', 13]] as const) {
      expect(valueOf(v, agg, 'Run percentage')).toBeCloseTo(1, 12);
      expect(valueOf(v, agg, 'Grey level non-uniformity')).toBeCloseTo(directions, 12);
      expect(valueOf(v, agg, 'Run length non-uniformity')).toBeCloseTo(directions * n, 9);
      expect(valueOf(v, agg, 'Run entropy')).toBeCloseTo(Math.log2(n), 10);
    }
  });
});
