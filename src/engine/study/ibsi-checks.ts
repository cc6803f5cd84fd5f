/**
 * IBSI consistency checks of a study (warnings): settings that are each valid but, together with
 * the modality or the images, give features that cannot be compared between subjects or mean
 * something else than intended. Each check runs on every sequence's effective settings; a
 * finding is reported at the setting that causes it: the sequence's own `preprocessing` when it
 * writes the setting involved, else the study-wide one (once for all sequences it concerns).
 */
import type { Family } from '../features/types';
import type { PathSegment, SourceRange } from '../schema/validate-yaml';
import { formatPath } from '../schema/validate-yaml';
import type { ExtractionSettings, NormalisationSettings } from '../settings/types';
import type { ProblemSink } from './problems';
import type { FirstImage } from './references';
import type { SequenceSettings } from './settings';
import type { StudyView } from './view';

export type Modality = 'MR' | 'CT';

/** Ratio of the largest to the smallest voxel side above which 3D texture is questionable. */
export const ANISOTROPY_LIMIT = 2;
/**
 * Normalised intensities (z-scores, or 0–1 scales) beyond this magnitude are implausible; a
 * re-segmentation bound beyond it was almost certainly written in raw units (e.g. HU).
 */
export const NORMALISED_BOUND_LIMIT = 10;

const TEXTURE_DIRECTIONAL: readonly Family[] = ['cm', 'rlm'];
const TEXTURE_ZONE: readonly Family[] = ['szm', 'dzm', 'ngt', 'ngl'];
/** Families that read `discretisation` (IBSI 2.7): the intensity histogram and all texture. */
const DISCRETISED: readonly Family[] = ['ih', ...TEXTURE_DIRECTIONAL, ...TEXTURE_ZONE];

interface Finding {
  code: string;
  message: string;
  /** Where in the study-wide settings the finding is reported, by preference. */
  studyPaths: PathSegment[][];
  /** The `preprocessing` keys whose value (if a sequence writes it) causes the finding. */
  causes: string[];
}

export function ibsiChecks(
  view: StudyView,
  sink: ProblemSink,
  modality: Modality,
  studySettings: ExtractionSettings,
  sequences: SequenceSettings[],
  firstImages: ReadonlyMap<string, FirstImage>,
): void {
  // Without sequences (a schema error), check the study-wide settings alone.
  const targets: { name: string | null; settings: ExtractionSettings; written: Set<string> }[] =
    sequences.length > 0 ? sequences : [{ name: null, settings: studySettings, written: new Set() }];
  const groups = new Map<string, { range: SourceRange; path: string; code: string; message: string; names: string[] }>();
  for (const t of targets) {
    const image = t.name === null ? undefined : firstImages.get(t.name);
    for (const f of findings(modality, t.settings, image)) {
      const own = f.causes.find((c) => t.written.has(c));
      let at: PathSegment[];
      if (own !== undefined && t.name !== null) at = ['cohort', 'sequences', t.name, 'preprocessing', own];
      else at = f.studyPaths.find((p) => view.has(p)) ?? f.studyPaths[f.studyPaths.length - 1];
      if (!view.has(at)) at = ['cohort', 'sequences'];
      // A whole section (`features:`, `cohort.sequences:`) is underlined at its key; a setting where its value is.
      const section = at.length === 1 || (at.length === 2 && at[0] === 'cohort');
      const range = section ? view.keyRange(at) : view.range(at);
      const key = `${range[0]}:${range[1]}:${f.code}:${f.message}`;
      const g = groups.get(key);
      if (g !== undefined) {
        if (t.name !== null) g.names.push(t.name);
      } else groups.set(key, { range, path: formatPath(at), code: f.code, message: f.message, names: t.name === null ? [] : [t.name] });
    }
  }
  for (const g of groups.values()) {
    // Name the sequences unless the finding concerns all of them.
    const which = g.names.length > 0 && g.names.length < sequences.length ? ` (${g.names.length === 1 ? 'sequence' : 'sequences'} ${g.names.join(', ')})` : '';
    sink.study(g.range, 'warning', `${g.message}${which}`, g.path, g.code);
  }
}

