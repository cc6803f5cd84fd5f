/**
 * The outputs of a cohort run (and of `rgs merge`), built from one model so that a merged set of
 * shards and a whole run render to the same bytes:
 *
 * - features.csv / features.parquet: one row per subject, sorted by id; `subject_id`, then
 *   `<sequence>.<roi>.<feature column>` with sequences and ROIs in study order and features in
 *   engine order. Undefined values (NaN, failed tasks or ROIs) are empty cells / nulls. No
 *   timestamp or machine detail, so the bytes depend on the inputs only.
 * - status.csv: subject_id, sequence, status (ok|error|cached), message, seconds.
 * - provenance.json: everything else (versions, hashes, settings, diagnostics, times).
 *
 * The files are written together at the end: each to a temporary file first, then all renamed
 * into place, so an interrupted run leaves the previous outputs as they were.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { RgsError } from '../util/errors';
import { compareIds, type TaskRecord } from './tasks';

export const FEATURES_CSV = 'features.csv';
export const FEATURES_PARQUET = 'features.parquet';
export const STATUS_CSV = 'status.csv';
export const PROVENANCE_JSON = 'provenance.json';

/** The feature columns of one sequence x ROI, in engine order (without the prefix). */
export interface ColumnGroup {
  sequence: string;
  roi: string;
  features: string[];
}

export interface CohortTable {
  /** Sorted by id. */
  subjects: string[];
  groups: ColumnGroup[];
  /**
   * One row per subject (in `subjects` order) with one value per column of
   * `tableColumns(groups)`; NaN marks an empty cell (an undefined feature, a failed task or
   * ROI). Dense rows, not maps: a cohort has ~500,000 cells and a cached re-run is mostly this.
   */
  rows: Float64Array[];
}

export function fullColumn(sequence: string, roi: string, feature: string): string {
  return `${sequence}.${roi}.${feature}`;
}

export function tableColumns(t: Pick<CohortTable, 'groups'>): string[] {
  const out: string[] = [];
  for (const g of t.groups) for (const f of g.features) out.push(fullColumn(g.sequence, g.roi, f));
  return out;
}

/** Order groups by the study's sequence and ROI order. */
export function sortGroups(groups: ColumnGroup[], sequences: readonly string[], rois: readonly string[]): ColumnGroup[] {
  const rank = (list: readonly string[], x: string) => {
    const i = list.indexOf(x);
    return i < 0 ? list.length : i;
  };
  return [...groups].sort((a, b) => rank(sequences, a.sequence) - rank(sequences, b.sequence) || rank(rois, a.roi) - rank(rois, b.roi));
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

const groupId = (sequence: string, roi: string) => `${sequence}\u0000${roi}`;

/** Index of each group's first column in the table's rows. */
export function groupOffsets(groups: readonly ColumnGroup[]): { offsets: Map<string, number>; width: number } {
  const offsets = new Map<string, number>();
  let width = 0;
  for (const g of groups) {
    offsets.set(groupId(g.sequence, g.roi), width);
    width += g.features.length;
  }
  return { offsets, width };
}

/**
 * The cohort table of finished tasks. Every task of a sequence runs the same settings, so every
 * ROI result of a sequence has the same feature list; a group exists when at least one subject
 * has that ROI. Differing lists would be an engine bug and throw.
 */
export function buildCohortTable(subjects: readonly string[], sequences: readonly string[], rois: readonly string[], records: readonly TaskRecord[]): CohortTable {
  const sorted = [...subjects].sort(compareIds);
  const ordered = [...records].sort((a, b) => compareIds(a.subject, b.subject) || sequences.indexOf(a.sequence) - sequences.indexOf(b.sequence));
  const found = new Map<string, ColumnGroup>();
  for (const rec of ordered) {
    for (const r of rec.outcome?.rois ?? []) {
      const id = groupId(rec.sequence, r.roi);
      const g = found.get(id);
      if (!g) found.set(id, { sequence: rec.sequence, roi: r.roi, features: [...r.columns] });
      else if (!sameList(g.features, r.columns)) {
        throw new Error(`the feature columns of ${rec.sequence} ${r.roi} differ between subjects (${rec.subject} has ${r.columns.length}, others ${g.features.length})`);
      }
    }
  }
  const groups = sortGroups([...found.values()], sequences, rois);
  const { offsets, width } = groupOffsets(groups);
  const rowOf = new Map<string, Float64Array>();
  const rows = sorted.map((s) => {
    const row = new Float64Array(width).fill(Number.NaN);
    rowOf.set(s, row);
    return row;
  });
  for (const rec of ordered) {
    const row = rowOf.get(rec.subject);
    if (!row) continue;
    for (const r of rec.outcome?.rois ?? []) {
      const base = offsets.get(groupId(rec.sequence, r.roi)) as number;
      const vals = r.values;
      for (let i = 0; i < vals.length; i++) {
        const v = vals[i];
        if (v !== null) row[base + i] = v;
      }
    }
  }
  return { subjects: sorted, groups, rows };
}

// ---------------------------------------------------------------------------------------------
// CSV (RFC 4180: comma-separated, quoted only when needed, LF line ends)

export function csvCell(v: string): string {
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** Shortest text that reads back as the same double; '' for a missing value. */
function formatValue(v: number): string {
  return Number.isFinite(v) ? String(v) : '';
}

export function featuresCsv(t: CohortTable): string {
  const header = ['subject_id', ...tableColumns(t)].map(csvCell).join(',');
  const parts: string[] = [header, '\n'];
  t.subjects.forEach((s, r) => {
    const row = t.rows[r];
    let line = csvCell(s);
    for (let c = 0; c < row.length; c++) line += ',' + formatValue(row[c]);
    parts.push(line, '\n');
  });
  return parts.join('');
}

/** Parse CSV text (as written above; also CRLF) into rows of cells. */
export function parseCsv(text: string, file: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let i = 0;
  let quoted = false;
  let atCellStart = true;
  while (i < text.length) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      cell += ch;
      i++;
      continue;
    }
    if (ch === '"' && atCellStart) {
      quoted = true;
      atCellStart = false;
      i++;
    } else if (ch === ',') {
      row.push(cell);
      cell = '';
      atCellStart = true;
      i++;
    } else if (ch === '\n' || ch === '\r') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      atCellStart = true;
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      cell += ch;
      atCellStart = false;
      i++;
    }
  }
  if (quoted) throw new RgsError(`${file}: unterminated quoted cell at the end of the file`, { file });
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

