/**
 * From a cohort's feature table (features.csv of `rgs run`: `subject_id`, then
 * `SEQUENCE.ROI.family.feature[.aggregation]` columns) and a Study to one analysis table per
 * outcome: the candidate columns chosen by `analysis.features`, one row per subject with
 * features and a known outcome (sorted by subject id), NaN for an empty cell.
 */
import { readFileSync } from 'node:fs';
import { sha256Hex } from '../../run/hashing';
import { readFeaturesCsv } from '../../run/outputs';
import { isMissingValue } from '../../study/references';
import type { OutcomeSpec, Study } from '../../study/types';
import { compareIds } from '../validation/subjects';
import { RgsError } from '../../util/errors';
import type { AnalysisTable, Target } from './data';
import type { FeatureFilterSpec } from './spec';

export interface FeatureTableInput {
  /** Path of the table (outputs go beside it by default). */
  file: string;
  sha256: string;
  columns: string[];
  /** Subject ids, one per row. */
  subjects: string[];
  /** One dense row per subject, one value per column; NaN for an empty cell. */
  rows: Float64Array[];
}

export function readFeatureTable(path: string): FeatureTableInput {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new RgsError(`feature table ${path}: cannot be read (${code === 'ENOENT' ? 'no such file' : (code ?? String(err))}); run \`rgs run\` on the study first`, {
      file: path,
      cause: err,
    });
  }
  const { columns, subjects, rows } = readFeaturesCsv(text, path);
  return { file: path, sha256: sha256Hex(text), columns, subjects, rows };
}

/** `*` matches any text; everything else literally; the whole name must match. */
export function globMatcher(pattern: string): RegExp {
  const body = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`);
}

/** The candidate columns of a table under `analysis.features`, in table order. */
export function candidateColumns(columns: readonly string[], f: FeatureFilterSpec): string[] {
  const include = f.include?.map(globMatcher) ?? null;
  const exclude = f.exclude.map(globMatcher);
  return columns.filter((c) => {
    // Sequence and ROI names cannot contain dots (study NAME_PATTERN), so the first two parts are they.
    const parts = c.split('.');
    if (f.sequences !== null && !f.sequences.includes(parts[0])) return false;
    if (f.rois !== null && !f.rois.includes(parts[1] ?? '')) return false;
    if (f.families !== null && !f.families.includes(parts[2] ?? '')) return false;
    if (include !== null && !include.some((r) => r.test(c))) return false;
    return !exclude.some((r) => r.test(c));
  });
}

export interface TableBuild {
  table: AnalysisTable;
  missingOutcome: number;
  missingFeatures: number;
  /** Empty feature cells among the analysed rows. */
  missingValues: number;
  firstMissing: { subject: string; column: string } | null;
}

function clinicalCell(study: Study, subject: string, column: string): string | null {
  for (const t of study.clinical) {
    if (!t.columns.includes(column)) continue;
    const v = t.rows.get(subject)?.[column];
    return v === undefined || isMissingValue(v) ? null : v.trim();
  }
  return null;
}

/** One outcome's analysis table. */
export function buildAnalysisTable(study: Study, outcome: OutcomeSpec, features: FeatureTableInput, columns: readonly string[]): TableBuild {
  if (study.subjects.length === 0) throw new RgsError(`${study.file}: the study has no subjects (was it loaded without its files?)`, { file: study.file });
  const subjects = [...study.subjects].sort((a, b) => compareIds(a.id, b.id));
  const rowOf = new Map<string, Float64Array>();
  features.subjects.forEach((id, i) => rowOf.set(id, features.rows[i]));
  const ids: string[] = [];
  const sites: (string | null)[] = [];
  const external: boolean[] = [];
  const y: number[] = [];
  const time: number[] = [];
  const status: number[] = [];
  let missingOutcome = 0;
  let missingFeatures = 0;
  for (const s of subjects) {
    if (!rowOf.has(s.id)) {
      missingFeatures++;
      continue;
    }
    if (outcome.type === 'binary') {
      const v = clinicalCell(study, s.id, outcome.column);
      if (v === null) {
        missingOutcome++;
        continue;
      }
      y.push(v === outcome.positive ? 1 : 0);
    } else {
      const t = clinicalCell(study, s.id, outcome.time);
      const e = clinicalCell(study, s.id, outcome.event);
      const tv = t === null ? NaN : Number(t);
      if (!(tv >= 0) || (e !== '0' && e !== '1')) {
        missingOutcome++;
        continue;
      }
      time.push(tv);
      status.push(e === '1' ? 1 : 0);
    }
    ids.push(s.id);
    sites.push(s.site);
    external.push(s.external);
  }
  const n = ids.length;
  const p = columns.length;
  const data = new Float64Array(n * p).fill(NaN);
  let missingValues = 0;
  let firstMissing: TableBuild['firstMissing'] = null;
  const at = new Map<string, number>();
  features.columns.forEach((c, k) => at.set(c, k));
  const source = columns.map((c) => {
    const k = at.get(c);
    if (k === undefined) throw new Error(`candidate column ${c} is not in the feature table`);
    return k;
  });
  ids.forEach((id, i) => {
    const row = rowOf.get(id)!;
    for (let j = 0; j < p; j++) {
      const v = row[source[j]];
      if (Number.isFinite(v)) data[i * p + j] = v;
      else {
        missingValues++;
        if (firstMissing === null) firstMissing = { subject: id, column: columns[j] };
      }
    }
  });
  const target: Target =
    outcome.type === 'binary' ? { kind: 'binary', y: Int32Array.from(y) } : { kind: 'survival', time: Float64Array.from(time), status: Uint8Array.from(status) };
  return {
    table: { outcome: outcome.name, subjects: ids, x: { rows: n, cols: p, data }, features: [...columns], target, sites, external },
    missingOutcome,
    missingFeatures,
    missingValues,
    firstMissing,
  };
}
