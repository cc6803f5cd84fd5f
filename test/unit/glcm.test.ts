/**
 * GLCM (IBSI 3.6): matrix counts and features on hand-worked volumes, the aggregation rules for
 * empty matrices and undefined features, and the grey-level-value conventions.
 */
import { describe, expect, it } from 'vitest';
import type { DirectionalAggregation, FeatureInput, FeatureValue } from '../../src/engine/features/types';
import { DIRECTIONAL_AGGREGATIONS } from '../../src/engine/features/types';
import type { Vec3 } from '../../src/engine/image/volume';
import { buildLevelGrid, levelGridOf } from '../../src/engine/texture/directional-grid';
import { type SparseMatrix, SparseAccumulator, xlog2x } from '../../src/engine/texture/directional-matrix';
import { buildGlcmMatrices, computeGlcm, GLCM_FEATURES, glcmFeatureFunction } from '../../src/engine/texture/glcm';
import { RgsError } from '../../src/engine/util/errors';

/** A FeatureInput whose bins are `bins` (0 = outside the ROI), binValues[b] = value(b). */
function textureInput(
  dims: Vec3,
  bins: readonly number[],
  opts: { binCount?: number; value?: (b: number) => number; mask?: readonly number[] } = {},
): FeatureInput {
  const mask = Uint8Array.from(opts.mask ?? bins.map((b) => (b > 0 ? 1 : 0)));
  const binCount = opts.binCount ?? Math.max(...bins);
  const binValues = new Float64Array(binCount + 1);
  for (let b = 1; b <= binCount; b++) binValues[b] = opts.value ? opts.value(b) : b;
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

/** The full matrix (levels 1..G as rows/columns 0..G-1) of a sparse GLCM; an upper-triangle
 *  (symmetric) one has diagonal-major keys (b - a) * G + a. */
function denseOf(m: SparseMatrix, levelCount: number, upperTriangle: boolean): number[][] {
  const d = Array.from({ length: levelCount }, () => new Array<number>(levelCount).fill(0));
  for (let e = 0; e < m.size; e++) {
    const q = Math.floor(m.keys[e] / levelCount);
    const r = m.keys[e] - q * levelCount;
    const [a, b] = upperTriangle ? [r, r + q] : [q, r];
    d[a][b] += m.counts[e];
    if (upperTriangle && a !== b) d[b][a] += m.counts[e];
  }
  return d;
}

function featureMap(m: SparseMatrix, input: FeatureInput, symmetric: boolean): Map<string, number> {
  const out = new Float64Array(GLCM_FEATURES.length);
  glcmFeatureFunction(buildLevelGrid(input, 1), symmetric)(m, out);
  return new Map(GLCM_FEATURES.map(([name], f) => [name, out[f]]));
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
const EXAMPLE_DIMS: Vec3 = [4, 4, 1];

function exampleMatrices(distance: number, symmetric: boolean) {
  const input = textureInput(EXAMPLE_DIMS, EXAMPLE);
  const grid = buildLevelGrid(input, distance);
  const acc = new SparseAccumulator(grid.levelCount, grid.levelCount);
  return { input, grid, matrices: buildGlcmMatrices(grid, distance, symmetric, false, acc) };
}

describe('GLCM matrices of the 4x4 example', () => {
  it('counts the horizontal pairs (direction (1,0,0)), symmetric and not', () => {
    // Horizontal pairs (first -> second), row by row:
    //   row 0: (1,2) (2,2) (2,3)   row 1: (1,2) (2,3) (3,3)
    //   row 2: (4,2) (2,4) (4,1)   row 3: (4,1) (1,2) (2,3)
    // M: (1,2) 3, (2,2) 1, (2,3) 3, (3,3) 1, (4,2) 1, (2,4) 1, (4,1) 2 — 12 pairs.
    const plain = exampleMatrices(1, false).matrices.perSlice[0][0];
    expect(denseOf(plain, 4, false)).toEqual([
      [0, 3, 0, 0],
      [0, 1, 3, 1],
      [0, 0, 1, 0],
      [2, 1, 0, 0],
    ]);
    // Symmetric S = M + M^T (24 counts): equal-level pairs count twice on the diagonal.
    const sym = exampleMatrices(1, true).matrices.perSlice[0][0];
    expect(denseOf(sym, 4, true)).toEqual([
      [0, 3, 0, 2],
      [3, 2, 3, 2],
      [0, 3, 2, 0],
      [2, 2, 0, 0],
    ]);
  });

  it('counts the vertical pairs (direction (0,1,0))', () => {
    // Columns top to bottom: 1 1 4 4 -> (1,1) (1,4) (4,4); 2 2 2 1 -> (2,2) (2,2) (2,1);
    // 2 3 4 2 -> (2,3) (3,4) (4,2); 3 3 1 3 -> (3,3) (3,1) (1,3).
    // S: diagonal 2 x {(1,1) 1, (2,2) 2, (3,3) 1, (4,4) 1}; off-diagonal {1,2} 1, {1,3} 2,
    // {1,4} 1, {2,3} 1, {2,4} 1, {3,4} 1.
    const sym = exampleMatrices(1, true).matrices.perSlice[0][1];
    expect(denseOf(sym, 4, true)).toEqual([
      [2, 1, 2, 1],
      [1, 4, 1, 1],
      [2, 1, 2, 1],
      [1, 1, 1, 2],
    ]);
  });

  it('counts pairs at Chebyshev distance 2', () => {
    // Horizontal pairs two apart: row 0: (1,2) (2,3); row 1: (1,3) (2,3); row 2: (4,4) (2,1);
    // row 3: (4,2) (1,3).
    const plain = exampleMatrices(2, false).matrices.perSlice[0][0];
    expect(denseOf(plain, 4, false)).toEqual([
      [0, 1, 2, 0],
      [1, 0, 2, 0],
      [0, 0, 0, 0],
      [0, 1, 0, 1],
    ]);
    // Diagonal (1,1,0) at distance 2: (0,0)->(2,2) 1->4, (1,0)->(3,2) 2->1, (0,1)->(2,3) 1->2,
    // (1,1)->(3,3) 2->3.
    expect(denseOf(exampleMatrices(2, false).matrices.perSlice[0][2], 4, false)).toEqual([
      [0, 1, 0, 1],
      [1, 0, 1, 0],
      [0, 0, 0, 0],
      [0, 0, 0, 0],
    ]);
  });

  it('has no pairs at a distance the ROI is not wide enough for', () => {
    const values = computeGlcm(textureInput(EXAMPLE_DIMS, EXAMPLE), { distance: 4, symmetric: true }, DIRECTIONAL_AGGREGATIONS);
    expect(values).toHaveLength(6 * 25);
    for (const v of values) expect(v.value).toBeNaN();
  });
});

describe('GLCM features of the horizontal matrix of the 4x4 example', () => {
  // S (above), 24 counts, p = S / 24. Row sums (= column sums) 5, 10, 5, 4.
  // Cells: four of count 3, six of count 2.
  // p_{x-y}: k = 0: 4/24, 1: 12/24, 2: 4/24, 3: 4/24.
  // p_{x+y}: k = 3: 6/24, 4: 2/24, 5: 10/24, 6: 6/24.
  const { input, matrices } = exampleMatrices(1, true);
  const f = featureMap(matrices.perSlice[0][0], input, true);
  const px = [5 / 24, 10 / 24, 5 / 24, 4 / 24];
  const hx = -px.reduce((s, p) => s + p * Math.log2(p), 0);
  const hxy = 1.5 + 0.5 * Math.log2(12); // 4 x (1/8) log2 8 + 6 x (1/12) log2 12
  const expected: Record<string, number> = {
    'Joint maximum': 3 / 24,
    'Joint average': 56 / 24, // (1*5 + 2*10 + 3*5 + 4*4) / 24
    'Joint variance': 77 / 12 - 49 / 9, // E[i^2] - mu^2 = 154/24 - (7/3)^2 = 35/36
    'Joint entropy': hxy,
    'Difference average': 32 / 24, // (12*1 + 4*2 + 4*3) / 24
    'Difference variance': 64 / 24 - (4 / 3) ** 2, // E[k^2] - (4/3)^2 = 8/9
    'Difference entropy': 0.5 * Math.log2(6) + 0.5, // 3 x (1/6) log2 6 + (1/2) log2 2
    'Sum average': 112 / 24, // (3*6 + 4*2 + 5*10 + 6*6) / 24
    'Sum variance': 23 - (14 / 3) ** 2, // E[k^2] = 552/24 = 23; = 11/9
    'Sum entropy': 2 * 0.25 * 2 + (1 / 12) * Math.log2(12) + (5 / 12) * Math.log2(12 / 5),
    'Angular second moment': (4 * 9 + 6 * 4) / 576,
    Contrast: 64 / 24, // (12*1 + 4*4 + 4*9) / 24
    Dissimilarity: 32 / 24,
    'Inverse difference': (4 + 12 / 2 + 4 / 3 + 4 / 4) / 24, // 37/72
    // N_g = binCount = 4.
    'Normalised inverse difference': (4 + 12 / (1 + 1 / 4) + 4 / (1 + 2 / 4) + 4 / (1 + 3 / 4)) / 24,
    'Inverse difference moment': (4 + 12 / 2 + 4 / 5 + 4 / 10) / 24, // 7/15
    'Normalised inverse difference moment': (4 + 12 / (1 + 1 / 16) + 4 / (1 + 4 / 16) + 4 / (1 + 9 / 16)) / 24,
    'Inverse variance': (12 / 1 + 4 / 4 + 4 / 9) / 24, // 121/216
    Correlation: -13 / 35, // cov = E[ij] - mu^2 = 61/12 - 49/9 = -13/36; var = 35/36
    Autocorrelation: 122 / 24, // (2*6 + 4*4 + 4*2 + 6*6 + 9*2 + 8*4) / 24
    'Cluster tendency': 11 / 9, // = sum variance for a symmetric matrix
    // (k - 14/3) = -5/3, -2/3, 1/3, 4/3 with p 1/4, 1/12, 5/12, 1/4
    'Cluster shade': (3 * -125 - 8 + 5 * 1 + 3 * 64) / 324, // -31/54
    'Cluster prominence': (3 * 625 + 16 + 5 * 1 + 3 * 256) / 972, // 74/27
    // HXY1 = HXY2 = HX + HY = 2 HX for a symmetric matrix.
    'Information correlation 1': (hxy - 2 * hx) / hx,
    'Information correlation 2': Math.sqrt(1 - Math.exp(-2 * (2 * hx - hxy))),
  };

  it.each(Object.entries(expected))('%s', (name, value) => {
    expect(f.get(name)).toBeCloseTo(value, 12);
  });

  it('covers every GLCM feature', () => {
    expect(Object.keys(expected).sort()).toEqual(GLCM_FEATURES.map(([n]) => n).sort());
  });

  it('joint entropy of the non-symmetric matrix', () => {
    // M cells over 12 pairs: 3, 1, 3, 1, 1, 1, 2.
    const plain = exampleMatrices(1, false);
    const g = featureMap(plain.matrices.perSlice[0][0], plain.input, false);
    const h = -[3, 1, 3, 1, 1, 1, 2].reduce((s, c) => s + (c / 12) * Math.log2(c / 12), 0);
    expect(g.get('Joint entropy')).toBeCloseTo(h, 12);
    // Row means: i = (1*3 + 2*5 + 3*1 + 4*3)/12; column means: j = (1*2 + 2*5 + 3*4 + 4*1)/12.
    expect(g.get('Joint average')).toBeCloseTo(28 / 12, 12);
    expect(g.get('Joint maximum')).toBeCloseTo(3 / 12, 12);
  });
});

describe('GLCM aggregation', () => {
  // Two slices: k = 0 holds levels 1, 2 at i = 0, 1; k = 1 holds a single voxel of level 1 at
  // i = 0. Pairs: A(0,0,0)-B(1,0,0) levels {1,2} in direction (1,0,0); A-C(0,0,1) levels {1,1}
  // in (0,0,1); B-C levels {2,1} in (-1,0,1). Slice k = 1 has no pair in any direction and the
  // other in-plane directions of slice 0 have none: their empty matrices take no part.
  const input = textureInput([2, 1, 2], [1, 2, 1, 0]);
  const values = computeGlcm(input, { distance: 1, symmetric: true }, DIRECTIONAL_AGGREGATIONS);

  it('2D and 2.5D see only the {1,2} pair: S = [[0,1],[1,0]]', () => {
    for (const agg of ['2D, averaged', '2D, slice-merged', '2.5D, direction-merged', '2.5D, merged'] as const) {
      expect(valueOf(values, agg, 'Contrast')).toBeCloseTo(1, 12);
      expect(valueOf(values, agg, 'Joint average')).toBeCloseTo(1.5, 12);
      expect(valueOf(values, agg, 'Joint maximum')).toBeCloseTo(0.5, 12);
      expect(valueOf(values, agg, 'Correlation')).toBeCloseTo(-1, 12);
    }
  });

  it('3D, averaged: the 3 non-empty directions, a NaN feature left out of its average', () => {
    // (1,0,0): p 1/2 at (1,2), (2,1); (0,0,1): p 1 at (1,1); (-1,0,1): as (1,0,0).
    expect(valueOf(values, '3D, averaged', 'Joint maximum')).toBeCloseTo((0.5 + 1 + 0.5) / 3, 12);
    expect(valueOf(values, '3D, averaged', 'Contrast')).toBeCloseTo((1 + 0 + 1) / 3, 12);
    expect(valueOf(values, '3D, averaged', 'Joint average')).toBeCloseTo((1.5 + 1 + 1.5) / 3, 12);
    // The (0,0,1) matrix has one grey level: correlation and inverse variance are undefined for
    // it, so they average over the other two directions only.
    expect(valueOf(values, '3D, averaged', 'Correlation')).toBeCloseTo(-1, 12);
    expect(valueOf(values, '3D, averaged', 'Inverse variance')).toBeCloseTo(1, 12);
  });

  it('3D, merged: S = [[2,2],[2,0]] over 6 counts', () => {
    expect(valueOf(values, '3D, merged', 'Joint maximum')).toBeCloseTo(2 / 6, 12);
    expect(valueOf(values, '3D, merged', 'Contrast')).toBeCloseTo(4 / 6, 12);
    expect(valueOf(values, '3D, merged', 'Joint average')).toBeCloseTo(8 / 6, 12);
  });

  it('returns only the requested aggregations, in the order requested', () => {
    const some = computeGlcm(input, { distance: 1, symmetric: true }, ['3D, merged', '2D, averaged']);
    expect(some).toHaveLength(50);
    expect(some.slice(0, 25).every((v) => v.aggregation === '3D, merged' && v.family === 'cm')).toBe(true);
    expect(some.slice(25).every((v) => v.aggregation === '2D, averaged')).toBe(true);
    expect(some.map((v) => v.ibsi_code).slice(0, 25)).toEqual(GLCM_FEATURES.map(([, code]) => code));
    expect(valueOf(some, '3D, merged', 'Contrast')).toBe(valueOf(values, '3D, merged', 'Contrast'));
  });

  it('3D aggregations alone (in-plane directions counted over the volume at once) equal those computed with the per-slice matrices', () => {
    // A 7x6x5 volume of 9 grey levels from a fixed linear congruential sequence, with holes.
    let seed = 12345;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const bins = Array.from({ length: 7 * 6 * 5 }, () => (next() < 0.15 ? 0 : 1 + Math.floor(next() * 9)));
    const vol = textureInput([7, 6, 5], bins, { binCount: 9 });
    for (const symmetric of [true, false]) {
      const volumeOnly = computeGlcm(vol, { distance: 1, symmetric }, ['3D, averaged', '3D, merged']);
      const withSlices = computeGlcm(vol, { distance: 1, symmetric }, DIRECTIONAL_AGGREGATIONS);
      for (const v of volumeOnly) {
        const w = valueOf(withSlices, v.aggregation as DirectionalAggregation, v.feature);
        expect(Number.isFinite(v.value), v.feature).toBe(Number.isFinite(w));
        if (Number.isFinite(w)) expect(Math.abs(v.value - w), `${v.aggregation} ${v.feature}`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(w)));
      }
    }
  });

  it('is all NaN for an ROI without voxel pairs', () => {
    const single = computeGlcm(textureInput([3, 3, 3], [...new Array(13).fill(0), 4, ...new Array(13).fill(0)]), { distance: 1, symmetric: true }, DIRECTIONAL_AGGREGATIONS);
    expect(single).toHaveLength(150);
    for (const v of single) expect(v.value).toBeNaN();
  });
});

describe('GLCM grey levels', () => {
  it('counts only pairs inside the intensity mask', () => {
    // A row 1 2 3 where the third voxel is outside the mask (its bin is set regardless): only
    // the pair {1,2} counts.
    const input = textureInput([3, 1, 1], [1, 2, 3], { mask: [1, 1, 0] });
    const v = computeGlcm(input, { distance: 1, symmetric: true }, ['2D, averaged']);
    expect(valueOf(v, '2D, averaged', 'Joint average')).toBeCloseTo(1.5, 12);
    expect(valueOf(v, '2D, averaged', 'Contrast')).toBeCloseTo(1, 12);
  });

  it('rejects an ROI voxel without a bin, and a fractional distance', () => {
    const input = textureInput([2, 1, 1], [1, 0], { mask: [1, 1] });
    expect(() => computeGlcm(input, { distance: 1, symmetric: true }, ['3D, merged'])).toThrow(RgsError);
    const ok = textureInput([2, 1, 1], [1, 2]);
    expect(() => computeGlcm(ok, { distance: 1.5, symmetric: true }, ['3D, merged'])).toThrow(/GLCM distance/);
  });

  // A 5x4x3 volume with levels 1..4 and a few voxels outside the ROI.
  const dims: Vec3 = [5, 4, 3];
  const bins = Array.from({ length: 60 }, (_, v) => (v % 7 === 3 ? 0 : 1 + ((v * 7 + (v >> 3)) % 4)));
  const base = computeGlcm(textureInput(dims, bins), { distance: 1, symmetric: true }, DIRECTIONAL_AGGREGATIONS);
  const get = (values: FeatureValue[], v: FeatureValue) =>
    values.find((x) => x.aggregation === v.aggregation && x.feature === v.feature)?.value ?? NaN;

  it('uses grey level values, not bin numbers (levels 1..4 as bins 1, 3, 6, 9 of 4 other values)', () => {
    // Same ROI, bins spread over 1..9 with binValues chosen so that the used bins have values
    // 1..4: everything equal except the N_g-normalised features (N_g = 9 instead of 4).
    const spread = [0, 1, 3, 6, 9];
    const valueOfBin = (b: number) => [0, 1, 0, 2, 0, 0, 3, 0, 0, 4][b];
    const other = computeGlcm(
      textureInput(dims, bins.map((b) => spread[b]), { binCount: 9, value: valueOfBin }),
      { distance: 1, symmetric: true },
      DIRECTIONAL_AGGREGATIONS,
    );
    for (const v of base) {
      if (v.feature.startsWith('Normalised')) expect(get(other, v)).not.toBeCloseTo(v.value, 6);
      else expect(get(other, v)).toBeCloseTo(v.value, 10);
    }
  });

  it('shifts and scales with the grey level values (negative integers; fractional values)', () => {
    const shifted = computeGlcm(textureInput(dims, bins, { value: (b) => b - 1000 }), { distance: 1, symmetric: true }, DIRECTIONAL_AGGREGATIONS);
    const scaled = computeGlcm(textureInput(dims, bins, { value: (b) => 0.5 * b + 0.25 }), { distance: 1, symmetric: true }, DIRECTIONAL_AGGREGATIONS);
    const invariant = ['Joint maximum', 'Joint variance', 'Joint entropy', 'Difference entropy', 'Sum entropy', 'Angular second moment', 'Contrast', 'Dissimilarity', 'Inverse difference', 'Correlation', 'Cluster tendency', 'Cluster shade', 'Information correlation 1', 'Information correlation 2'];
    // Scaling by 1/2: moments of order n scale by 2^-n; entropies and correlation do not change.
    const scale: Record<string, number> = {
      'Joint maximum': 1, 'Joint variance': 0.25, 'Joint entropy': 1, 'Difference entropy': 1, 'Sum entropy': 1,
      'Angular second moment': 1, Contrast: 0.25, Dissimilarity: 0.5, 'Difference average': 0.5,
      'Difference variance': 0.25, 'Sum variance': 0.25, Correlation: 1, 'Cluster tendency': 0.25,
      'Cluster shade': 0.125, 'Cluster prominence': 0.0625, 'Information correlation 1': 1, 'Information correlation 2': 1,
    };
    for (const v of base) {
      if (invariant.includes(v.feature)) expect(get(shifted, v)).toBeCloseTo(v.value, 8);
      if (v.feature === 'Joint average') expect(get(shifted, v)).toBeCloseTo(v.value - 1000, 8);
      if (v.feature === 'Sum average') expect(get(shifted, v)).toBeCloseTo(v.value - 2000, 8);
      if (v.feature in scale) expect(get(scaled, v)).toBeCloseTo(v.value * scale[v.feature], 10);
      if (v.feature === 'Joint average') expect(get(scaled, v)).toBeCloseTo(0.5 * v.value + 0.25, 10);
      if (v.feature === 'Sum average') expect(get(scaled, v)).toBeCloseTo(0.5 * v.value + 0.5, 10);
    }
  });

  it('handles more grey levels than the dense scratch holds (2,100 levels in a row)', () => {
    // Levels 1..2100 in a row: 2,099 horizontal pairs {k, k+1}; S has 4,198 cells of 1.
    // Joint average = mean of all pair members = (sum_k (2k + 1)) / (2 * 2099) = 1050.5;
    // contrast = dissimilarity = inverse variance = 1; sum average = 2 * 1050.5.
    const n = 2100;
    const input = textureInput([n, 1, 1], Array.from({ length: n }, (_, i) => i + 1));
    const v = computeGlcm(input, { distance: 1, symmetric: true }, ['2D, averaged', '3D, merged']);
    for (const agg of ['2D, averaged', '3D, merged'] as const) {
      expect(valueOf(v, agg, 'Joint average')).toBeCloseTo(1050.5, 9);
      expect(valueOf(v, agg, 'Sum average')).toBeCloseTo(2101, 9);
      expect(valueOf(v, agg, 'Contrast')).toBeCloseTo(1, 12);
      expect(valueOf(v, agg, 'Inverse variance')).toBeCloseTo(1, 12);
      expect(valueOf(v, agg, 'Joint maximum')).toBeCloseTo(1 / 4198, 15);
      expect(valueOf(v, agg, 'Joint entropy')).toBeCloseTo(Math.log2(4198), 10);
    }
  });
});

describe('xlog2x (the per-cell entropy term)', () => {
  it('is exactly c * log2(c) for counts inside and beyond its lookup table, and 0 for c = 0', () => {
    for (let c = 1; c <= 5000; c++) expect(xlog2x(c)).toBe(c * Math.log2(c));
    for (const c of [0.5, 1.5, 4095.5, 1e6 + 0.25, 2 ** 31 + 1]) expect(xlog2x(c)).toBe(c * Math.log2(c));
    expect(xlog2x(0)).toBe(0);
    expect(xlog2x(8)).toBe(24);
  });
});

describe('one level grid per ROI', () => {
  it('levelGridOf builds a grid once per input and border width, equal to buildLevelGrid', () => {
    const input = textureInput(EXAMPLE_DIMS, EXAMPLE);
    const g1 = levelGridOf(input, 1);
    expect(levelGridOf(input, 1)).toBe(g1);
    expect(g1).toEqual(buildLevelGrid(input, 1));
    const g2 = levelGridOf(input, 2);
    expect(g2).not.toBe(g1);
    expect(g2).toEqual(buildLevelGrid(input, 2));
    // Another ROI with the same content is another input: its own grid.
    expect(levelGridOf(textureInput(EXAMPLE_DIMS, EXAMPLE), 1)).not.toBe(g1);
  });
});
