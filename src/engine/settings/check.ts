/**
 * Checks across settings that a JSON Schema cannot express (an interval whose ends are two
 * values, a setting that only makes sense with another), on the resolved settings, with the
 * same problem shape and source ranges as the schema validator. A setting that came from a
 * preset or a default is located at the nearest key the file does have.
 */
import { catalogEntry, FEATURE_CATALOG } from '../features/catalog';
import { formatPath, locate, nodeAt, type PathSegment, type SchemaProblem, type SourceRange } from '../schema/validate-yaml';
import { suggest } from '../schema/suggest';
import type { DiscretisationSettings, ExtractionSettings } from './types';

export interface CheckLocation {
  /** The YAML node holding `preprocessing` and `features` (null for an empty file). */
  root: unknown;
  /** Where that node sits in its document, for the messages (e.g. [] for a settings file). */
  prefix?: readonly PathSegment[];
  /** The `preset` value, when the file names one: settings the file does not write came from it. */
  preset?: SourceRange;
  /** Range when nothing closer is in the file (e.g. the key of a study file's settings section). */
  fallback?: SourceRange;
}

export function checkSettings(settings: ExtractionSettings, where: CheckLocation): SchemaProblem[] {
  const out: SchemaProblem[] = [];
  const prefix = where.prefix ?? [];
  const report = (path: PathSegment[], message: string, severity: 'error' | 'warning' = 'error', at: PathSegment[] = path): void => {
    const full = formatPath([...prefix, ...path]);
    const written = nodeAt(where.root, at) !== undefined;
    const range = !written && where.preset !== undefined ? where.preset : locate(where.root, at, where.fallback);
    out.push({ path: full, message: `${full}: ${message}`, range, severity });
  };

  const p = settings.preprocessing;
  const range = p.resegmentation.range;
  if (range !== null && range.lower !== null && range.upper !== null && range.lower >= range.upper) {
    report(['preprocessing', 'resegmentation', 'range'], `lower bound ${range.lower} is not below upper bound ${range.upper}`);
  }

  const n = p.normalisation;
  if (n.method === 'percentile' && n.lower >= n.upper) {
    report(['preprocessing', 'normalisation'], `lower percentile ${n.lower} is not below upper percentile ${n.upper}`, 'error', [
      'preprocessing',
      'normalisation',
      'lower',
    ]);
  }
  if (n.method === 'range' && n.min >= n.max) {
    report(['preprocessing', 'normalisation'], `min ${n.min} is not below max ${n.max}`, 'error', ['preprocessing', 'normalisation', 'min']);
  }

  const r = p.resampling;
  if (r !== null) {
    // Slice-wise processing interpolates within slices only (IBSI 2.4, 2D interpolation).
    if (p.sliceWise && r.spacing[2] !== null) {
      report(
        ['preprocessing', 'resampling', 'spacing', 2],
        `slice_wise resamples within slices only; set the slice spacing to null, got ${r.spacing[2]}`,
      );
    }
    // The same rule the pipeline enforces (preprocess/pipeline.ts), reported here with a position.
    if (r.roundIntensities && n.method !== 'none') {
      report(
        ['preprocessing', 'resampling', 'round_intensities'],
        'rounding to integers after interpolation would destroy normalised intensities; set it to false when preprocessing.normalisation is used',
      );
    }
    if (r.spacing.every((s) => s === null)) {
      report(['preprocessing', 'resampling', 'spacing'], 'every axis is null, so nothing is resampled; use `resampling: null`', 'warning');
    }
    if (r.maskInterpolation === 'bspline') {
      report(
        ['preprocessing', 'resampling', 'mask_interpolation'],
        'IBSI recommends nearest or linear interpolation for the ROI mask (E8H9); a spline can overshoot and shift the ROI border',
        'warning',
      );
    }
  }

  // IBSI 2.7 (Q3RU) strongly recommends starting fixed-bin-size bins at a fixed lower bound.
  const lowerBound = range !== null && range.lower !== null;
  const fbsWithoutBound = (d: DiscretisationSettings, key: string): void => {
    if (d.method === 'fbs' && !lowerBound) {
      report(
        ['features', key],
        'fixed bin size without a lower re-segmentation bound: the bins start at each ROI\'s minimum intensity, so bin ' +
          'numbers are not comparable between images (IBSI Q3RU); set preprocessing.resegmentation.range',
        'warning',
      );
    }
  };
  fbsWithoutBound(settings.features.discretisation, 'discretisation');
  fbsWithoutBound(settings.features.ivhDiscretisation, 'ivh_discretisation');

  const f = settings.features;
  const known = FEATURE_CATALOG.map((e) => e.ibsiCode);
  // Suggestions compare against the whole catalogue; a pasted list of wrong codes stays fast.
  let suggestionsLeft = 20;
  f.ibsiCodes.forEach((code, i) => {
    const entry = catalogEntry(code);
    if (entry === undefined) {
      const hint = suggestionsLeft-- > 0 ? suggest(code, known) : null;
      report(['features', 'ibsi_codes', i], `unknown IBSI identifier \`${code}\`${hint !== null ? `; did you mean \`${hint}\`?` : ''}`);
    } else if (!f.families.includes(entry.family)) {
      report(
        ['features', 'ibsi_codes', i],
        `\`${code}\` (${entry.feature}) is a ${entry.family} feature, but ${entry.family} is not in features.families, so it is not computed`,
        'warning',
      );
    }
  });
  return out;
}
