/**
 * Runs the requested feature families over one preprocessed ROI and keeps the requested
 * features. Each family builds its matrices once and derives all of its aggregations from them.
 */
import type { FeatureSettings } from '../settings/types';
import { catalogEntry, FEATURE_CATALOG } from './catalog';
import type { Family, FeatureInput, FeatureValue } from './types';
import { AUTOCORRELATION_CODES, computeMorphology, morphologyAutocorrelation } from './morphology';
import { computeLocalIntensity } from './local-intensity';
import { computeStatistics } from './statistics';
import { computeIntensityHistogram } from './histogram';
import { computeIvh } from './ivh';
import { computeGlcm } from '../texture/glcm';
import { computeGlrlm } from '../texture/glrlm';
import { computeGlszm } from '../texture/glszm';
import { computeGldzm } from '../texture/gldzm';
import { computeNgtdm } from '../texture/ngtdm';
import { computeNgldm } from '../texture/ngldm';

export interface FamilyTiming {
  family: Family;
  milliseconds: number;
}

export interface ExtractionOutput {
  features: FeatureValue[];
  timings: FamilyTiming[];
}

/** The families that must run to produce the requested features. */
export function familiesToRun(settings: FeatureSettings): Family[] {
  if (settings.ibsiCodes.length === 0) return [...settings.families];
  const wanted = new Set<Family>();
  for (const code of settings.ibsiCodes) {
    const entry = catalogEntry(code);
    if (entry && settings.families.includes(entry.family)) wanted.add(entry.family);
  }
  return settings.families.filter((f) => wanted.has(f));
}

/**
 * A piece of one ROI's work that a thread can take: a family, or Moran's I and Geary's C alone
 * ('morph:autocorrelation'), which cost about as much as the rest of the morphological family.
 * 'morph' then means the family without them.
 */
export type WorkUnit = Family | 'morph:autocorrelation';

/** Whether the settings want any of these features (no selection wants them all). */
export function wantsAnyOf(settings: FeatureSettings, codes: readonly string[]): boolean {
  return settings.ibsiCodes.length === 0 || codes.some((c) => settings.ibsiCodes.includes(c));
}

/** The work units of a run: its families, with Moran/Geary as a unit of their own when wanted. */
export function workUnitsToRun(settings: FeatureSettings): WorkUnit[] {
  const units: WorkUnit[] = [];
  for (const family of familiesToRun(settings)) {
    units.push(family);
    if (family === 'morph' && wantsAnyOf(settings, AUTOCORRELATION_CODES)) units.push('morph:autocorrelation');
  }
  return units;
}

function runFamily(family: Family, input: FeatureInput, s: FeatureSettings, codes: ReadonlySet<string> | null, only?: readonly WorkUnit[]): FeatureValue[] {
  switch (family) {
    case 'morph': {
      // A share may hold the family, its Moran/Geary unit, or both (then it is one computation).
      const shape = only === undefined || only.includes('morph');
      const autocorrelation = only === undefined || only.includes('morph:autocorrelation');
      if (!shape) return morphologyAutocorrelation(input);
      return computeMorphology(input, codes, { autocorrelation });
    }
    case 'loc':
      return computeLocalIntensity(input);
    case 'stat':
      return computeStatistics(input);
    case 'ih':
      return computeIntensityHistogram(input);
    case 'ivh':
      return computeIvh(input);
    case 'cm':
      return s.directionalAggregations.length === 0 ? [] : computeGlcm(input, s.glcm, s.directionalAggregations);
    case 'rlm':
      return s.directionalAggregations.length === 0 ? [] : computeGlrlm(input, s.directionalAggregations);
    case 'szm':
      return s.zoneAggregations.length === 0 ? [] : computeGlszm(input, s.zoneAggregations);
    case 'dzm':
      return s.zoneAggregations.length === 0 ? [] : computeGldzm(input, s.zoneAggregations);
    case 'ngt':
      return s.zoneAggregations.length === 0 ? [] : computeNgtdm(input, s.ngtdm, s.zoneAggregations);
    case 'ngl':
      return s.zoneAggregations.length === 0 ? [] : computeNgldm(input, s.ngldm, s.zoneAggregations);
  }
}

/**
 * The requested features of one ROI. `only` restricts the run to some work units (a share of
 * the work given to another thread, see split-families.ts); the output keeps family order, and
 * within the morphological family Moran's I and Geary's C come last, as the family lists them.
 */
export function extractFeatures(input: FeatureInput, settings: FeatureSettings, only?: readonly WorkUnit[]): ExtractionOutput {
  const codes = settings.ibsiCodes.length > 0 ? new Set(settings.ibsiCodes) : null;
  const features: FeatureValue[] = [];
  const timings: FamilyTiming[] = [];
  for (const family of familiesToRun(settings)) {
    if (only !== undefined && !only.includes(family) && !(family === 'morph' && only.includes('morph:autocorrelation'))) continue;
    const t0 = performance.now();
    const values = runFamily(family, input, settings, codes, only);
    timings.push({ family, milliseconds: performance.now() - t0 });
    for (const v of values) if (codes === null || codes.has(v.ibsi_code)) features.push(v);
  }
  return { features, timings };
}

/** Every IBSI identifier the engine knows, for validating a `--features` selection. */
export function knownIbsiCodes(): Set<string> {
  return new Set(FEATURE_CATALOG.map((e) => e.ibsiCode));
}
