/**
 * The index bounding box of an ROI mask, so that the morphology code scans the full grid once
 * and works on the (usually much smaller) box afterwards.
 */
import type { Vec3 } from '../../image/volume';

/** Inclusive voxel index bounds: lo[a] <= index along axis a <= hi[a]. */
export interface VoxelBounds {
  lo: Vec3;
  hi: Vec3;
}

/** Bounds of the voxels where mask `a` (or `b`, if given) is non-zero; null when both are empty. */
export function maskBounds(dims: Vec3, a: Uint8Array, b?: Uint8Array): VoxelBounds | null {
  const other = b ?? a;
  const [nx, ny, nz] = dims;
  let lo0 = nx, lo1 = ny, lo2 = nz, hi0 = -1, hi1 = -1, hi2 = -1;
  for (let k = 0, idx = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++, idx++) {
        if (a[idx] === 0 && other[idx] === 0) continue;
        if (i < lo0) lo0 = i;
        if (i > hi0) hi0 = i;
        if (j < lo1) lo1 = j;
        if (j > hi1) hi1 = j;
        if (k < lo2) lo2 = k;
        if (k > hi2) hi2 = k;
      }
    }
  }
  return hi0 < 0 ? null : { lo: [lo0, lo1, lo2], hi: [hi0, hi1, hi2] };
}
