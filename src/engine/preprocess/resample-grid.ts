/**
 * The interpolation grid (IBSI 2.4, "Interpolation grid", grid centres aligned).
 *
 * Per axis with a new spacing s' (old spacing s, n voxels):
 *   n' = ceil(n s / s')                       (the new grid covers the old extent)
 *   x(m) = (m - (n' - 1) / 2) s'/s + (n - 1) / 2
 * where x(m) is the position of new voxel m in old voxel-index coordinates: the centre of the
 * new grid coincides with the centre of the old one (IBSI "align grid centres", as MIRP does).
 * Axes whose new spacing is null keep their grid (x(m) = m). The new grid keeps the image's
 * direction cosines; its affine is the old affine composed with the per-axis scale s'/s and the
 * shift x(0).
 */
import type { Affine, Grid, Vec3 } from '../image/volume';
import { RgsError } from '../util/errors';

/** How one axis of the new grid maps onto the old one. */
export interface AxisMap {
  /** Old voxel count. */
  n: number;
  /** New voxel count. */
  nNew: number;
  oldSpacing: number;
  newSpacing: number;
  /** True when the axis keeps its grid (spacing null, or the slice axis in slice-wise work). */
  identity: boolean;
}

export interface ResampledGrid extends Grid {
  /** The old grid this one was derived from. */
  source: Grid;
  axes: [AxisMap, AxisMap, AxisMap];
}

/**
 * Relative slack in n s / s' before the ceiling: spacings come from float32 headers (relative
 * precision 6e-8; 0.6 is stored as 0.60000002384), and such noise must not add a whole voxel when
 * n s / s' is an integer in intent (100 x 0.6 mm -> 0.6 mm: 100 voxels, not 101). A slack of
 * 1e-6 of the extent is a micrometre-scale partial voxel, far below anything physical.
 * (MIRP applies a plain ceiling; the IBSI phantoms are not affected.)
 */
const CEIL_SLACK = 1e-6;

/** Positions closer than this (in old voxels) to an integer or half-integer are snapped to it, so
 *  that nodes and nearest-neighbour ties do not depend on floating-point noise. */
const SNAP = 1e-9;

/**
 * The new grid for the given spacing. `sliceWise` (IBSI 2D/2.5D work) keeps the slice axis (k)
 * whatever spacing is given for it: slices are interpolated in-plane only.
 */
export function resampleGrid(grid: Grid, spacing: readonly (number | null)[], sliceWise: boolean): ResampledGrid {
  const axes = [0, 1, 2].map((a) => {
    const n = grid.dims[a];
    const s = grid.spacing[a];
    const sNew = sliceWise && a === 2 ? null : spacing[a];
    if (sNew === null || sNew === undefined) {
      return { n, nNew: n, oldSpacing: s, newSpacing: s, identity: true };
    }
    if (!(sNew > 0) || !Number.isFinite(sNew)) {
      throw new RgsError(`preprocessing.resampling.spacing: axis ${a} spacing must be a positive number of mm, got ${sNew}`, {
        field: 'preprocessing.resampling.spacing',
      });
    }
    const extent = (n * s) / sNew;
    const nNew = Math.max(1, Math.ceil(extent - CEIL_SLACK * extent));
    return { n, nNew, oldSpacing: s, newSpacing: sNew, identity: false };
  }) as [AxisMap, AxisMap, AxisMap];

  const dims: Vec3 = [axes[0].nNew, axes[1].nNew, axes[2].nNew];
  const newSpacing: Vec3 = [axes[0].newSpacing, axes[1].newSpacing, axes[2].newSpacing];
  const affine = blockAffine(grid.affine, axes, [0, 0, 0]);
  return { dims, spacing: newSpacing, affine, source: grid, axes };
}

/** Position of new voxel m in old voxel-index coordinates (see the file comment). */
export function oldPosition(axis: AxisMap, m: number): number {
  if (axis.identity) return m;
  const x = (m - (axis.nNew - 1) / 2) * (axis.newSpacing / axis.oldSpacing) + (axis.n - 1) / 2;
  const half = Math.round(2 * x) / 2;
  return Math.abs(x - half) < SNAP ? half : x;
}

/** Old-index positions of new voxels start .. start + count - 1 along one axis. */
export function oldPositions(axis: AxisMap, start: number, count: number): Float64Array {
  const out = new Float64Array(count);
  for (let m = 0; m < count; m++) out[m] = oldPosition(axis, start + m);
  return out;
}

/**
 * The affine of the new-grid block whose first voxel is new voxel `start`: old affine times the
 * map (new index -> old index), i.e. column a scaled by s'/s and the origin moved to x(start).
 */
export function blockAffine(oldAffine: Affine, axes: readonly AxisMap[], start: Vec3): Affine {
  const a = new Float64Array(16);
  const x0 = [0, 1, 2].map((ax) => oldPosition(axes[ax], start[ax]));
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 3; c++) {
      const ratio = axes[c].identity ? 1 : axes[c].newSpacing / axes[c].oldSpacing;
      a[4 * r + c] = oldAffine[4 * r + c] * ratio;
    }
    a[4 * r + 3] = oldAffine[4 * r] * x0[0] + oldAffine[4 * r + 1] * x0[1] + oldAffine[4 * r + 2] * x0[2] + oldAffine[4 * r + 3];
  }
  a[15] = 1;
  return a;
}

/**
 * The range of new voxels [first, last] along an axis whose old-index position lies within
 * [lo, hi] (old voxel indices, may extend outside the old grid), clamped to the new grid.
 * Empty ranges come back with last < first.
 */
export function newIndexRange(axis: AxisMap, lo: number, hi: number): [number, number] {
  if (axis.identity) return [Math.max(0, Math.ceil(lo)), Math.min(axis.n - 1, Math.floor(hi))];
  const r = axis.newSpacing / axis.oldSpacing;
  const c = (axis.n - 1) / 2;
  const cNew = (axis.nNew - 1) / 2;
  // Invert x(m) = (m - cNew) r + c, then widen by one voxel and check exactly with oldPosition.
  let first = Math.max(0, Math.floor((lo - c) / r + cNew) - 1);
  let last = Math.min(axis.nNew - 1, Math.ceil((hi - c) / r + cNew) + 1);
  while (first <= last && oldPosition(axis, first) < lo) first++;
  while (last >= first && oldPosition(axis, last) > hi) last--;
  return [first, last];
}
