/**
 * Grey level distance zone matrix features (IBSI 3.7, family "dzm"): d_ij counts the zones of
 * grey level i whose distance to the ROI edge is j. Zones are those of the GLSZM (8-connected in
 * a slice for 2D / 2.5D, 26-connected for 3D). A zone's distance is the smallest edge distance
 * of its voxels, each voxel's distance being its city-block (4-connected in a slice for 2D /
 * 2.5D, 6-connected in 3D) step count to the nearest voxel outside the ROI, 1 for a voxel on the
 * edge (see distance-map.ts).
 *
 * Which mask defines the edge: the morphological mask, as MIRP does. Re-segmentation removes
 * voxels from the intensity mask inside the ROI, and those holes are not ROI edges; the IBSI
 * config A reference values (CT phantom, re-segmented to [-500, 400] HU) are only reproduced
 * this way. Intensity-mask voxels outside the morphological mask (not expected) count as inside.
 */
import type { FeatureInput, FeatureValue, ZoneAggregation } from '../features/types';
import { cityBlockDistanceToEdge, extendDistanceAcrossSlices } from './distance-map';
import { neighbourhoodGridOf, type NeighbourhoodGrid } from './neighbourhood-grid';
import { aggregateZoneFeatures, type FeatureDefinition } from './zone-aggregation';
import { zoneStatistics, type ZoneStatistic } from './zone-features';
import { mergeZoneMatrices, ZoneMatrixBuilder, type ZoneMatrix } from './zone-matrix';
import { zonesOf, type ZoneConnectivity } from './zones';

const GLDZM_FEATURES: readonly (FeatureDefinition & { stat: ZoneStatistic })[] = [
  { feature: 'Small distance emphasis', code: '0GBI', stat: 'smallEmphasis' },
  { feature: 'Large distance emphasis', code: 'MB4I', stat: 'largeEmphasis' },
  { feature: 'Low grey level zone emphasis', code: 'S1RA', stat: 'lowGreyLevelEmphasis' },
  { feature: 'High grey level zone emphasis', code: 'K26C', stat: 'highGreyLevelEmphasis' },
  { feature: 'Small distance low grey level emphasis', code: 'RUVG', stat: 'smallLowGreyLevelEmphasis' },
  { feature: 'Small distance high grey level emphasis', code: 'DKNJ', stat: 'smallHighGreyLevelEmphasis' },
  { feature: 'Large distance low grey level emphasis', code: 'A7WM', stat: 'largeLowGreyLevelEmphasis' },
  { feature: 'Large distance high grey level emphasis', code: 'KLTH', stat: 'largeHighGreyLevelEmphasis' },
  { feature: 'Grey level non-uniformity', code: 'VFT7', stat: 'greyLevelNonUniformity' },
  { feature: 'Normalised grey level non-uniformity', code: '7HP3', stat: 'normalisedGreyLevelNonUniformity' },
  { feature: 'Zone distance non-uniformity', code: 'V294', stat: 'columnNonUniformity' },
  { feature: 'Normalised zone distance non-uniformity', code: 'IATH', stat: 'normalisedColumnNonUniformity' },
  { feature: 'Zone percentage', code: 'VIWW', stat: 'percentage' },
  { feature: 'Grey level variance', code: 'QK93', stat: 'greyLevelVariance' },
  { feature: 'Zone distance variance', code: '7WT1', stat: 'columnVariance' },
  { feature: 'Zone distance entropy', code: 'GBDU', stat: 'columnEntropy' },
];

/**
 * GLDZM matrices of `grid`: one per slice holding intensity-mask voxels (in-plane connectivity),
 * or one for the volume. `distance` is the matching edge distance map (distance-map.ts).
 */
export function gldzmMatrices(grid: NeighbourhoodGrid, connectivity: ZoneConnectivity, distance: Int32Array): ZoneMatrix[] {
  const zones = zonesOf(grid, connectivity);
  const zoneDistance = new Int32Array(zones.count).fill(0x7fffffff);
  const { voxelZone } = zones;
  for (let t = 0; t < grid.voxels.length; t++) {
    const v = grid.voxels[t];
    const z = voxelZone[v];
    if (distance[v] < zoneDistance[z]) zoneDistance[z] = distance[v];
  }

  if (connectivity === 'volume') {
    const builder = new ZoneMatrixBuilder(grid.levelValues);
    for (let z = 0; z < zones.count; z++) builder.add(zones.level[z], zoneDistance[z]);
    builder.addVoxels(grid.voxels.length);
    return [builder.build()];
  }
  const builders = new Map<number, ZoneMatrixBuilder>();
  for (let z = 0; z < zones.count; z++) {
    const k = zones.slice[z];
    let builder = builders.get(k);
    if (builder === undefined) {
      builder = new ZoneMatrixBuilder(grid.levelValues);
      builder.addVoxels(grid.sliceStart[k + 1] - grid.sliceStart[k]);
      builders.set(k, builder);
    }
    builder.add(zones.level[z], zoneDistance[z]);
  }
  return [...builders.keys()].sort((a, b) => a - b).map((k) => (builders.get(k) as ZoneMatrixBuilder).build());
}

/**
 * The 16 GLDZM features for each requested aggregation. Features of an empty ROI are NaN, and so
 * are the low grey level emphases when a grey level value is 0 (division by zero).
 */
export function computeGldzm(input: FeatureInput, aggregations: readonly ZoneAggregation[]): FeatureValue[] {
  const grid = neighbourhoodGridOf(input, 1);
  let inPlaneDistance: Int32Array | undefined;
  const inPlane = () => (inPlaneDistance ??= cityBlockDistanceToEdge(grid.edgeMask, grid.dims, true));
  // The 3D map extends the in-plane one when that exists already.
  const volume = () =>
    inPlaneDistance ? extendDistanceAcrossSlices(inPlaneDistance, grid.dims) : cityBlockDistanceToEdge(grid.edgeMask, grid.dims, false);
  return aggregateZoneFeatures(
    {
      family: 'dzm',
      definitions: GLDZM_FEATURES,
      sliceMatrices: () => gldzmMatrices(grid, 'in-plane', inPlane()),
      volumeMatrix: () => gldzmMatrices(grid, 'volume', volume())[0],
      merge: (ms) => mergeZoneMatrices(ms, grid.levelValues),
      features: (m) => {
        const s = zoneStatistics(m);
        return GLDZM_FEATURES.map((d) => s[d.stat]);
      },
    },
    aggregations,
  );
}
