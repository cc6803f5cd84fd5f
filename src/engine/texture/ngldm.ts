/**
 * Neighbouring grey level dependence matrix features (IBSI 3.9, family "ngl"): s_ij counts the
 * ROI voxels of grey level i with dependence count j = 1 + the number of neighbours within
 * Chebyshev distance d (in the slice for 2D / 2.5D, in the volume for 3D) that are in the ROI
 * and whose grey level VALUE differs by at most alpha. Every ROI voxel is counted, so N_s = N_v
 * and the dependence count percentage is 1. Columns run from 1 to neighbourhood size + 1.
 * The features are the shared zone-matrix statistics (zone-features.ts) plus the dependence
 * count energy.
 */
import type { FeatureInput, FeatureValue, ZoneAggregation } from '../features/types';
import { RgsError } from '../util/errors';
import { neighbourhoodGridOf, type NeighbourhoodGrid } from './neighbourhood-grid';
import { chebyshevOffsets } from './neighbourhood-offsets';
import { aggregateZoneFeatures, type FeatureDefinition } from './zone-aggregation';
import { zoneStatistics, type ZoneStatistic } from './zone-features';
import { mergeZoneMatrices, ZoneMatrixBuilder, type ZoneMatrix } from './zone-matrix';

const NGLDM_FEATURES: readonly (FeatureDefinition & { stat: ZoneStatistic })[] = [
  { feature: 'Low dependence emphasis', code: 'SODN', stat: 'smallEmphasis' },
  { feature: 'High dependence emphasis', code: 'IMOQ', stat: 'largeEmphasis' },
  { feature: 'Low grey level count emphasis', code: 'TL9H', stat: 'lowGreyLevelEmphasis' },
  { feature: 'High grey level count emphasis', code: 'OAE7', stat: 'highGreyLevelEmphasis' },
  { feature: 'Low dependence low grey level emphasis', code: 'EQ3F', stat: 'smallLowGreyLevelEmphasis' },
  { feature: 'Low dependence high grey level emphasis', code: 'JA6D', stat: 'smallHighGreyLevelEmphasis' },
  { feature: 'High dependence low grey level emphasis', code: 'NBZI', stat: 'largeLowGreyLevelEmphasis' },
  { feature: 'High dependence high grey level emphasis', code: '9QMG', stat: 'largeHighGreyLevelEmphasis' },
  { feature: 'Grey level non-uniformity', code: 'FP8K', stat: 'greyLevelNonUniformity' },
  { feature: 'Normalised grey level non-uniformity', code: '5SPA', stat: 'normalisedGreyLevelNonUniformity' },
  { feature: 'Dependence count non-uniformity', code: 'Z87G', stat: 'columnNonUniformity' },
  { feature: 'Normalised dependence count non-uniformity', code: 'OKJI', stat: 'normalisedColumnNonUniformity' },
  { feature: 'Dependence count percentage', code: '6XV8', stat: 'percentage' },
  { feature: 'Grey level variance', code: '1PFV', stat: 'greyLevelVariance' },
  { feature: 'Dependence count variance', code: 'DNX2', stat: 'columnVariance' },
  { feature: 'Dependence count entropy', code: 'FCBV', stat: 'columnEntropy' },
  { feature: 'Dependence count energy', code: 'CAS9', stat: 'columnEnergy' },
];

export interface NgldmMatrices {
  /** Per-slice matrices of the slices holding ROI voxels, in slice order (2D neighbourhoods). */
  slices: ZoneMatrix[];
  /** The volume matrix (3D neighbourhoods), when requested. */
  volume: ZoneMatrix | null;
}

/**
 * NGLDM matrices of `grid` (margin >= distance) in one pass: a voxel's in-plane neighbours give
 * its 2D dependence count, and together with the out-of-plane ones its 3D count.
 */
