/**
 * The plain-data (snake_case) shape of the settings as written in YAML, i.e. what a settings
 * file that passed the schema (schema.ts) converts to. `resolve.ts` turns it into the typed
 * ExtractionSettings (types.ts), filling defaults; `serialise.ts` goes the other way.
 */
import type { DirectionalAggregation, Family, ZoneAggregation } from '../features/types';
import type { Interpolation } from './types';

export interface ResamplingJson {
  spacing: [number | null, number | null, number | null];
  interpolation: Interpolation;
  round_intensities?: boolean;
  mask_interpolation?: Interpolation;
  mask_threshold?: number;
}

export type ReferenceJson = 'roi' | { mask: string; label?: number };

export type NormalisationJson =
  | { method: 'none' }
  | { method: 'zscore'; reference?: ReferenceJson }
  | { method: 'percentile'; lower: number; upper: number; reference?: ReferenceJson }
  | { method: 'range'; min: number; max: number };

export interface ResegmentationJson {
  range?: [number | null, number | null] | null;
  outlier_sigma?: number | null;
}

export interface PreprocessingJson {
  slice_wise?: boolean;
  resampling?: ResamplingJson | null;
  normalisation?: NormalisationJson;
  resegmentation?: ResegmentationJson;
}

export type DiscretisationJson = { method: 'none' } | { method: 'fbs'; bin_width: number } | { method: 'fbn'; bin_count: number };

export interface FeaturesJson {
  families?: Family[];
  aggregations?: (DirectionalAggregation | ZoneAggregation)[];
  discretisation?: DiscretisationJson;
  ivh_discretisation?: DiscretisationJson;
  glcm?: { distance?: number; symmetric?: boolean };
  ngtdm?: { distance?: number };
  ngldm?: { distance?: number; alpha?: number };
  ibsi_codes?: string[];
}

export interface SettingsFileJson {
  preset?: string;
  preprocessing?: PreprocessingJson;
  features?: FeaturesJson;
}
