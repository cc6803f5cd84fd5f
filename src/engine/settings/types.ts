/**
 * Extraction settings: the typed form of the `preprocessing` and `features` sections shared by
 * `rgs extract --settings FILE.yaml`, the presets (ibsi-A … ibsi-E) and the study file.
 * YAML keys are snake_case versions of these names (see the settings schema).
 */
import type { DirectionalAggregation, Family, ZoneAggregation } from '../features/types';

export type Interpolation = 'nearest' | 'linear' | 'bspline';

export interface ResamplingSettings {
  /** New voxel size in mm per axis; null keeps that axis as it is (in-plane only: [2, 2, null]). */
  spacing: [number | null, number | null, number | null];
  interpolation: Interpolation;
  /** Round intensities to the nearest integer after interpolation (IBSI configs B–E). */
  roundIntensities: boolean;
  /** How the ROI mask is interpolated before thresholding. */
  maskInterpolation: Interpolation;
  /** Partial-volume fraction at or above which an interpolated mask voxel is in the ROI (IBSI: 0.5). */
  maskThreshold: number;
}

export type NormalisationSettings =
  | { method: 'none' }
  /** z-score over the ROI itself or over a reference mask file (e.g. the brain). */
  | { method: 'zscore'; reference: 'roi' | { mask: string; label?: number } }
  /** Map the given lower/upper percentiles (over the ROI or reference mask) to 0 and 1. */
  | { method: 'percentile'; lower: number; upper: number; reference: 'roi' | { mask: string; label?: number } }
  /** Map [min, max] linearly to [0, 1] (fixed range, e.g. for a known scanner scale). */
  | { method: 'range'; min: number; max: number };

export interface ResegmentationSettings {
  /** Keep intensity-mask voxels within [lower, upper]; null = open on that side. */
  range: { lower: number | null; upper: number | null } | null;
  /** Remove voxels outside mean ± sigma·SD of the ROI (IBSI: 3); null = off. */
  outlierSigma: number | null;
}

export type DiscretisationSettings =
  | { method: 'none' }
  | { method: 'fbs'; binWidth: number }
  | { method: 'fbn'; binCount: number };

export interface PreprocessingSettings {
  /** Slice-wise (2D) processing: in-plane resampling only; texture in 2D/2.5D aggregations. */
  sliceWise: boolean;
  resampling: ResamplingSettings | null;
  normalisation: NormalisationSettings;
  resegmentation: ResegmentationSettings;
}

export interface FeatureSettings {
  families: Family[];
  /** GLCM/GLRLM aggregations to compute. */
  directionalAggregations: DirectionalAggregation[];
  /** GLSZM/GLDZM/NGTDM/NGLDM aggregations to compute. */
  zoneAggregations: ZoneAggregation[];
  /** Discretisation for the intensity histogram and all texture families. */
  discretisation: DiscretisationSettings;
  /** The intensity-volume histogram's own discretisation. */
  ivhDiscretisation: DiscretisationSettings;
  glcm: { distance: number; symmetric: boolean };
  ngtdm: { distance: number };
  ngldm: { distance: number; alpha: number };
  /** Optional selection by IBSI identifier (e.g. ["GYBY", "RNU0"]); empty = all of the families. */
  ibsiCodes: string[];
}

export interface ExtractionSettings {
  preprocessing: PreprocessingSettings;
  features: FeatureSettings;
}
