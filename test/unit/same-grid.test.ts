import { describe, expect, test } from 'vitest';
import { assertSameGrid, orientationCode } from '../../src/engine/image/same-grid';
import { diagonalAffine, type Grid, type Vec3 } from '../../src/engine/image/volume';
import { RgsError } from '../../src/engine/util/errors';

function grid(dims: Vec3, spacing: Vec3, origin: Vec3 = [0, 0, 0], affine?: number[]): Grid {
  return {
    dims,
    spacing,
    affine: affine ? new Float64Array([...affine, 0, 0, 0, 1]) : diagonalAffine(spacing, origin),
  };
}

function message(fn: () => void): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(RgsError);
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

describe('assertSameGrid', () => {
  const image = grid([240, 240, 155], [1, 1, 1], [-120, -120, -70]);

  test('identical grids, and differences within the tolerance, pass', () => {
    expect(() => assertSameGrid(image, 'image.nii.gz', grid([240, 240, 155], [1, 1, 1], [-120, -120, -70]), 'mask.nii.gz')).not.toThrow();
    // 0.5e-3 mm origin shift and a 0.05% spacing change (float32 rounding in headers) are tolerated.
    expect(() =>
      assertSameGrid(image, 'image.nii.gz', grid([240, 240, 155], [1.0005, 1, 1], [-120.0005, -120, -70]), 'mask.nii.gz'),
    ).not.toThrow();
  });

  test('dimensions', () => {
    expect(message(() => assertSameGrid(image, 'image.nii.gz', grid([240, 240, 154], [1, 1, 1], [-120, -120, -70]), 'mask.nii.gz'))).toBe(
      'mask.nii.gz does not lie on the grid of image.nii.gz: dimensions 240x240x155 vs 240x240x154',
    );
  });

  test('spacing', () => {
    expect(message(() => assertSameGrid(image, 'image.nii.gz', grid([240, 240, 155], [1, 1, 2], [-120, -120, -70]), 'mask.nii.gz'))).toBe(
      'mask.nii.gz does not lie on the grid of image.nii.gz: spacing 1x1x1 vs 1x1x2 mm',
    );
    // Just beyond the relative tolerance: 0.977 vs 0.978 (0.1% of 0.978 is 0.000978 < 0.001).
    expect(
      message(() => assertSameGrid(grid([2, 2, 2], [0.977, 0.977, 3]), 'a.nii', grid([2, 2, 2], [0.978, 0.977, 3]), 'b.nii')),
    ).toBe('b.nii does not lie on the grid of a.nii: spacing 0.977x0.977x3 vs 0.978x0.977x3 mm');
  });

  test('origin', () => {
    expect(message(() => assertSameGrid(image, 'image.nii.gz', grid([240, 240, 155], [1, 1, 1], [-120, -118.8, -70.9]), 'mask.nii.gz'))).toBe(
      'mask.nii.gz does not lie on the grid of image.nii.gz: origin differs by 1.50 mm', // hypot(1.2, 0.9) = 1.5
    );
    // A difference just beyond a tight tolerance is shown with enough digits to see it.
    expect(message(() => assertSameGrid(image, 'i', grid([240, 240, 155], [1, 1, 1], [-120.002, -120, -70]), 'm'))).toBe(
      'm does not lie on the grid of i: origin differs by 0.0020 mm',
    );
  });

  test('orientation: flipped axes (different axis codes)', () => {
    const ras = grid([4, 4, 4], [1, 1, 1]);
    const lps = grid([4, 4, 4], [1, 1, 1], undefined, [-1, 0, 0, 0, 0, -1, 0, 0, 0, 0, 1, 0]);
    expect(orientationCode(ras.affine)).toBe('RAS');
    expect(orientationCode(lps.affine)).toBe('LPS');
    expect(message(() => assertSameGrid(ras, 'image.nii', lps, 'mask.nii'))).toBe(
      'mask.nii does not lie on the grid of image.nii: orientation differs (RAS vs LPS)',
    );
  });

  test('orientation: a small rotation (same axis codes) reports the angle', () => {
    const t = (5 * Math.PI) / 180; // 5 degrees about z
    const rot = grid([4, 4, 4], [1, 1, 1], undefined, [Math.cos(t), -Math.sin(t), 0, 0, Math.sin(t), Math.cos(t), 0, 0, 0, 0, 1, 0]);
    expect(message(() => assertSameGrid(grid([4, 4, 4], [1, 1, 1]), 'image.nii', rot, 'mask.nii'))).toBe(
      'mask.nii does not lie on the grid of image.nii: orientation differs by 5 degrees',
    );
  });

  test('the tolerance is a parameter', () => {
    const b = grid([240, 240, 155], [1, 1, 1], [-119.9, -120, -70]);
    expect(() => assertSameGrid(image, 'i', b, 'm')).toThrow('origin differs by 0.10 mm');
    expect(() => assertSameGrid(image, 'i', b, 'm', 0.2)).not.toThrow();
  });
});
