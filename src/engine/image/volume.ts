/**
 * The voxel grid and the volumes that live on it.
 *
 * Layout convention used everywhere in the engine: a volume of dims [nx, ny, nz] stores voxel
 * (i, j, k) at index i + nx * (j + ny * k) (NIfTI order, i fastest). Axis 2 (k) is the slice
 * axis: "2D" and "2.5D" IBSI aggregations work on the (i, j) planes of constant k.
 */

export type Vec3 = [number, number, number];

/** A 4x4 voxel-to-world matrix, row-major (16 numbers), millimetres. */
export type Affine = Float64Array;

export interface Grid {
  /** Voxels per axis [nx, ny, nz]. */
  dims: Vec3;
  /** Voxel size per axis in mm (the column norms of the affine's 3x3 part). */
  spacing: Vec3;
  /** Voxel index (i, j, k, 1) to world (x, y, z, 1) in mm, row-major. */
  affine: Affine;
}

export interface Volume<T extends ArrayLike<number> = Float64Array> extends Grid {
  data: T;
}

export function voxelCount(dims: Vec3): number {
  return dims[0] * dims[1] * dims[2];
}

export function indexOf(dims: Vec3, i: number, j: number, k: number): number {
  return i + dims[0] * (j + dims[1] * k);
}

/** An affine for an axis-aligned grid with the given spacing and origin. */
export function diagonalAffine(spacing: Vec3, origin: Vec3 = [0, 0, 0]): Affine {
  const a = new Float64Array(16);
  a[0] = spacing[0];
  a[5] = spacing[1];
  a[10] = spacing[2];
  a[3] = origin[0];
  a[7] = origin[1];
  a[11] = origin[2];
  a[15] = 1;
  return a;
}

/** Spacing as the lengths of the affine's columns. */
export function spacingOfAffine(a: Affine): Vec3 {
  const col = (c: number) => Math.hypot(a[c], a[4 + c], a[8 + c]);
  return [col(0), col(1), col(2)];
}