function findings(modality: Modality, s: ExtractionSettings, image: FirstImage | undefined): Finding[] {
  const out: Finding[] = [];
  const p = s.preprocessing;
  const f = s.features;
  const has = (families: readonly Family[]) => families.some((x) => f.families.includes(x));

  // IBSI 2.7 (Q3RU): fixed bin size keeps a fixed relation to the intensity scale, which MR
  // intensities (arbitrary units, scanner- and protocol-dependent) do not have.
  if (modality === 'MR' && p.normalisation.method === 'none') {
    const fbs: [string, boolean][] = [
      ['discretisation', f.discretisation.method === 'fbs' && has(DISCRETISED)],
      ['ivh_discretisation', f.ivhDiscretisation.method === 'fbs' && f.families.includes('ivh')],
    ];
    for (const [key, applies] of fbs) {
      if (!applies) continue;
      out.push({
        code: 'ibsi-mr-fixed-bin-size',
        message: `features.${key}: fixed bin size (fbs) on MR intensities, which have no absolute scale: add preprocessing.normalisation or use fbn`,
        studyPaths: [['features', key], ['preprocessing']],
        causes: ['normalisation'],
      });
    }
  }

  // IBSI 2.4: 3D texture matrices count neighbours along every axis as equally near; on voxels
  // much longer along one axis, "neighbour" means very different distances.
  const texture3d =
    (has(TEXTURE_DIRECTIONAL) && f.directionalAggregations.some((a) => a.startsWith('3D'))) ||
    (has(TEXTURE_ZONE) && f.zoneAggregations.includes('3D'));
  if (texture3d && image !== undefined) {
    const r = p.resampling?.spacing ?? [null, null, null];
    const eff = image.spacing.map((v, a) => r[a] ?? v);
    const ratio = Math.max(...eff) / Math.min(...eff);
    if (ratio > ANISOTROPY_LIMIT) {
      const resampled = r.some((v) => v !== null);
      const voxels = `${mm(image.spacing)} mm voxels${resampled ? `, ${mm(eff)} mm after resampling` : ''}`;
      out.push({
        code: 'ibsi-anisotropic-texture',
        message:
          `features.aggregations: 3D texture aggregations on anisotropic voxels: the first subject (${image.subject}) has ${voxels} ` +
          `(longest side ${fmt(ratio)} times the shortest)${resampled ? '' : ' and there is no resampling'}; resample to isotropic ` +
          'voxels (preprocessing.resampling) or use slice_wise with the 2D and 2.5D aggregations (IBSI 2.4)',
        studyPaths: [['features', 'aggregations'], ['preprocessing', 'resampling'], ['features', 'families'], ['features'], ['cohort', 'sequences']],
        causes: ['resampling', 'slice_wise'],
      });
    }
  }

  // IBSI 2.5: re-segmentation comes after normalisation, so its range is in normalised units.
  const range = p.resegmentation.range;
  if (range !== null && p.normalisation.method !== 'none') {
    const finding = normalisedRangeFinding(range.lower, range.upper, p.normalisation);
    if (finding !== null) {
      out.push({
        code: 'ibsi-resegmentation-units',
        message: `preprocessing.resegmentation.range: ${finding}`,
        studyPaths: [['preprocessing', 'resegmentation', 'range']],
        causes: ['resegmentation', 'normalisation'],
      });
    }
  }
  return out;
}

/** Why a re-segmentation range is implausible on normalised intensities, or null. */
function normalisedRangeFinding(lower: number | null, upper: number | null, n: NormalisationSettings): string | null {
  const L = NORMALISED_BOUND_LIMIT;
  const far = (b: number | null) => b !== null && Math.abs(b) > L;
  if (!far(lower) && !far(upper)) return null;
  const scale =
    n.method === 'zscore'
      ? 'z-scores (mostly within ±5)'
      : n.method === 'percentile'
        ? `on a 0–1 scale (the ${n.lower}th and ${n.upper}th percentiles map to 0 and 1)`
        : 'on a 0–1 scale (the normalisation range maps to 0 and 1)';
  // Assume normalised intensities within ±L: what does each bound then do?
  const removesAll = (lower !== null && lower > L) || (upper !== null && upper < -L);
  const noEffectLow = lower === null || lower < -L;
  const noEffectHigh = upper === null || upper > L;
  const effect = removesAll
    ? 'it would remove every voxel'
    : noEffectLow && noEffectHigh
      ? 'it removes no voxel'
      : noEffectLow
        ? `its lower bound ${lower} removes nothing`
        : `its upper bound ${upper} removes nothing`;
  const example = n.method === 'zscore' ? '[-3, 3]' : '[0, 1]';
  return (
    `[${lower ?? 'null'}, ${upper ?? 'null'}] looks like raw intensity units (e.g. HU), but re-segmentation follows ${n.method} normalisation, ` +
    `where intensities are ${scale}: ${effect}; give the bounds in normalised units (e.g. ${example}) or remove the range`
  );
}

function fmt(x: number): string {
  return String(Number(x.toPrecision(3)));
}

function mm(v: readonly number[]): string {
  return v.map(fmt).join(' x ');
}
