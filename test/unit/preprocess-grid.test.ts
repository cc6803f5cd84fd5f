/**
 * The IBSI interpolation grid (IBSI 2.4, grid centres aligned): dims, positions in old index
 * coordinates, affine, sub-block ranges. Expected values are worked by hand in the comments.
 */
import { describe, expect, it } from 'vitest';
import { diagonalAffine, type Grid, type Vec3 } from '../../src/engine/image/volume';
import { blockAffine, newIndexRange, oldPosition, resampleGrid } from '../../src/engine/preprocess/resample-grid';
import { RgsError } from '../../src/engine/util/errors';

function grid(dims: Vec3, spacing: Vec3, origin: Vec3 = [0, 0, 0]): Grid {
  return { dims, spacing, affine: diagonalAffine(spacing, origin) };
}

/** World coordinates of voxel (i, j, k) under a row-major affine. */
function world(a: Float64Array, p: Vec3): Vec3 {
  return [0, 1, 2].map((r) => a[4 * r] * p[0] + a[4 * r + 1] * p[1] + a[4 * r + 2] * p[2] + a[4 * r + 3]) as Vec3;
}

describe('resampleGrid', () => {
  it('anisotropic 0.977 x 0.977 x 3 mm -> 2 x 2 x 2 mm: dims, positions and origin by hand', () => {
    // dims 5 x 4 x 3, origin (10, 20, 30).
    // x: n' = ceil(5 * 0.977 / 2) = ceil(2.4425) = 3; r = 2 / 0.977; x(m) = (m - 1) r + 2
    //    -> x(0) = 2 - 2/0.977 = -0.047083..., x(1) = 2, x(2) = 2 + 2/0.977.
    // y: n' = ceil(4 * 0.977 / 2) = ceil(1.954) = 2; y(m) = (m - 0.5) r + 1.5 -> y(0) = 1.5 - 1/0.977.
    // z: n' = ceil(3 * 3 / 2) = ceil(4.5) = 5; r = 2/3; z(m) = (m - 2) 2/3 + 1 -> -1/3, 1/3, 1, 5/3, 7/3.
    // World origin = old origin + s * x(0): x: 10 + 0.977 (2 - 2/0.977) = 10 + 1.954 - 2 = 9.954;
    // y: 20 + 0.977 (1.5 - 1/0.977) = 20 + 1.4655 - 1 = 20.4655; z: 30 + 3 (-1/3) = 29.
    const g = resampleGrid(grid([5, 4, 3], [0.977, 0.977, 3], [10, 20, 30]), [2, 2, 2], false);
    expect(g.dims).toEqual([3, 2, 5]);
    expect(g.spacing).toEqual([2, 2, 2]);
    expect(oldPosition(g.axes[0], 0)).toBeCloseTo(2 - 2 / 0.977, 12);
    expect(oldPosition(g.axes[0], 1)).toBe(2);
    expect(oldPosition(g.axes[1], 0)).toBeCloseTo(1.5 - 1 / 0.977, 12);
    expect([0, 1, 2, 3, 4].map((m) => oldPosition(g.axes[2], m))).toEqual([-1 / 3, 1 / 3, 1, 5 / 3, 7 / 3].map((v) => expect.closeTo(v, 12)));
    const o = world(g.affine, [0, 0, 0]);
    expect(o[0]).toBeCloseTo(9.954, 10);
    expect(o[1]).toBeCloseTo(20.4655, 10);
    expect(o[2]).toBeCloseTo(29, 10);
    // Columns scaled to the new spacing, direction kept.
    expect(g.affine[0]).toBeCloseTo(2, 12);
    expect(g.affine[5]).toBeCloseTo(2, 12);
    expect(g.affine[10]).toBeCloseTo(2, 12);
  });

  it('keeps the centre of the grid in world coordinates (odd and even sizes, up and down sampling)', () => {
    for (const dims of [[7, 6, 5], [8, 9, 4]] as Vec3[]) {
      for (const ns of [[0.5, 1.3, 2.5], [3, 0.7, 1]] as Vec3[]) {
        const old = grid(dims, [1.1, 0.9, 2], [-5, 3, 7]);
        const g = resampleGrid(old, ns, false);
        const cOld = world(old.affine, [(dims[0] - 1) / 2, (dims[1] - 1) / 2, (dims[2] - 1) / 2]);
        const cNew = world(g.affine, [(g.dims[0] - 1) / 2, (g.dims[1] - 1) / 2, (g.dims[2] - 1) / 2]);
        for (let a = 0; a < 3; a++) expect(cNew[a]).toBeCloseTo(cOld[a], 10);
        for (let a = 0; a < 3; a++) expect(g.dims[a]).toBe(Math.ceil((dims[a] * old.spacing[a]) / ns[a] - 1e-9));
      }
    }
  });

  it('the new grid never reaches more than half an old voxel beyond the old extent', () => {
    // n' = ceil(n s / s') <= n s / s' + 1, so x(0) >= (n - 1)/2 - n/2 = -0.5.
    for (const n of [1, 2, 5, 60, 201]) {
      for (const ratio of [0.3, 0.977, 1, 2.04708, 2 / 3, 7.5]) {
        const g = resampleGrid(grid([n, 1, 1], [1, 1, 1]), [ratio, null, null], false);
        expect(oldPosition(g.axes[0], 0)).toBeGreaterThanOrEqual(-0.5 - 1e-12);
        expect(oldPosition(g.axes[0], g.dims[0] - 1)).toBeLessThanOrEqual(n - 0.5 + 1e-12);
      }
    }
  });

  it('null spacing and slice-wise work keep the axis', () => {
    const old = grid([10, 10, 6], [0.5, 0.5, 3]);
    const inPlane = resampleGrid(old, [2, 2, null], false);
    expect(inPlane.dims).toEqual([3, 3, 6]);
    expect(inPlane.axes[2].identity).toBe(true);
    expect(oldPosition(inPlane.axes[2], 4)).toBe(4);
    // Slice-wise: the slice axis is kept even when a spacing is given for it.
    const sliceWise = resampleGrid(old, [2, 2, 2], true);
    expect(sliceWise.dims).toEqual([3, 3, 6]);
    expect(sliceWise.spacing[2]).toBe(3);
    expect(sliceWise.affine[11]).toBe(0);
  });

  it('float32 spacing noise does not add a voxel', () => {
    // 0.6 stored as float32 is 0.60000002384...: 100 * that / 0.6 = 100.000004 -> 100, not 101.
    const s = Math.fround(0.6);
    expect(resampleGrid(grid([100, 1, 1], [s, 1, 1]), [0.6, null, null], false).dims[0]).toBe(100);
    // A real partial voxel still counts: 1001 x 0.01 mm -> 1 mm covers 10.01 voxels -> 11.
    expect(resampleGrid(grid([1001, 1, 1], [0.01, 1, 1]), [1, null, null], false).dims[0]).toBe(11);
  });

  it('rejects a non-positive spacing naming the setting', () => {
    expect(() => resampleGrid(grid([4, 4, 4], [1, 1, 1]), [0, 1, 1], false)).toThrow(RgsError);
    expect(() => resampleGrid(grid([4, 4, 4], [1, 1, 1]), [1, -2, 1], false)).toThrow(/preprocessing\.resampling\.spacing/);
  });

  it('block affine places block voxel 0 at the global voxel `start`', () => {
    const old = grid([9, 8, 7], [0.8, 0.8, 2.5], [1, 2, 3]);
    const g = resampleGrid(old, [1.5, 1.5, 1.5], false);
    const a = blockAffine(old.affine, g.axes, [2, 1, 3]);
    const p = world(a, [0, 0, 0]);
    const q = world(g.affine, [2, 1, 3]);
    for (let i = 0; i < 3; i++) expect(p[i]).toBeCloseTo(q[i], 12);
  });

  it('newIndexRange returns exactly the new voxels inside an old-index interval', () => {
    const g = resampleGrid(grid([50, 1, 1], [0.977, 1, 1]), [2, null, null], false);
    const axis = g.axes[0];
    for (const [lo, hi] of [[10.2, 20.7], [-3, 4], [45, 60], [0, 49], [17, 17.1]]) {
      const [first, last] = newIndexRange(axis, lo, hi);
      const inside: number[] = [];
      for (let m = 0; m < g.dims[0]; m++) {
        const x = oldPosition(axis, m);
        if (x >= lo && x <= hi) inside.push(m);
      }
      if (inside.length === 0) expect(last).toBeLessThan(first);
      else expect([first, last]).toEqual([inside[0], inside[inside.length - 1]]);
    }
  });
});
