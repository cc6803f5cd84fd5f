/**
 * Grey level size zone matrix features (IBSI 3.6, family "szm"): s_ij counts the zones of grey
 * level i and size j, a zone being a maximal set of connected voxels (8-connected in a slice for
 * 2D / 2.5D, 26-connected for 3D) with the same grey level. N_v (zone percentage) is the number
 * of intensity-mask voxels of the slice, of all slices (2.5D) or of the volume (3D).
 */
import type { FeatureInput, FeatureValue, ZoneAggregation } from '../features/types';
import { neighbourhoodGridOf, type NeighbourhoodGrid } from './neighbourhood-grid';
import { aggregateZoneFeatures, type FeatureDefinition } from './zone-aggregation';
import { zoneStatistics, type ZoneStatistic } from './zone-features';
import { mergeZoneMatrices, ZoneMatrixBuilder, type ZoneMatrix } from './zone-matrix';
import { zonesOf, type ZoneConnectivity } from './zones';

const GLSZM_FEATURES: readonly (FeatureDefinition & { stat: ZoneStatistic })[] = [
  { feature: 'Small zone emphasis', code: '5QRC', stat: 'smallEmphasis' },
  { feature: 'Large zone emphasis', code: '48P8', stat: 'largeEmphasis' },
  { feature: 'Low grey level zone emphasis', code: 'XMSY', stat: 'lowGreyLevelEmphasis' },
  { feature: 'High grey level zone emphasis', code: '5GN9', stat: 'highGreyLevelEmphasis' },
  { feature: 'Small zone low grey level emphasis', code: '5RAI', stat: 'smallLowGreyLevelEmphasis' },
  { feature: 'Small zone high grey level emphasis', code: 'HW1V', stat: 'smallHighGreyLevelEmphasis' },
  { feature: 'Large zone low grey level emphasis', code: 'YH51', stat: 'largeLowGreyLevelEmphasis' },
  { feature: 'Large zone high grey level emphasis', code: 'J17V', stat: 'largeHighGreyLevelEmphasis' },
  { feature: 'Grey level non-uniformity', code: 'JNSA', stat: 'greyLevelNonUniformity' },
  { feature: 'Normalised grey level non-uniformity', code: 'Y1RO', stat: 'normalisedGreyLevelNonUniformity' },
  { feature: 'Zone size non-uniformity', code: '4JP3', stat: 'columnNonUniformity' },
  { feature: 'Normalised zone size non-uniformity', code: 'VB3A', stat: 'normalisedColumnNonUniformity' },
  { feature: 'Zone percentage', code: 'P30P', stat: 'percentage' },
  { feature: 'Grey level variance', code: 'BYLV', stat: 'greyLevelVariance' },
  { feature: 'Zone size variance', code: '3NSA', stat: 'columnVariance' },
  { feature: 'Zone size entropy', code: 'GU8N', stat: 'columnEntropy' },
];

/**
 * GLSZM matrices of `grid`: one per slice holding intensity-mask voxels (in-plane
 * connectivity), or one for the volume.
 */
export function glszmMatrices(grid: NeighbourhoodGrid, connectivity: ZoneConnectivity): ZoneMatrix[] {
  const zones = zonesOf(grid, connectivity);
  if (connectivity === 'volume') {
    const builder = new ZoneMatrixBuilder(grid.levelValues);
    for (let z = 0; z < zones.count; z++) builder.add(zones.level[z], zones.size[z]);
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
    builder.add(zones.level[z], zones.size[z]);
  }
  return [...builders.keys()].sort((a, b) => a - b).map((k) => (builders.get(k) as ZoneMatrixBuilder).build());
}

/**
 * The 16 GLSZM features for each requested aggregation. Features of an empty ROI are NaN, and so
 * are the low grey level emphases when a grey level value is 0 (division by zero).
 */
export function computeGlszm(input: FeatureInput, aggregations: readonly ZoneAggregation[]): FeatureValue[] {
  const grid = neighbourhoodGridOf(input, 1);
  return aggregateZoneFeatures(
    {
      family: 'szm',
      definitions: GLSZM_FEATURES,
      sliceMatrices: () => glszmMatrices(grid, 'in-plane'),
      volumeMatrix: () => glszmMatrices(grid, 'volume')[0],
      merge: (ms) => mergeZoneMatrices(ms, grid.levelValues),
      features: (m) => {
        const s = zoneStatistics(m);
        return GLSZM_FEATURES.map((d) => s[d.stat]);
      },
    },
    aggregations,
  );
}
