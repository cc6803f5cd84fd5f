/**
 * The neighbour directions of the directional texture matrices (GLCM, GLRLM), IBSI 3.6 / 3.7.
 *
 * A direction and its opposite describe the same set of voxel pairs (or lines of runs), so only
 * one of each pair is listed: 4 unique directions in a 2D (i, j)-plane and 13 in 3D. Offsets are
 * [di, dj, dk] in voxels; axis 2 (k) is the slice axis.
 */
import type { Vec3 } from '../image/volume';

/** The 4 directions inside an (i, j)-plane of constant k (the 2D and 2.5D aggregations). */
export const IN_PLANE_DIRECTIONS: readonly Vec3[] = [
  [1, 0, 0],
  [0, 1, 0],
  [1, 1, 0],
  [1, -1, 0],
];

/** The 9 directions with a k component; with IN_PLANE_DIRECTIONS they make the 13 of 3D. */
export const OUT_OF_PLANE_DIRECTIONS: readonly Vec3[] = [
  [0, 0, 1],
  [1, 0, 1],
  [-1, 0, 1],
  [0, 1, 1],
  [0, -1, 1],
  [1, 1, 1],
  [1, -1, 1],
  [-1, 1, 1],
  [-1, -1, 1],
];

/** All 13 unique 3D directions, in-plane ones first. */
export const DIRECTIONS_3D: readonly Vec3[] = [...IN_PLANE_DIRECTIONS, ...OUT_OF_PLANE_DIRECTIONS];

/**
 * Flat-index offset of a direction scaled by `distance` on a grid of dims [nx, ny, nz]. IBSI
 * 3.6.1: the GLCM neighbour at Chebyshev distance d along a direction is d steps away.
 */
export function flatOffset(direction: Vec3, distance: number, nx: number, ny: number): number {
  return distance * (direction[0] + nx * (direction[1] + ny * direction[2]));
}