/** A features.csv (see featuresCsv) read back: its columns and one dense row per subject. */
export function readFeaturesCsv(text: string, file: string): { columns: string[]; subjects: string[]; rows: Float64Array[] } {
  const cells = parseCsv(text, file);
  if (cells.length === 0 || cells[0][0] !== 'subject_id') throw new RgsError(`${file}: not a features table (the first column must be subject_id)`, { file });
  const columns = cells[0].slice(1);
  const subjects: string[] = [];
  const rows: Float64Array[] = [];
  const seen = new Set<string>();
  cells.slice(1).forEach((line, r) => {
    if (line.length !== columns.length + 1) {
      throw new RgsError(`${file}: line ${r + 2} has ${line.length} cells, the header ${columns.length + 1}`, { file });
    }
    const row = new Float64Array(columns.length).fill(Number.NaN);
    for (let i = 0; i < columns.length; i++) {
      const cell = line[i + 1];
      if (cell === '') continue;
      const v = Number(cell);
      if (!Number.isFinite(v)) throw new RgsError(`${file}: line ${r + 2}, column ${columns[i]}: \`${cell}\` is not a number`, { file });
      row[i] = v;
    }
    if (seen.has(line[0])) throw new RgsError(`${file}: subject ${line[0]} appears twice`, { file });
    seen.add(line[0]);
    subjects.push(line[0]);
    rows.push(row);
  });
  return { columns, subjects, rows };
}

export interface StatusRow {
  subject: string;
  sequence: string;
  status: string;
  message: string;
  seconds: number;
}

/** status.csv: one row per task, by subject id then study sequence order. */
export function statusCsv(rows: readonly StatusRow[], sequences: readonly string[]): string {
  const sorted = [...rows].sort((a, b) => compareIds(a.subject, b.subject) || sequences.indexOf(a.sequence) - sequences.indexOf(b.sequence));
  const lines = ['subject_id,sequence,status,message,seconds'];
  for (const r of sorted) lines.push([r.subject, r.sequence, r.status, r.message].map(csvCell).join(',') + `,${r.seconds.toFixed(3)}`);
  return lines.join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------
// Writing

/**
 * Write `files` (name -> content) into `dir`: all to temporary files first (fsynced), then each
 * renamed over its target. A crash before the renames leaves the old outputs untouched; the
 * renames themselves take microseconds.
 */
export function writeOutputFiles(dir: string, files: ReadonlyArray<readonly [string, string | Uint8Array]>): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new RgsError(`${dir}: cannot create the output folder (${(err as NodeJS.ErrnoException).code ?? String(err)})`, { file: dir, cause: err });
  }
  const tag = `${process.pid}.${randomBytes(4).toString('hex')}`;
  const temps: [string, string][] = [];
  try {
    for (const [name, data] of files) {
      const tmp = join(dir, `.${name}.${tag}.tmp`);
      temps.push([tmp, join(dir, name)]);
      const fd = openSync(tmp, 'w');
      try {
        const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
        let off = 0;
        while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    }
    for (const [tmp, target] of temps) renameSync(tmp, target);
  } catch (err) {
    for (const [tmp] of temps) rmSync(tmp, { force: true });
    const reason = err instanceof Error && 'code' in err ? String((err as NodeJS.ErrnoException).code) : String(err);
    throw new RgsError(`${dir}: cannot write the outputs (${reason})`, { file: dir, cause: err });
  }
}
