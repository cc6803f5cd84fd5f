/**
 * Settings-file data (snake_case, already validated against schema.ts) to the typed
 * ExtractionSettings, filling what the file leaves out from a base (the named preset, or the
 * `default` preset) and the schema defaults.
 *
 * Merge rule: a block that is a choice or a unit (resampling, normalisation, discretisation,
 * ivh_discretisation, resegmentation.range) replaces the base's as a whole, with the schema
 * defaults for its optional keys; the other keys replace the base's one by one.
 */
import { isAbsolute, resolve as resolvePath } from 'node:path';
import { DIRECTIONAL_AGGREGATIONS, type DirectionalAggregation, type ZoneAggregation } from '../features/types';
import { defaultAggregations } from './presets';
import type {
  DiscretisationJson,
  FeaturesJson,
  NormalisationJson,
  PreprocessingJson,
  ReferenceJson,
  ResamplingJson,
  SettingsFileJson,
} from './settings-json';
import type {
  DiscretisationSettings,
  ExtractionSettings,
  FeatureSettings,
  NormalisationSettings,
  PreprocessingSettings,
  ResamplingSettings,
} from './types';

export interface ResolveOptions {
  /** The settings the file starts from: its preset, else the `default` preset. */
  base: ExtractionSettings;
  /** Whether `base` is a preset the file named (then omitted aggregations are the preset's). */
  presetNamed: boolean;
  /** Directory relative reference-mask paths are resolved against (the settings file's). */
  baseDir?: string;
}

export const DEFAULT_MASK_INTERPOLATION = 'linear';
export const DEFAULT_MASK_THRESHOLD = 0.5;

export function settingsFromJson(json: SettingsFileJson, options: ResolveOptions): ExtractionSettings {
  const preprocessing = preprocessingFromJson(json.preprocessing ?? {}, options.base.preprocessing, options.baseDir);
  const features = featuresFromJson(json.features ?? {}, options.base.features, preprocessing.sliceWise, options.presetNamed);
  return { preprocessing, features };
}

function preprocessingFromJson(p: PreprocessingJson, base: PreprocessingSettings, baseDir: string | undefined): PreprocessingSettings {
  const reseg = p.resegmentation ?? {};
  return {
    sliceWise: p.slice_wise ?? base.sliceWise,
    resampling: p.resampling === undefined ? structuredClone(base.resampling) : resamplingFromJson(p.resampling),
    normalisation: p.normalisation === undefined ? structuredClone(base.normalisation) : normalisationFromJson(p.normalisation, baseDir),
    resegmentation: {
      range:
        reseg.range === undefined
          ? structuredClone(base.resegmentation.range)
          : reseg.range === null
            ? null
            : { lower: reseg.range[0], upper: reseg.range[1] },
      outlierSigma: reseg.outlier_sigma === undefined ? base.resegmentation.outlierSigma : reseg.outlier_sigma,
    },
  };
}

function resamplingFromJson(r: ResamplingJson | null): ResamplingSettings | null {
  if (r === null) return null;
  return {
    spacing: [r.spacing[0], r.spacing[1], r.spacing[2]],
    interpolation: r.interpolation,
    roundIntensities: r.round_intensities ?? false,
    maskInterpolation: r.mask_interpolation ?? DEFAULT_MASK_INTERPOLATION,
    maskThreshold: r.mask_threshold ?? DEFAULT_MASK_THRESHOLD,
  };
}

function referenceFromJson(r: ReferenceJson | undefined, baseDir: string | undefined): 'roi' | { mask: string; label?: number } {
  if (r === undefined || r === 'roi') return 'roi';
  const mask = baseDir !== undefined && !isAbsolute(r.mask) ? resolvePath(baseDir, r.mask) : r.mask;
  return r.label === undefined ? { mask } : { mask, label: r.label };
}

function normalisationFromJson(n: NormalisationJson, baseDir: string | undefined): NormalisationSettings {
  switch (n.method) {
    case 'none':
      return { method: 'none' };
    case 'zscore':
      return { method: 'zscore', reference: referenceFromJson(n.reference, baseDir) };
    case 'percentile':
      return { method: 'percentile', lower: n.lower, upper: n.upper, reference: referenceFromJson(n.reference, baseDir) };
    case 'range':
      return { method: 'range', min: n.min, max: n.max };
  }
}

export function discretisationFromJson(d: DiscretisationJson): DiscretisationSettings {
  switch (d.method) {
    case 'none':
      return { method: 'none' };
    case 'fbs':
      return { method: 'fbs', binWidth: d.bin_width };
    case 'fbn':
      return { method: 'fbn', binCount: d.bin_count };
  }
}

function featuresFromJson(f: FeaturesJson, base: FeatureSettings, sliceWise: boolean, presetNamed: boolean): FeatureSettings {
  let aggregations: Pick<FeatureSettings, 'directionalAggregations' | 'zoneAggregations'>;
  if (f.aggregations !== undefined) {
    const directional = f.aggregations.filter((a): a is DirectionalAggregation => (DIRECTIONAL_AGGREGATIONS as readonly string[]).includes(a));
    const zone = f.aggregations.filter((a): a is ZoneAggregation => !(DIRECTIONAL_AGGREGATIONS as readonly string[]).includes(a));
    aggregations = { directionalAggregations: directional, zoneAggregations: zone };
  } else if (presetNamed) {
    aggregations = { directionalAggregations: [...base.directionalAggregations], zoneAggregations: [...base.zoneAggregations] };
  } else {
    aggregations = defaultAggregations(sliceWise);
  }
  return {
    families: f.families !== undefined ? [...f.families] : [...base.families],
    ...aggregations,
    discretisation: f.discretisation !== undefined ? discretisationFromJson(f.discretisation) : structuredClone(base.discretisation),
    ivhDiscretisation: f.ivh_discretisation !== undefined ? discretisationFromJson(f.ivh_discretisation) : structuredClone(base.ivhDiscretisation),
    glcm: { distance: f.glcm?.distance ?? base.glcm.distance, symmetric: f.glcm?.symmetric ?? base.glcm.symmetric },
    ngtdm: { distance: f.ngtdm?.distance ?? base.ngtdm.distance },
    ngldm: { distance: f.ngldm?.distance ?? base.ngldm.distance, alpha: f.ngldm?.alpha ?? base.ngldm.alpha },
    ibsiCodes: f.ibsi_codes !== undefined ? [...f.ibsi_codes] : [...base.ibsiCodes],
  };
}
