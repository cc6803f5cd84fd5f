/**
 * The IBSI aggregations of the GLSZM, GLDZM, NGTDM and NGLDM (IBSI 3.1.2, "2D", "2.5D", "3D"):
 *   2D    one matrix per slice, features per slice, averaged over the slices that have a
 *         (non-empty) matrix;
 *   2.5D  the per-slice matrices merged (summed) into one, features from it;
 *   3D    one matrix over the volume.
 * The per-slice matrices are built once and serve both 2D and 2.5D.
 */
import type { Family, FeatureValue, ZoneAggregation } from '../features/types';
import { RgsError } from '../util/errors';

export interface FeatureDefinition {
  /** IBSI feature name, exactly as in the reference tables. */
  feature: string;
  /** IBSI identifier. */
  code: string;
}

export interface ZoneFamily<M> {
  family: Family;
  definitions: readonly FeatureDefinition[];
  /** Non-empty matrices of the slices, in slice order (called only for 2D / 2.5D). */
  sliceMatrices: () => M[];
  /** The volume matrix (called only for 3D). */
  volumeMatrix: () => M;
  /** The sum of per-slice matrices. */
  merge: (matrices: M[]) => M;
  /** Feature values in `definitions` order (NaN where undefined). */
  features: (matrix: M) => number[];
}

/** One FeatureValue per definition and requested aggregation, in aggregation order. */
export function aggregateZoneFeatures<M>(spec: ZoneFamily<M>, aggregations: readonly ZoneAggregation[]): FeatureValue[] {
  for (const a of aggregations) {
    if (a !== '2D' && a !== '2.5D' && a !== '3D') {
      throw new RgsError(`${spec.family}: unknown aggregation "${String(a)}" (expected 2D, 2.5D or 3D)`);
    }
  }
  const count = spec.definitions.length;
  let slices: M[] | undefined;
  const sliceMatrices = () => (slices ??= spec.sliceMatrices());

  const out: FeatureValue[] = [];
  for (const aggregation of aggregations) {
    let values: number[];
    if (aggregation === '2D') {
      values = new Array<number>(count).fill(0);
      const perSlice = sliceMatrices();
      for (const m of perSlice) {
        const f = spec.features(m);
        for (let i = 0; i < count; i++) values[i] += f[i];
      }
      for (let i = 0; i < count; i++) values[i] = perSlice.length > 0 ? values[i] / perSlice.length : NaN;
    } else if (aggregation === '2.5D') {
      const perSlice = sliceMatrices();
      values = perSlice.length > 0 ? spec.features(spec.merge(perSlice)) : new Array<number>(count).fill(NaN);
    } else {
      values = spec.features(spec.volumeMatrix());
    }
    for (let i = 0; i < count; i++) {
      const d = spec.definitions[i];
      out.push({
        family: spec.family,
        feature: d.feature,
        ibsi_code: d.code,
        aggregation,
        value: values[i],
        standardised: true,
      });
    }
  }
  return out;
}
