/**
 * Input checks and layouts shared by the random forest, Boruta, mRMR, the filters and the SVM:
 * a design matrix (rows = subjects, columns = features) and class or numeric outcomes.
 * Every learner copies its input into typed arrays once, so callers may pass plain arrays.
 */
import { RgsError } from '../../util/errors';

/** A dense row-major matrix: entry (i, j) is `data[i * cols + j]`. */
export interface DenseMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

/** A design matrix as a dense row-major matrix or as an array of rows. */
export type MatrixInput = DenseMatrix | readonly ArrayLike<number>[];

function isDense(x: MatrixInput): x is DenseMatrix {
  return !Array.isArray(x) && (x as DenseMatrix).data instanceof Float64Array;
}

/**
 * Checks shape and finiteness (missing values must be imputed before any learner runs) and
 * returns a row-major matrix. A DenseMatrix input is returned as is, not copied.
 */
export function toDenseMatrix(x: MatrixInput, what: string): DenseMatrix {
  if (isDense(x)) {
    const { rows, cols, data } = x;
    if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0 || data.length !== rows * cols) {
      throw new RgsError(`${what}: matrix of ${data.length} values is not ${rows} x ${cols}`, { field: 'x' });
    }
    for (let k = 0; k < data.length; k++) {
      if (!Number.isFinite(data[k])) {
        throw new RgsError(`${what}: x[${Math.floor(k / cols)}][${k % cols}] is ${data[k]}; impute or drop missing values first`, { field: 'x' });
      }
    }
    return x;
  }
  const rowsIn = x as readonly ArrayLike<number>[];
  const rows = rowsIn.length;
  const cols = rows > 0 ? rowsIn[0].length : 0;
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const row = rowsIn[i];
    if (row.length !== cols) throw new RgsError(`${what}: row ${i} has ${row.length} values, expected ${cols}`, { field: 'x' });
    for (let j = 0; j < cols; j++) {
      const v = row[j];
      if (!Number.isFinite(v)) throw new RgsError(`${what}: x[${i}][${j}] is ${v}; impute or drop missing values first`, { field: 'x' });
      data[i * cols + j] = v;
    }
  }
  return { rows, cols, data };
}

/** The matrix transposed into column-major order: column j is `out.subarray(j * rows, (j + 1) * rows)`. */
export function toColumnMajor(m: DenseMatrix): Float64Array {
  const { rows, cols, data } = m;
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const base = i * cols;
    for (let j = 0; j < cols; j++) out[j * rows + i] = data[base + j];
  }
  return out;
}

/** Class labels coded 0 … classes-1 (booleans count as 0/1). */
export interface ClassLabels {
  readonly labels: Int32Array;
  readonly classes: number;
}

/**
 * Checks a class outcome of length `n`: integers 0 … K-1 (or booleans), with K >= 2 and every
 * class present, so that per-class quantities are defined.
 */
export function toClassLabels(y: ArrayLike<number | boolean>, n: number, what: string): ClassLabels {
  if (y.length !== n) throw new RgsError(`${what}: ${y.length} outcome values for ${n} rows`, { field: 'y' });
  const labels = new Int32Array(n);
  let max = -1;
  for (let i = 0; i < n; i++) {
    const v = y[i];
    const c = typeof v === 'boolean' ? (v ? 1 : 0) : v;
    if (!Number.isInteger(c) || c < 0) {
      throw new RgsError(`${what}: outcome of row ${i} is ${String(v)}; classes must be coded 0, 1, … (or true/false)`, { field: 'y' });
    }
    labels[i] = c;
    if (c > max) max = c;
  }
  const classes = Math.max(2, max + 1);
  const seen = new Uint8Array(classes);
  for (let i = 0; i < n; i++) seen[labels[i]] = 1;
  for (let c = 0; c < classes; c++) {
    if (!seen[c]) throw new RgsError(`${what}: class ${c} has no rows; every class 0 … ${classes - 1} must occur`, { field: 'y' });
  }
  return { labels, classes };
}

/** A binary outcome (0/1 or false/true) with both classes present. */
export function toBinaryLabels(y: ArrayLike<number | boolean>, n: number, what: string): Int32Array {
  const { labels, classes } = toClassLabels(y, n, what);
  if (classes !== 2) throw new RgsError(`${what}: the outcome has ${classes} classes; this method needs a binary 0/1 outcome`, { field: 'y' });
  return labels;
}

/** A numeric outcome of length `n`, all values finite. */
export function toNumericOutcome(y: ArrayLike<number>, n: number, what: string): Float64Array {
  if (y.length !== n) throw new RgsError(`${what}: ${y.length} outcome values for ${n} rows`, { field: 'y' });
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = y[i];
    if (!Number.isFinite(v)) throw new RgsError(`${what}: outcome of row ${i} is ${v}; it must be a finite number`, { field: 'y' });
    out[i] = v;
  }
  return out;
}