export function ngldmMatrices(
  grid: NeighbourhoodGrid,
  distance: number,
  alpha: number,
  slices: boolean,
  volume: boolean,
): NgldmMatrices {
  const nz = grid.dims[2];
  const { levels, levelValues, voxels, sliceStart } = grid;
  const stride = levelValues.length;
  const { inPlane, outOfPlane } = chebyshevOffsets(grid.dims, distance);
  const nIn = inPlane.length;
  const nOut = outOfPlane.length;
  // The neighbours of a level-l centre that count are those with a level in lowest[l]..highest[l]:
  // levels are numbered by increasing value, so |x_u - x_l| <= alpha holds on a contiguous range
  // (which excludes the outside level 0).
  const lowest = new Int32Array(stride);
  const highest = new Int32Array(stride);
  for (let l = 1, lo = 1, hi = 1; l < stride; l++) {
    while (levelValues[l] - levelValues[lo] > alpha) lo++;
    if (hi < l) hi = l;
    while (hi + 1 < stride && levelValues[hi + 1] - levelValues[l] <= alpha) hi++;
    lowest[l] = lo;
    highest[l] = hi;
  }
  // Dense counts [level][dependent neighbours] of the current slice and of the volume; the
  // dependence count is dependent neighbours + 1.
  const sliceColumns = nIn + 1;
  const volumeColumns = nIn + nOut + 1;
  const sliceCounts = new Float64Array(slices ? stride * sliceColumns : 0);
  const volumeCounts = new Float64Array(volume ? stride * volumeColumns : 0);
  const sliceMatrices: ZoneMatrix[] = [];

  for (let k = 0; k < nz; k++) {
    if (sliceStart[k + 1] === sliceStart[k]) continue;
    for (let t = sliceStart[k]; t < sliceStart[k + 1]; t++) {
      const v = voxels[t];
      const level = levels[v];
      const lo = lowest[level];
      const hi = highest[level];
      // lo <= u <= hi exactly when (u - lo) | (hi - u) is non-negative: branch-free counting.
      let dependent = 0;
      for (let o = 0; o < nIn; o++) {
        const u = levels[v + inPlane[o]];
        dependent += 1 + (((u - lo) | (hi - u)) >> 31);
      }
      if (slices) sliceCounts[level * sliceColumns + dependent]++;
      if (volume) {
        for (let o = 0; o < nOut; o++) {
          const u = levels[v + outOfPlane[o]];
          dependent += 1 + (((u - lo) | (hi - u)) >> 31);
        }
        volumeCounts[level * volumeColumns + dependent]++;
      }
    }
    if (slices) {
      sliceMatrices.push(toZoneMatrix(sliceCounts, sliceColumns, levelValues, sliceStart[k + 1] - sliceStart[k]));
      sliceCounts.fill(0);
    }
  }

  return {
    slices: sliceMatrices,
    volume: volume ? toZoneMatrix(volumeCounts, volumeColumns, levelValues, voxels.length) : null,
  };
}

/** The sparse matrix of dense counts [level][dependence count - 1] (`columns` per level). */
function toZoneMatrix(counts: Float64Array, columns: number, levelValues: Float64Array, voxels: number): ZoneMatrix {
  const builder = new ZoneMatrixBuilder(levelValues);
  for (let level = 1; level < levelValues.length; level++) {
    for (let c = 0; c < columns; c++) {
      const s = counts[level * columns + c];
      if (s > 0) builder.add(level, c + 1, s);
    }
  }
  builder.addVoxels(voxels);
  return builder.build();
}

/**
 * The 17 NGLDM features for each requested aggregation, neighbourhood: Chebyshev `distance`,
 * coarseness `alpha`. Features of an empty ROI are NaN, and so are the low grey level count
 * emphases when a grey level value is 0 (division by zero).
 */
export function computeNgldm(
  input: FeatureInput,
  settings: { distance: number; alpha: number },
  aggregations: readonly ZoneAggregation[],
): FeatureValue[] {
  const { distance, alpha } = settings;
  if (!Number.isInteger(distance) || distance < 1) {
    throw new RgsError(`NGLDM: distance ${distance} must be an integer >= 1`, { field: 'ngldmDistance' });
  }
  if (!(alpha >= 0) || !Number.isFinite(alpha)) {
    throw new RgsError(`NGLDM: coarseness alpha ${alpha} must be a finite number >= 0`, { field: 'ngldmAlpha' });
  }
  const grid = neighbourhoodGridOf(input, distance);
  const wantSlices = aggregations.includes('2D') || aggregations.includes('2.5D');
  const wantVolume = aggregations.includes('3D');
  const matrices = ngldmMatrices(grid, distance, alpha, wantSlices, wantVolume);
  const empty = new ZoneMatrixBuilder(grid.levelValues).build();
  return aggregateZoneFeatures(
    {
      family: 'ngl',
      definitions: NGLDM_FEATURES,
      sliceMatrices: () => matrices.slices,
      volumeMatrix: () => matrices.volume ?? empty,
      merge: (ms) => mergeZoneMatrices(ms, grid.levelValues),
      features: (m) => {
        const s = zoneStatistics(m);
        return NGLDM_FEATURES.map((d) => s[d.stat]);
      },
    },
    aggregations,
  );
}
