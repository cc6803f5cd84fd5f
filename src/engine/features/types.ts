/**
 * What every feature family receives and returns.
 *
 * The names (family abbreviations, feature names, aggregation labels) are those of the IBSI
 * reference manual as used in the IBSI reference-value tables, so that output rows can be
 * matched to reference rows by (family, ibsi_code, aggregation).
 */
import type { Vec3 } from '../image/volume';

export type Family = 'morph' | 'loc' | 'stat' | 'ih' | 'ivh' | 'cm' | 'rlm' | 'szm' | 'dzm' | 'ngt' | 'ngl';

export const FAMILIES: readonly Family[] = ['morph', 'loc', 'stat', 'ih', 'ivh', 'cm', 'rlm', 'szm', 'dzm', 'ngt', 'ngl'];

/** GLCM and GLRLM aggregations. */
export type DirectionalAggregation =
  | '2D, averaged'
  | '2D, slice-merged'
  | '2.5D, direction-merged'
  | '2.5D, merged'
  | '3D, averaged'
  | '3D, merged';

/** GLSZM, GLDZM, NGTDM and NGLDM aggregations. */
export type ZoneAggregation = '2D' | '2.5D' | '3D';

/** '' for families without aggregation (morph, loc, stat, ih, ivh). */
export type Aggregation = '' | DirectionalAggregation | ZoneAggregation;

export const DIRECTIONAL_AGGREGATIONS: readonly DirectionalAggregation[] = [
  '2D, averaged',
  '2D, slice-merged',
  '2.5D, direction-merged',
  '2.5D, merged',
  '3D, averaged',
  '3D, merged',
];
export const ZONE_AGGREGATIONS: readonly ZoneAggregation[] = ['2D', '2.5D', '3D'];

export interface FeatureValue {
  family: Family;
  /** The IBSI feature name, e.g. "Joint maximum". */
  feature: string;
  /** The IBSI identifier, e.g. "GYBY" (for percentile-type features, that of the percentile). */
  ibsi_code: string;
  aggregation: Aggregation;
  /** Always finite in output; a feature that is undefined for an ROI is reported as NaN internally
   *  and turned into a diagnostic by the caller, never written as NaN. */
  value: number;
  /** False for features IBSI defines but gives no reference value for (e.g. MVEE densities). */
  standardised: boolean;
}

/**
 * Discretised grey levels on the full grid (IBSI 2.7). Bins are contiguous: 1..binCount, empty
 * bins included (the intensity histogram's gradient needs them), and each bin has the grey level
 * value the formulas use (for FBS/FBN the bin number itself; without discretisation the integer
 * intensity, so the digital phantom's levels are its intensities). Texture code may compact
 * away empty bins internally; features are computed from binValues, never from bin indices.
 */
export interface Discretised {
  /** Bin per voxel on the full grid: 1..binCount inside the intensity mask, 0 outside. */
  bins: Int32Array;
  binCount: number;
  /** binValues[b] is the grey level of bin b (b = 1..binCount); binValues[0] is unused. */
  binValues: Float64Array;
}

/**
 * The intensities the intensity-volume histogram works on (IBSI 4.1) and the discrete grid it is
 * evaluated on: g_k = min + k * step, k = 0 .. (max - min) / step. Every ROI value lies on the
 * grid; grid levels no voxel has still count (the intensity at x% volume can be one of them).
 * Built by buildIvhInput (ivh-input.ts): raw integer intensities with step 1, FBS bin centres
 * with step w, or FBN bin numbers 1..Ng with step 1.
 */
export interface IvhInput {
  /** IVH intensity per voxel on the full grid (read only inside the intensity mask). */
  values: Float64Array;
  /** First and last grid level; also the range the fractional intensity gamma is taken over. */
  min: number;
  max: number;
  /** Spacing of the grid (1 for raw integer intensities and FBN, the bin width for FBS). */
  step: number;
}

/** The preprocessed ROI all feature families read from. */
export interface FeatureInput {
  dims: Vec3;
  /** Voxel size in mm. */
  spacing: Vec3;
  /** Intensities on the full grid, also outside the ROI (local intensity needs them). */
  image: Float64Array;
  /** The morphological mask (1 inside), used for the mesh, volume and shape. */
  morphMask: Uint8Array;
  /** The intensity mask (morphological mask after re-segmentation), used for everything else. */
  intensityMask: Uint8Array;
  /** Discretised grey levels for the intensity histogram and all texture families. */
  discretised: Discretised;
  ivh: IvhInput;
}

export interface TextureSettings {
  /** GLCM Chebyshev distance (IBSI default 1). */
  glcmDistance: number;
  /** GLCM symmetric (IBSI: symmetric). */
  glcmSymmetric: boolean;
  /** NGTDM neighbourhood Chebyshev distance. */
  ngtdmDistance: number;
  /** NGLDM neighbourhood Chebyshev distance and coarseness alpha. */
  ngldmDistance: number;
  ngldmAlpha: number;
}

export const DEFAULT_TEXTURE_SETTINGS: TextureSettings = {
  glcmDistance: 1,
  glcmSymmetric: true,
  ngtdmDistance: 1,
  ngldmDistance: 1,
  ngldmAlpha: 0,
};
