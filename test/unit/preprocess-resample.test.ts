/**
 * resampleImage / resampleMask: sub-blocks lie exactly on the global grid, rounding (half to
 * even, after the intensity map), the mask's partial-volume threshold, the affine of the result.
 */
import { describe, expect, it } from 'vitest';
import { diagonalAffine, type Vec3, type Volume } from '../../src/engine/image/volume';
import { imageCoefficients, resampleImage, resampleMask, roundHalfEven } from '../../src/engine/preprocess/resample';
import { oldPosition, resampleGrid } from '../../src/engine/preprocess/resample-grid';
import type { Interpolation, ResamplingSettings } from '../../src/engine/settings/types';
import { RgsError } from '../../src/engine/util/errors';

function volume(dims: Vec3, spacing: Vec3, values: ArrayLike<number>, origin: Vec3 = [0, 0, 0]): Volume {
  return { dims, spacing, affine: diagonalAffine(spacing, origin), data: Float64Array.from(values) };
}

function rs(spacing: (number | null)[], interpolation: Interpolation, extra: Partial<ResamplingSettings> = {}): ResamplingSettings {
  return {
    spacing: spacing as [number | null, number | null, number | null],
    interpolation,
    roundIntensities: false,
    maskInterpolation: 'linear',
    maskThreshold: 0.5,
    ...extra,
  };
}

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

function window(data: ArrayLike<number>, dims: Vec3, start: Vec3, size: Vec3): number[] {
  const out: number[] = [];
  for (let k = 0; k < size[2]; k++)
    for (let j = 0; j < size[1]; j++)
      for (let i = 0; i < size[0]; i++) out.push(data[start[0] + i + dims[0] * (start[1] + j + dims[1] * (start[2] + k))]);
  return out;
}

describe('resampleImage', () => {
  const rnd = random(5);
  const dims: Vec3 = [23, 19, 11];
  const img = volume(dims, [0.977, 0.977, 3], Array.from({ length: 23 * 19 * 11 }, () => Math.round(rnd() * 2000 - 1000)), [-50, 20, 7]);

  for (const interp of ['nearest', 'linear', 'bspline'] as Interpolation[]) {
    it(`${interp}: a block equals the same window of the whole new grid, bit for bit`, () => {
      const s = rs([2, 2, 2], interp);
      const full = resampleImage(img, s, false);
      expect(full.dims).toEqual([12, 10, 17]); // ceil(22.471), ceil(9.2815), ceil(16.5)
      for (const block of [
        { start: [3, 2, 4] as Vec3, size: [5, 4, 6] as Vec3 },
        { start: [0, 0, 0] as Vec3, size: [2, 3, 2] as Vec3 },
        { start: [9, 7, 13] as Vec3, size: [3, 3, 4] as Vec3 },
      ]) {
        const part = resampleImage(img, s, false, { block, coefficients: interp === 'bspline' ? imageCoefficients(img, resampleGrid(img, s.spacing, false)) : undefined });
        expect(part.dims).toEqual(block.size);
        expect(Array.from(part.data)).toEqual(window(full.data, full.dims, block.start, block.size));
        // The block's affine puts its voxel 0 where the global grid has voxel `start`.
        for (let r = 0; r < 3; r++) {
          const g = full.affine[4 * r] * block.start[0] + full.affine[4 * r + 1] * block.start[1] + full.affine[4 * r + 2] * block.start[2] + full.affine[4 * r + 3];
          expect(part.affine[4 * r + 3]).toBeCloseTo(g, 10);
        }
      }
    });
  }

  it('the new affine maps each new voxel to the world position of its old-index position', () => {
    const s = rs([1.5, 2.5, 2], 'linear');
    const out = resampleImage(img, s, false);
    const g = resampleGrid(img, s.spacing, false);
    for (const p of [[0, 0, 0], [4, 3, 7], [out.dims[0] - 1, out.dims[1] - 1, out.dims[2] - 1]] as Vec3[]) {
      const x = [0, 1, 2].map((a) => oldPosition(g.axes[a], p[a]));
      for (let r = 0; r < 3; r++) {
        const viaNew = out.affine[4 * r] * p[0] + out.affine[4 * r + 1] * p[1] + out.affine[4 * r + 2] * p[2] + out.affine[4 * r + 3];
        const viaOld = img.affine[4 * r] * x[0] + img.affine[4 * r + 1] * x[1] + img.affine[4 * r + 2] * x[2] + img.affine[4 * r + 3];
        expect(viaNew).toBeCloseTo(viaOld, 10);
      }
    }
  });

  it('rounds half to even (numpy round, as MIRP), after the intensity map', () => {
    // Two samples 1 mm apart -> 2 mm: one new voxel at x = 0.5, the mean of the two.
    const mean = (a: number, b: number, extra: Partial<ResamplingSettings> = {}, map?: { scale: number; offset: number }) =>
      resampleImage(volume([2, 1, 1], [1, 1, 1], [a, b]), rs([2, null, null], 'linear', extra), false, { intensityMap: map }).data[0];
    expect(mean(2, 3)).toBe(2.5);
    expect(mean(2, 3, { roundIntensities: true })).toBe(2); // 2.5 -> 2
    expect(mean(3, 4, { roundIntensities: true })).toBe(4); // 3.5 -> 4
    expect(mean(-3, -2, { roundIntensities: true })).toBe(-2); // -2.5 -> -2
    expect(mean(2, 4, { roundIntensities: true })).toBe(3);
    // Map first, then round: 0.5 x 2.5 = 1.25 -> 1; 3 x 2.5 = 7.5 -> 8 (rounding first: 3 x 2 = 6).
    expect(mean(2, 3, { roundIntensities: true }, { scale: 0.5, offset: 0 })).toBe(1);
    expect(mean(2, 3, { roundIntensities: true }, { scale: 3, offset: 0 })).toBe(8);
    expect([0.5, 1.5, 2.5, -0.5, -1.5, 2.4999, -2.5001].map(roundHalfEven)).toEqual([0, 2, 2, 0, -2, 2, -3]);
  });
});

