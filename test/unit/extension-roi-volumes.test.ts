/**
 * Per-label ROI volumes of a mask, as the subject view's legend shows them: voxel count times
 * the voxel volume |det(A)| (A = the affine's 3x3 part, mm^3), divided by 1000 for mL.
 */
import { describe, expect, test } from 'vitest';
import { diagonalAffine, type Vec3, type Volume } from '../../src/engine/image/volume';
import { RgsError } from '../../src/engine/util/errors';
import { labelVolumes, voxelVolumeMm3 } from '../../src/extension/roi-volumes';

function mask(dims: Vec3, data: number[], affine = diagonalAffine([1, 1, 1])): Volume<Float64Array> {
  return { dims, spacing: [1, 1, 1], affine, data: Float64Array.from(data) };
}

describe('voxelVolumeMm3', () => {
  test('axis-aligned: the product of the spacings (2 x 2 x 2 mm = 8 mm^3)', () => {
    expect(voxelVolumeMm3(diagonalAffine([2, 2, 2]))).toBe(8);
  });

  test('a rotated grid keeps its volume: R_z(30 deg) diag(1, 2, 3) has |det| = 6', () => {
    const c = Math.cos(Math.PI / 6);
    const s = Math.sin(Math.PI / 6);
    // Columns of R diag(1,2,3): (c, s, 0) * 1, (-s, c, 0) * 2, (0, 0, 1) * 3.
    const a = new Float64Array([c, -2 * s, 0, 5, s, 2 * c, 0, 6, 0, 0, 3, 7, 0, 0, 0, 1]);
    expect(voxelVolumeMm3(a)).toBeCloseTo(6, 12);
  });

  test('a sheared grid uses the determinant, not the column norms', () => {
    // [[1, 0.5, 0], [0, 1, 0], [0, 0, 2]]: det = 2, while |col0| |col1| |col2| = 1 * sqrt(1.25) * 2 = 2.236.
    const a = new Float64Array([1, 0.5, 0, 0, 0, 1, 0, 0, 0, 0, 2, 0, 0, 0, 0, 1]);
    expect(voxelVolumeMm3(a)).toBe(2);
  });

  test('a flipped axis (negative determinant) still gives a positive volume', () => {
    expect(voxelVolumeMm3(diagonalAffine([-1, 2, 3]))).toBe(6);
  });
});

describe('labelVolumes', () => {
  test('counts every label of a 3 x 2 x 2 mask with 2 mm voxels (0.008 mL each)', () => {
    // Voxels in index order; label 1 at 3 voxels, 2 at 1, 4 at 3; 0 is background.
    const m = mask([3, 2, 2], [0, 1, 1, 2, 0, 4, 4, 4, 0, 1, 0, 0], diagonalAffine([2, 2, 2]));
    const v = labelVolumes(m, 'seg.nii.gz');
    expect(v.map((x) => [x.value, x.voxels])).toEqual([
      [1, 3],
      [2, 1],
      [4, 3],
    ]);
    expect(v[0].volumeMl).toBeCloseTo(0.024, 15);
    expect(v[1].volumeMl).toBeCloseTo(0.008, 15);
    expect(v[2].volumeMl).toBeCloseTo(0.024, 15);
  });

  test('an empty mask has no labels', () => {
    expect(labelVolumes(mask([2, 2, 1], [0, 0, 0, 0]), 'm')).toEqual([]);
  });

  test('labels outside the dense range (negative, >= 65536) are counted too, in order', () => {
    const v = labelVolumes(mask([4, 1, 1], [70000, -1, 70000, 3]), 'm');
    expect(v.map((x) => [x.value, x.voxels])).toEqual([
      [-1, 1],
      [3, 1],
      [70000, 2],
    ]);
  });

  test('a voxel volume of 1 mm^3 makes 1000 voxels 1 mL', () => {
    const v = labelVolumes(mask([10, 10, 10], new Array(1000).fill(2)), 'm');
    expect(v).toEqual([{ value: 2, voxels: 1000, volumeMl: 1 }]);
  });

  test('a non-integer value is not a label: the error names the file and the voxel', () => {
    // Index 7 in a 3 x 2 x 2 grid: i = 7 % 3 = 1, j = floor(7 / 3) % 2 = 0, k = floor(7 / 6) = 1.
    const m = mask([3, 2, 2], [0, 1, 1, 2, 0, 4, 4, 1.5, 0, 1, 0, 0]);
    expect(() => labelVolumes(m, 'prob.nii.gz')).toThrow(RgsError);
    expect(() => labelVolumes(m, 'prob.nii.gz')).toThrow('prob.nii.gz: mask value 1.5 at voxel (1, 0, 1) is not an integer label');
  });
});
