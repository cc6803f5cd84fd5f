/**
 * The six IBSI aggregations of the directional texture families (IBSI reference manual 3.1,
 * texture matrix aggregation), derived from elementary matrices that are each built once:
 *  - one matrix per ROI slice per in-plane direction (4), and
 *  - for 3D, one matrix per out-of-plane direction (9) over the volume.
 * The 3D matrix of an in-plane direction is the sum of that direction's slice matrices (its voxel
 * pairs / runs never leave a slice), so it is merged from them, not counted again.
 *
 * Averaging follows MIRP, the IBSI reference implementation: empty matrices (no voxel pairs,
 * e.g. a one-voxel slice for the GLCM) contribute nothing, and a feature that is undefined (NaN)
 * for one matrix is left out of that feature's average; a feature undefined for all is NaN.
 */
import type { DirectionalAggregation } from '../features/types';
import { type SparseMatrix, SparseAccumulator } from './directional-matrix';

export interface ElementaryMatrices {
  /** perSlice[s][d]: slice s (of the slices holding ROI voxels), in-plane direction d (0..3). */
  perSlice: SparseMatrix[][];
  /** The 9 out-of-plane 3D direction matrices; only needed (and built) for the 3D aggregations. */
  outOfPlane: SparseMatrix[] | null;
  /**
   * The 4 in-plane direction matrices counted over the whole volume at once, when only 3D
   * aggregations are wanted (then `perSlice` is empty): the same matrices as merging the slices'.
   */
  inPlaneVolume?: SparseMatrix[];
}

/** Writes the feature values of one matrix into `out` (NaN where undefined). */
export type MatrixFeatures = (m: SparseMatrix, out: Float64Array) => void;

export function needsOutOfPlane(aggregations: readonly DirectionalAggregation[]): boolean {
  return aggregations.includes('3D, averaged') || aggregations.includes('3D, merged');
}

/** Whether every aggregation is a 3D one (so no per-slice matrix is needed). */
export function onlyVolumeAggregations(aggregations: readonly DirectionalAggregation[]): boolean {
  return aggregations.length > 0 && aggregations.every((a) => a === '3D, averaged' || a === '3D, merged');
}

/** Feature averages (NaN-skipping) over the non-empty matrices given one by one. */
class FeatureAverager {
  private readonly sum: Float64Array;
  private readonly count: Float64Array;
  private readonly row: Float64Array;

  constructor(
    private readonly nFeatures: number,
    private readonly features: MatrixFeatures,
  ) {
    this.sum = new Float64Array(nFeatures);
    this.count = new Float64Array(nFeatures);
    this.row = new Float64Array(nFeatures);
  }

  add(m: SparseMatrix): void {
    if (m.size === 0) return;
    this.row.fill(NaN);
    this.features(m, this.row);
    for (let f = 0; f < this.nFeatures; f++) {
      const v = this.row[f];
      if (Number.isNaN(v)) continue;
      this.sum[f] += v;
      this.count[f]++;
    }
  }

  result(): Float64Array {
    const out = new Float64Array(this.nFeatures);
    for (let f = 0; f < this.nFeatures; f++) out[f] = this.count[f] > 0 ? this.sum[f] / this.count[f] : NaN;
    return out;
  }
}

/**
 * Feature vectors for each requested aggregation, in the order requested. `acc` must have the
 * row/column counts of the elementary matrices; it is used (and left empty) for the merges.
 */
export function aggregateDirectional(
  elementary: ElementaryMatrices,
  aggregations: readonly DirectionalAggregation[],
  acc: SparseAccumulator,
  nFeatures: number,
  features: MatrixFeatures,
): Float64Array[] {
  const { perSlice } = elementary;
  const nDir = 4;
  if (elementary.inPlaneVolume !== undefined && !onlyVolumeAggregations(aggregations)) {
    throw new Error('2D / 2.5D aggregation requested from volume-only matrices');
  }
  const merge = (matrices: readonly SparseMatrix[]): SparseMatrix => {
    for (const m of matrices) acc.addMatrix(m);
    return acc.take();
  };

  // Merged matrices shared by several aggregations, built on first use.
  let inPlaneVolume: SparseMatrix[] | null = elementary.inPlaneVolume ?? null; // per in-plane direction, summed over slices
  const directionMatrices = (): SparseMatrix[] => {
    if (inPlaneVolume === null) {
      inPlaneVolume = [];
      for (let d = 0; d < nDir; d++) inPlaneVolume.push(merge(perSlice.map((s) => s[d])));
    }
    return inPlaneVolume;
  };
  let allInPlane: SparseMatrix | null = null;
  const inPlaneMerged = (): SparseMatrix => (allInPlane ??= merge(directionMatrices()));
  const outOfPlane = (): SparseMatrix[] => {
    if (elementary.outOfPlane === null) throw new Error('3D aggregation requested without out-of-plane matrices');
    return elementary.outOfPlane;
  };

  const averageOf = (matrices: Iterable<SparseMatrix>): Float64Array => {
    const avg = new FeatureAverager(nFeatures, features);
    for (const m of matrices) avg.add(m);
    return avg.result();
  };

  return aggregations.map((aggregation) => {
    switch (aggregation) {
      case '2D, averaged':
        // Features per slice and direction, averaged over all of them.
        return averageOf(perSlice.flat());
      case '2D, slice-merged': {
        // The 4 direction matrices of a slice merged, features averaged over slices.
        const avg = new FeatureAverager(nFeatures, features);
        for (const slice of perSlice) avg.add(merge(slice));
        return avg.result();
      }
      case '2.5D, direction-merged':
        // Per direction, the matrices of all slices merged; averaged over directions.
        return averageOf(directionMatrices());
      case '2.5D, merged':
        // All slice x direction matrices merged into one.
        return averageOf([inPlaneMerged()]);
      case '3D, averaged':
        // One matrix per 3D direction (13), features averaged.
        return averageOf([...directionMatrices(), ...outOfPlane()]);
      case '3D, merged':
        // All 13 direction matrices merged.
        return averageOf([merge([inPlaneMerged(), ...outOfPlane()])]);
      default: {
        const never: never = aggregation;
        throw new Error(`unknown aggregation ${String(never)}`);
      }
    }
  });
}
