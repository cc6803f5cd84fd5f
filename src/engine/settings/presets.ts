/**
 * Named settings: the five IBSI CT-phantom configurations A–E (Zwanenburg et al., Radiology
 * 2020, table of configurations; reproduced in /work/shared/ibsi/README.md) and `default`, what
 * `rgs extract` uses without settings.
 *
 * All IBSI configurations use GLCM Chebyshev distance 1 (symmetric), NGTDM and NGLDM distance 1,
 * NGLDM α = 0, all feature families; A and B report the 2D and 2.5D texture aggregations,
 * C–E the 3D ones.
 */
import {
  DIRECTIONAL_AGGREGATIONS,
  FAMILIES,
  ZONE_AGGREGATIONS,
  type DirectionalAggregation,
  type ZoneAggregation,
} from '../features/types';
import { RgsError } from '../util/errors';
import { suggest } from '../schema/suggest';
import { settingsToYaml } from './serialise';
import type { ExtractionSettings, FeatureSettings, ResamplingSettings } from './types';

export const PRESET_NAMES = ['ibsi-A', 'ibsi-B', 'ibsi-C', 'ibsi-D', 'ibsi-E', 'default'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

export const PRESET_DESCRIPTIONS: Readonly<Record<PresetName, string>> = {
  'ibsi-A': 'IBSI CT phantom configuration A: slice-wise (2D), no resampling, re-segmentation [-500, 400] HU, FBS 25 HU, IVH not discretised; 2D and 2.5D texture aggregations.',
  'ibsi-B': 'IBSI CT phantom configuration B: slice-wise (2D), 2 x 2 mm in-plane bilinear resampling (rounded), mask bilinear at 0.5, re-segmentation [-500, 400] HU, FBN 32, IVH not discretised; 2D and 2.5D texture aggregations.',
  'ibsi-C': 'IBSI CT phantom configuration C: 3D, 2 x 2 x 2 mm trilinear resampling (rounded), mask trilinear at 0.5, re-segmentation [-1000, 400] HU, FBS 25 HU, IVH FBS 2.5 HU; 3D texture aggregations.',
  'ibsi-D': 'IBSI CT phantom configuration D: 3D, 2 x 2 x 2 mm trilinear resampling (rounded), mask trilinear at 0.5, no range, outlier filter mean ± 3 SD, FBN 32, IVH not discretised; 3D texture aggregations.',
  'ibsi-E': 'IBSI CT phantom configuration E: 3D, 2 x 2 x 2 mm tricubic-spline resampling (rounded), mask trilinear at 0.5, re-segmentation [-1000, 400] HU and outlier filter mean ± 3 SD, FBN 32, IVH FBN 1000; 3D texture aggregations.',
  default: 'No preprocessing (no resampling, normalisation or re-segmentation), no discretisation (grey level = intensity), all feature families, 3D texture aggregations.',
};

const is2D = (a: string): boolean => a.startsWith('2D') || a.startsWith('2.5D');

/** "2D, averaged" … "2.5D, merged": the GLCM/GLRLM aggregations of slice-wise texture. */
export const SLICE_DIRECTIONAL_AGGREGATIONS: readonly DirectionalAggregation[] = DIRECTIONAL_AGGREGATIONS.filter(is2D);
export const SLICE_ZONE_AGGREGATIONS: readonly ZoneAggregation[] = ZONE_AGGREGATIONS.filter(is2D);
export const VOLUME_DIRECTIONAL_AGGREGATIONS: readonly DirectionalAggregation[] = DIRECTIONAL_AGGREGATIONS.filter((a) => !is2D(a));
export const VOLUME_ZONE_AGGREGATIONS: readonly ZoneAggregation[] = ZONE_AGGREGATIONS.filter((a) => !is2D(a));

/** The texture aggregations computed when a settings file names none. */
export function defaultAggregations(sliceWise: boolean): Pick<FeatureSettings, 'directionalAggregations' | 'zoneAggregations'> {
  return sliceWise
    ? { directionalAggregations: [...SLICE_DIRECTIONAL_AGGREGATIONS], zoneAggregations: [...SLICE_ZONE_AGGREGATIONS] }
    : { directionalAggregations: [...VOLUME_DIRECTIONAL_AGGREGATIONS], zoneAggregations: [...VOLUME_ZONE_AGGREGATIONS] };
}

function features(sliceWise: boolean, rest: Pick<FeatureSettings, 'discretisation' | 'ivhDiscretisation'>): FeatureSettings {
  return {
    families: [...FAMILIES],
    ...defaultAggregations(sliceWise),
    ...rest,
    glcm: { distance: 1, symmetric: true },
    ngtdm: { distance: 1 },
    ngldm: { distance: 1, alpha: 0 },
    ibsiCodes: [],
  };
}

/** IBSI configs B–E: rounded intensities, mask interpolated like the image (bi-/trilinear) and thresholded at 0.5. */
function resampled(spacing: ResamplingSettings['spacing'], interpolation: ResamplingSettings['interpolation']): ResamplingSettings {
  return { spacing, interpolation, roundIntensities: true, maskInterpolation: 'linear', maskThreshold: 0.5 };
}

function deepFreeze<T>(o: T): T {
  if (o !== null && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}

/** The presets, frozen; use `presetByName` for a copy you may modify. */
export const PRESETS: Readonly<Record<PresetName, ExtractionSettings>> = deepFreeze({
  'ibsi-A': {
    preprocessing: {
      sliceWise: true,
      resampling: null,
      normalisation: { method: 'none' },
      resegmentation: { range: { lower: -500, upper: 400 }, outlierSigma: null },
    },
    features: features(true, { discretisation: { method: 'fbs', binWidth: 25 }, ivhDiscretisation: { method: 'none' } }),
  },
  'ibsi-B': {
    preprocessing: {
      sliceWise: true,
      resampling: resampled([2, 2, null], 'linear'),
      normalisation: { method: 'none' },
      resegmentation: { range: { lower: -500, upper: 400 }, outlierSigma: null },
    },
    features: features(true, { discretisation: { method: 'fbn', binCount: 32 }, ivhDiscretisation: { method: 'none' } }),
  },
  'ibsi-C': {
    preprocessing: {
      sliceWise: false,
      resampling: resampled([2, 2, 2], 'linear'),
      normalisation: { method: 'none' },
      resegmentation: { range: { lower: -1000, upper: 400 }, outlierSigma: null },
    },
    features: features(false, { discretisation: { method: 'fbs', binWidth: 25 }, ivhDiscretisation: { method: 'fbs', binWidth: 2.5 } }),
  },
  'ibsi-D': {
    preprocessing: {
      sliceWise: false,
      resampling: resampled([2, 2, 2], 'linear'),
      normalisation: { method: 'none' },
      resegmentation: { range: null, outlierSigma: 3 },
    },
    features: features(false, { discretisation: { method: 'fbn', binCount: 32 }, ivhDiscretisation: { method: 'none' } }),
  },
  'ibsi-E': {
    preprocessing: {
      sliceWise: false,
      resampling: resampled([2, 2, 2], 'bspline'),
      normalisation: { method: 'none' },
      resegmentation: { range: { lower: -1000, upper: 400 }, outlierSigma: 3 },
    },
    features: features(false, { discretisation: { method: 'fbn', binCount: 32 }, ivhDiscretisation: { method: 'fbn', binCount: 1000 } }),
  },
  default: {
    preprocessing: {
      sliceWise: false,
      resampling: null,
      normalisation: { method: 'none' },
      resegmentation: { range: null, outlierSigma: null },
    },
    features: features(false, { discretisation: { method: 'none' }, ivhDiscretisation: { method: 'none' } }),
  },
});

export function isPresetName(name: string): name is PresetName {
  return (PRESET_NAMES as readonly string[]).includes(name);
}

/** A modifiable copy of a preset; an RgsError naming the presets for an unknown name. */
export function presetByName(name: string): ExtractionSettings {
  if (!isPresetName(name)) {
    const hint = suggest(name, PRESET_NAMES);
    throw new RgsError(
      `unknown preset \`${name}\`; presets: ${PRESET_NAMES.join(', ')}${hint !== null ? ` (did you mean \`${hint}\`?)` : ''}`,
      { field: 'preset' },
    );
  }
  return structuredClone(PRESETS[name]);
}

/** A preset written out in full as a settings file, for users to start from. */
export function presetYaml(name: string): string {
  const settings = presetByName(name);
  const header = `Preset ${name}: ${PRESET_DESCRIPTIONS[name as PresetName]}`;
  return settingsToYaml(settings, header);
}
