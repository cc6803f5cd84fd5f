/**
 * The data the pipeline passes between its stages: a block of rows of the analysis table (a
 * training fold, a test fold, or all development rows) with its features, outcome and sites.
 * Every stage receives such a block and nothing else, so a stage fitted on a training fold has
 * no way to read a test row: the only data it can see are the rows it was handed.
 */
import { RgsError } from '../../util/errors';

/** A dense row-major matrix: element (i, j) is data[i * cols + j]. */
export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

export type Target =
  | { readonly kind: 'binary'; readonly y: Int32Array }
  | { readonly kind: 'survival'; readonly time: Float64Array; readonly status: Uint8Array };

export interface StepData {
  readonly x: Matrix;
  /** Feature (column) names, one per column of x. */
  readonly features: readonly string[];
  /** The row of the analysis table each row is; -1 for synthetic rows (SMOTE). */
  readonly rows: Int32Array;
  readonly target: Target;
  /** Acquisition site of each row (null when unknown). */
  readonly sites: readonly (string | null)[];
}

/** One outcome's analysis table: every subject with a known outcome, all candidate features. */
export interface AnalysisTable {
  readonly outcome: string;
  /** Subject id of each row (one row per subject). */
  readonly subjects: readonly string[];
  /** Candidate features; NaN marks a missing value. */
  readonly x: Matrix;
  readonly features: readonly string[];
  readonly target: Target;
  readonly sites: readonly (string | null)[];
  /** Rows of the external test cohort. */
  readonly external: readonly boolean[];
}

export function targetRows(t: Target, positions: ArrayLike<number>): Target {
  const n = positions.length;
  if (t.kind === 'binary') {
    const y = new Int32Array(n);
    for (let k = 0; k < n; k++) y[k] = t.y[positions[k]];
    return { kind: 'binary', y };
  }
  const time = new Float64Array(n);
  const status = new Uint8Array(n);
  for (let k = 0; k < n; k++) {
    time[k] = t.time[positions[k]];
    status[k] = t.status[positions[k]];
  }
  return { kind: 'survival', time, status };
}

export function targetLength(t: Target): number {
  return t.kind === 'binary' ? t.y.length : t.time.length;
}

/** Rows `positions` of a matrix. */
export function matrixRows(m: Matrix, positions: ArrayLike<number>): Matrix {
  const n = positions.length;
  const data = new Float64Array(n * m.cols);
  for (let k = 0; k < n; k++) {
    const r = positions[k];
    data.set(m.data.subarray(r * m.cols, (r + 1) * m.cols), k * m.cols);
  }
  return { rows: n, cols: m.cols, data };
}

/** Columns `keep` (in the given order) of a matrix. */
export function matrixColumns(m: Matrix, keep: readonly number[]): Matrix {
  const p = keep.length;
  const data = new Float64Array(m.rows * p);
  for (let i = 0; i < m.rows; i++) {
    const src = i * m.cols;
    const dst = i * p;
    for (let k = 0; k < p; k++) data[dst + k] = m.data[src + keep[k]];
  }
  return { rows: m.rows, cols: p, data };
}

/** The given rows (positions in `d`) of a block. */
export function subsetRows(d: StepData, positions: ArrayLike<number>): StepData {
  const rows = new Int32Array(positions.length);
  const sites: (string | null)[] = [];
  for (let k = 0; k < positions.length; k++) {
    rows[k] = d.rows[positions[k]];
    sites.push(d.sites[positions[k]]);
  }
  return { x: matrixRows(d.x, positions), features: d.features, rows, target: targetRows(d.target, positions), sites };
}

/** The given columns of a block. */
export function selectColumns(d: StepData, keep: readonly number[]): StepData {
  return { ...d, x: matrixColumns(d.x, keep), features: keep.map((j) => d.features[j]) };
}

/** A block with a new feature matrix of the same rows and columns. */
export function withX(d: StepData, data: Float64Array): StepData {
  if (data.length !== d.x.rows * d.x.cols) throw new RangeError(`withX: ${data.length} values for ${d.x.rows} x ${d.x.cols}`);
  return { ...d, x: { rows: d.x.rows, cols: d.x.cols, data } };
}

/** The rows of the analysis table at `rows` (indices into the table) as a block. */
export function tableRows(table: AnalysisTable, rows: ArrayLike<number>): StepData {
  const positions = Int32Array.from(rows);
  const sites: (string | null)[] = [];
  for (const r of positions) {
    if (r < 0 || r >= table.subjects.length) throw new RangeError(`row ${r} outside the analysis table`);
    sites.push(table.sites[r]);
  }
  return { x: matrixRows(table.x, positions), features: table.features, rows: positions, target: targetRows(table.target, positions), sites };
}

/**
 * Column indices of `names` in `features`; throws when one is missing (a fitted stage applied to
 * data with other columns is a programming error, not a user error).
 */
export function columnIndices(features: readonly string[], names: readonly string[]): number[] {
  const at = new Map<string, number>();
  features.forEach((f, j) => at.set(f, j));
  return names.map((n) => {
    const j = at.get(n);
    if (j === undefined) throw new Error(`pipeline: column ${n} is not in the data`);
    return j;
  });
}

/** Aligns a block to the columns a stage was fitted on. */
export function alignColumns(d: StepData, names: readonly string[]): StepData {
  if (d.features.length === names.length && d.features.every((f, j) => f === names[j])) return d;
  return selectColumns(d, columnIndices(d.features, names));
}

/** The binary labels of a block; throws for a survival target. */
export function binaryLabelsOf(d: StepData, what: string): Int32Array {
  if (d.target.kind !== 'binary') throw new RgsError(`${what}: needs a binary outcome`);
  return d.target.y;
}

/** Median of finite values (type 7 = mean of the two middle values); NaN when none. */
export function medianOf(values: ArrayLike<number>): number {
  return quantileOf(values, 0.5);
}

/** Quantile (R type 7) of the finite values; NaN when none. */
export function quantileOf(values: ArrayLike<number>, q: number): number {
  const v: number[] = [];
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) v.push(values[i]);
  if (v.length === 0) return NaN;
  v.sort((a, b) => a - b);
  const h = (v.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(v.length - 1, lo + 1);
  return v[lo] + (h - lo) * (v[hi] - v[lo]);
}