describe('resampleMask', () => {
  it('thresholds the partial-volume fraction at >= maskThreshold', () => {
    // Mask [1, 0] at 1 mm -> 2 mm: one voxel at x = 0.5, fraction 0.5: in at 0.5, out at 0.51.
    const grid = volume([2, 1, 1], [1, 1, 1], [0, 0]);
    expect(Array.from(resampleMask(Uint8Array.from([1, 0]), grid, rs([2, null, null], 'linear'), false))).toEqual([1]);
    expect(Array.from(resampleMask(Uint8Array.from([1, 0]), grid, rs([2, null, null], 'linear', { maskThreshold: 0.51 }), false))).toEqual([0]);
    // Labels other than 1 count as inside.
    expect(Array.from(resampleMask(Uint8Array.from([7, 0]), grid, rs([2, null, null], 'linear'), false))).toEqual([1]);
  });

  it('linear mask at 2/3 and 1/3 fractions (3 mm -> 2 mm by hand)', () => {
    // n = 3 at 3 mm -> 2 mm: n' = ceil(4.5) = 5, z(m) = (m - 2) 2/3 + 1 = -1/3, 1/3, 1, 5/3, 7/3.
    // Mask [1, 1, 0]: fractions 1 (clamped), 1, 1, 1/3, 0 -> in, in, in, out, out.
    // Mask [0, 1, 0]: 0 (clamped), 1/3, 1, 1/3, 0 -> only the centre voxel.
    const grid = volume([3, 1, 1], [3, 1, 1], [0, 0, 0]);
    const s = rs([2, null, null], 'linear');
    expect(Array.from(resampleMask(Uint8Array.from([1, 1, 0]), grid, s, false))).toEqual([1, 1, 1, 0, 0]);
    expect(Array.from(resampleMask(Uint8Array.from([0, 1, 0]), grid, s, false))).toEqual([0, 0, 1, 0, 0]);
    // Nearest: positions -1/3 .. 7/3 -> voxels 0, 0, 1, 2, 2.
    expect(Array.from(resampleMask(Uint8Array.from([1, 0, 1]), grid, { ...s, maskInterpolation: 'nearest' }, false))).toEqual([1, 1, 0, 1, 1]);
  });

  it('a block of the mask equals the window of the whole mask', () => {
    const rnd = random(9);
    const dims: Vec3 = [17, 15, 9];
    const grid = volume(dims, [0.977, 0.977, 3], new Float64Array(17 * 15 * 9));
    const mask = Uint8Array.from({ length: 17 * 15 * 9 }, () => (rnd() < 0.5 ? 1 : 0));
    for (const interp of ['nearest', 'linear', 'bspline'] as Interpolation[]) {
      const s = rs([2, 2, 2], 'linear', { maskInterpolation: interp });
      const full = resampleMask(mask, grid, s, false);
      const g = resampleGrid(grid, s.spacing, false);
      const block = { start: [2, 1, 3] as Vec3, size: [4, 5, 6] as Vec3 };
      expect(Array.from(resampleMask(mask, grid, s, false, block))).toEqual(window(full, g.dims, block.start, block.size));
    }
  });

  it('rejects a threshold outside (0, 1] naming the setting', () => {
    const grid = volume([2, 1, 1], [1, 1, 1], [0, 0]);
    expect(() => resampleMask(Uint8Array.from([1, 0]), grid, rs([2, null, null], 'linear', { maskThreshold: 0 }), false)).toThrow(RgsError);
    expect(() => resampleMask(Uint8Array.from([1, 0]), grid, rs([2, null, null], 'linear', { maskThreshold: 1.5 }), false)).toThrow(/mask_threshold/);
  });
});
