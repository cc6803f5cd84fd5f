/**
 * Moran's I (IBSI 3.1.28, N365) and Geary's C (3.1.29, NPT7) over the intensity-mask voxels with
 * inverse-distance weights w_ij = 1 / ||r_i - r_j|| (mm), i != j.
 *
 * Both need all-pairs sums. They are computed exactly (to rounding) as bilinear forms with the
 * inverse-distance kernel over the ROI bounding box, by FFT (util/fft.ts evenKernelBilinearForms,
 * no O(N^2) loop), with m the mask and y = (x - mean) m:
 *   W    = sum_{i!=j} w_ij             = sum_i m_i (w * m)_i
 *   S_yy = sum_{i!=j} w_ij y_i y_j      = sum_i y_i (w * y)_i
 *   G    = sum_{i!=j} w_ij (x_i - x_j)^2 = 2 sum_i y_i^2 (w * m)_i - 2 S_yy
 * (the kernel is zero at offset 0, so i = j never contributes; differences of x equal those of y).
 */
import type { Vec3 } from '../../image/volume';
import { evenKernelBilinearForms } from '../../util/fft';
import { maskBounds, type VoxelBounds } from './roi-bounds';

export interface SpatialAutocorrelation {
  moranI: number;
  gearyC: number;
}

/**
 * @param bounds when given, must contain every mask voxel (default: the mask's bounding box).
 * @returns NaN for both when the mask has fewer than 2 voxels or all intensities are equal (the
 *   IBSI formulas divide by sum (x - mean)^2).
 */
export function spatialAutocorrelation(
  image: Float64Array,
  mask: Uint8Array,
  dims: Vec3,
  spacing: Vec3,
  bounds: VoxelBounds | null = maskBounds(dims, mask),
): SpatialAutocorrelation {
  if (bounds === null) return { moranI: NaN, gearyC: NaN };
  const [nx, ny] = dims;
  const [lo0, lo1, lo2] = bounds.lo;
  const [hi0, hi1, hi2] = bounds.hi;
  const n: Vec3 = [hi0 - lo0 + 1, hi1 - lo1 + 1, hi2 - lo2 + 1];
  // Mask m and deviations y on the bounding box (the box may be larger than the mask's own).
  const m = new Float64Array(n[0] * n[1] * n[2]);
  // Running sums in the order of a plain loop nest (so the same rounding), row by row.
  const acc = new Float64Array(2); // [count, sum], then [-, sum of squares]
  for (let k = 0; k < n[2]; k++) {
    for (let j = 0; j < n[1]; j++) maskRow(mask, image, lo0 + nx * (lo1 + j + ny * (lo2 + k)), m, n[0] * (j + n[1] * k), n[0], acc);
  }
  const count = acc[0];
  if (count < 2) return { moranI: NaN, gearyC: NaN };
  const mean = acc[1] / count;
  const y = new Float64Array(m.length);
  acc[1] = 0;
  for (let k = 0; k < n[2]; k++) {
    for (let j = 0; j < n[1]; j++) deviationRow(image, lo0 + nx * (lo1 + j + ny * (lo2 + k)), m, y, n[0] * (j + n[1] * k), n[0], mean, acc);
  }
  const ss = acc[1];
  if (!(ss > 0)) return { moranI: NaN, gearyC: NaN };
  const [sx, sy, sz] = spacing;
  const y2 = new Float64Array(y.length);
  for (let p = 0; p < y.length; p++) y2[p] = y[p] * y[p];
  const [W, Syy, Sy2m] = evenKernelBilinearForms(
    [m, y, y2],
    [
      [0, 0],
      [1, 1],
      [2, 0],
    ],
    n,
    (dx, dy, dz) => {
      const r2 = (dx * sx) ** 2 + (dy * sy) ** 2 + (dz * sz) ** 2;
      return r2 > 0 ? 1 / Math.sqrt(r2) : 0;
    },
  );
  const G = 2 * Sy2m - 2 * Syy;
  return {
    moranI: (count / W) * (Syy / ss),
    gearyC: ((count - 1) / (2 * W)) * (G / ss),
  };
}

/**
 * One row of the box: m = 1 at mask voxels, acc[0] += their count, acc[1] += their intensities.
 * Row functions (here and below) are called thousands of times, so V8 optimises them within the
 * first rows of a cold process; a loop nest in one call would run unoptimised for much longer.
 */
function maskRow(mask: Uint8Array, image: Float64Array, src: number, m: Float64Array, dst: number, len: number, acc: Float64Array): void {
  for (let i = 0; i < len; i++) {
    if (mask[src + i] === 0) continue;
    m[dst + i] = 1;
    acc[0]++;
    acc[1] += image[src + i];
  }
}

/** One row: y = x - mean at mask voxels, acc[1] += y^2. */
function deviationRow(image: Float64Array, src: number, m: Float64Array, y: Float64Array, dst: number, len: number, mean: number, acc: Float64Array): void {
  for (let i = 0; i < len; i++) {
    if (m[dst + i] === 0) continue;
    const d = image[src + i] - mean;
    y[dst + i] = d;
    acc[1] += d * d;
  }
}
