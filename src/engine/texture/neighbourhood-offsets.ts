/**
 * Index offsets of a voxel's Chebyshev neighbourhood (IBSI 3.8 NGTDM, 3.9 NGLDM: all voxels
 * within Chebyshev distance d, the centre excluded) on a grid with i fastest.
 *
 * Split into the in-plane part (the 2D neighbourhood of the IBSI 2D / 2.5D aggregations) and
 * the out-of-plane part, so one pass over the ROI can produce the 2D neighbourhood and extend it
 * to the 3D one without visiting the in-plane neighbours twice.
 */
import type { Vec3 } from '../image/volume';

export interface NeighbourhoodOffsets {
  /** Offsets with dk = 0: (2d+1)^2 - 1 of them. */
  inPlane: Int32Array;
  /** Offsets with dk != 0: (2d+1)^3 - (2d+1)^2 of them. */
  outOfPlane: Int32Array;
}

export function chebyshevOffsets(dims: Vec3, distance: number): NeighbourhoodOffsets {
  const [nx, ny] = dims;
  const inPlane: number[] = [];
  const outOfPlane: number[] = [];
  for (let dk = -distance; dk <= distance; dk++) {
    for (let dj = -distance; dj <= distance; dj++) {
      for (let di = -distance; di <= distance; di++) {
        if (di === 0 && dj === 0 && dk === 0) continue;
        const offset = di + nx * (dj + ny * dk);
        if (dk === 0) inPlane.push(offset);
        else outOfPlane.push(offset);
      }
    }
  }
  return { inPlane: Int32Array.from(inPlane), outOfPlane: Int32Array.from(outOfPlane) };
}
