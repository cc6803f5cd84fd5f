/**
 * The cohort feature table in the kernel: read from a results folder (features.csv, as written by
 * the cohort runner) into an arquero table, and turned into the feature-table output document
 * (mime-types.ts), each column annotated with its sequence, ROI, IBSI family, feature name,
 * aggregation and IBSI identifier, decoded from the column name
 * `<sequence>.<roi>.<family>.<feature>[.<aggregation>]` (src/engine/run/outputs.ts).
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as aq from 'arquero';
import { FEATURE_CATALOG, type CatalogEntry } from '../engine/features/catalog';
import { DIRECTIONAL_AGGREGATIONS, ZONE_AGGREGATIONS } from '../engine/features/types';
import { columnName } from '../engine/output/feature-table';
import { FEATURES_CSV, readFeaturesCsv } from '../engine/run/outputs';
import type { FeatureColumnJson, FeatureTableJson } from './mime-types';

export type Table = ReturnType<typeof aq.table>;

/** "cm.joint_maximum" -> catalogue entry; "<family>.<feature slug>" as columnName writes it. */
const BY_COLUMN = new Map<string, CatalogEntry>(FEATURE_CATALOG.map((e) => [columnName({ family: e.family, feature: e.feature, aggregation: '' }), e]));

/** Aggregation slug (as in column names) -> the IBSI label, e.g. "3d_averaged" -> "3D, averaged". */
const AGGREGATION_BY_SLUG = new Map<string, string>(
  [...DIRECTIONAL_AGGREGATIONS, ...ZONE_AGGREGATIONS].map((a) => {
    const col = columnName({ family: 'cm', feature: 'x', aggregation: a });
    return [col.slice('cm.x.'.length), a];
  }),
);

export interface ColumnInfo {
  sequence?: string;
  roi?: string;
  family?: string;
  feature?: string;
  aggregation?: string;
  ibsi?: string;
}

/** What a cohort-table column name says about its feature ({} for other columns). */
export function describeColumn(name: string): ColumnInfo {
  const parts = name.split('.');
  if (parts.length < 4) return {};
  const [sequence, roi, family, feature, ...rest] = parts;
  const entry = BY_COLUMN.get(`${family}.${feature}`);
  if (entry === undefined) return { sequence, roi };
  const aggSlug = rest.join('.');
  const aggregation = aggSlug === '' ? '' : AGGREGATION_BY_SLUG.get(aggSlug);
  return {
    sequence,
    roi,
    family,
    feature: entry.feature,
    ...(aggregation === undefined ? {} : { aggregation }),
    ibsi: entry.ibsiCode,
  };
}

export interface LoadedFeatures {
  table: Table;
  file: string;
  mtimeMs: number;
  size: number;
}

/**
 * The results folder's features.csv as an arquero table (`subject_id` strings, one numeric
 * column per feature, null for empty cells); null when the folder has none.
 */
export function loadFeatures(resultsDir: string): LoadedFeatures | null {
  const file = join(resultsDir, FEATURES_CSV);
  let st;
  try {
    st = statSync(file);
  } catch {
    return null;
  }
  const { columns, subjects, rows } = readFeaturesCsv(readFileSync(file, 'utf8'), file);
  const data: Record<string, (string | number | null)[]> = { subject_id: subjects };
  columns.forEach((c, j) => {
    // Empty cells read back as NaN: null in the table, so that arquero's aggregates skip them.
    data[c] = rows.map((row) => (Number.isNaN(row[j]) ? null : row[j]));
  });
  return { table: aq.table(data), file, mtimeMs: st.mtimeMs, size: st.size };
}

/** The same file, unchanged since it was loaded. */
export function isCurrent(loaded: LoadedFeatures): boolean {
  try {
    const st = statSync(loaded.file);
    return st.mtimeMs === loaded.mtimeMs && st.size === loaded.size;
  } catch {
    return false;
  }
}

function cell(v: unknown): number | string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof Date) return v.toISOString();
  return String(v);
}

export interface FeatureTableOptions {
  title?: string;
  /** At most this many cells (rows x columns) in the document; columns are cut first. Default 60,000. */
  maxCells?: number;
  /** At most this many rows. Default 2,000. */
  maxRows?: number;
}

/** Whether a value is an arquero table (duck-typed: tables made in a cell's code count too). */
export function isTable(v: unknown): v is Table {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as { columnNames?: unknown }).columnNames === 'function' &&
    typeof (v as { numRows?: unknown }).numRows === 'function' &&
    typeof (v as { array?: unknown }).array === 'function'
  );
}

/**
 * The feature-table document of an arquero table. The row key is `subject_id` when the table has
 * it (else the row number). Large tables are cut (rows, then columns) so the notebook file stays
 * small; `totalRows`/`totalColumns` and `note` say so.
 */
export function featureTableJson(table: Table, opts: FeatureTableOptions = {}): FeatureTableJson {
  const maxCells = opts.maxCells ?? 60_000;
  const maxRows = opts.maxRows ?? 2_000;
  const names = table.columnNames();
  const keyName = names.includes('subject_id') ? 'subject_id' : null;
  const valueNames = names.filter((n) => n !== keyName);
  const totalRows = table.numRows();
  const nRows = Math.min(totalRows, maxRows);
  const nCols = Math.min(valueNames.length, Math.max(1, Math.floor(maxCells / Math.max(1, nRows))));
  const keys = keyName !== null ? Array.from(table.array(keyName) as ArrayLike<unknown>).slice(0, nRows).map((v) => String(v)) : Array.from({ length: nRows }, (_, i) => String(i + 1));
  const columns: FeatureColumnJson[] = valueNames.slice(0, nCols).map((name) => {
    const arr = table.array(name) as ArrayLike<unknown>;
    const values: (number | string | null)[] = new Array<number | string | null>(nRows);
    for (let i = 0; i < nRows; i++) values[i] = cell(arr[i]);
    return { name, values, ...describeColumn(name) };
  });
  const doc: FeatureTableJson = { version: 1, ...(opts.title !== undefined ? { title: opts.title } : {}), rowLabel: keyName ?? 'row', rows: keys, columns };
  if (nRows < totalRows || nCols < valueNames.length) {
    doc.totalRows = totalRows;
    doc.totalColumns = valueNames.length;
    doc.note = `showing ${nRows} of ${totalRows} rows and ${nCols} of ${valueNames.length} columns; select columns in a JavaScript cell (e.g. features.select(aq.matches(/T1\\.whole_tumour\\.stat/)))`;
  }
  return doc;
}
