import { RgsError } from '../../util/errors';

/** Right-censored survival outcome: status 1 = event (death), 0 = censored. */
export interface SurvivalOutcome {
  time: ArrayLike<number>;
  status: ArrayLike<number | boolean>;
}

/** A design matrix: row-major n x p Float64Array (with its column count) or an array of rows. */
export type DesignMatrix = Float64Array | number[][];

/** Validated copies of a survival outcome (status as 0/1) and optional case weights. */
export interface CheckedSurvival {
  n: number;
  time: Float64Array;
  status: Uint8Array;
  weights: Float64Array;
}

/**
 * Checks a right-censored outcome: equal lengths, finite times, status 0/1 (or boolean), and
 * weights finite and >= 0 with a positive sum. Throws RgsError naming `what` otherwise.
 */
export function checkSurvival(outcome: SurvivalOutcome, weights: ArrayLike<number> | undefined, what: string): CheckedSurvival {
  const n = outcome.time.length;
  if (outcome.status.length !== n) {
    throw new RgsError(`${what}: time has ${n} values but status has ${outcome.status.length}`, { field: 'status' });
  }
  if (n === 0) throw new RgsError(`${what}: no observations`, { field: 'time' });
  const time = new Float64Array(n);
  const status = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const t = outcome.time[i];
    if (!Number.isFinite(t)) throw new RgsError(`${what}: time[${i}] is ${t}; survival times must be finite numbers`, { field: 'time' });
    time[i] = t;
    const s = outcome.status[i];
    const v = typeof s === 'boolean' ? (s ? 1 : 0) : s;
    if (v !== 0 && v !== 1) throw new RgsError(`${what}: status[${i}] is ${String(s)}; status must be 0 (censored) or 1 (event)`, { field: 'status' });
    status[i] = v;
  }
  const w = new Float64Array(n);
  if (weights === undefined) w.fill(1);
  else {
    if (weights.length !== n) throw new RgsError(`${what}: ${weights.length} weights for ${n} observations`, { field: 'weights' });
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const wi = weights[i];
      if (!Number.isFinite(wi) || wi < 0) throw new RgsError(`${what}: weights[${i}] is ${wi}; weights must be finite and >= 0`, { field: 'weights' });
      w[i] = wi;
      sum += wi;
    }
    if (!(sum > 0)) throw new RgsError(`${what}: all weights are zero`, { field: 'weights' });
  }
  return { n, time, status, weights: w };
}

/**
 * Converts a design matrix to a row-major Float64Array, checking shape and finiteness.
 * `p` is required for a Float64Array input (its length must be n*p).
 */
export function toRowMajor(x: DesignMatrix, n: number, p: number | undefined, what: string): { data: Float64Array; p: number } {
  if (x instanceof Float64Array) {
    if (p === undefined) {
      if (n === 0 || x.length % n !== 0) throw new RgsError(`${what}: a flat matrix of ${x.length} values does not have ${n} rows`, { field: 'x' });
      p = x.length / n;
    }
    if (x.length !== n * p) throw new RgsError(`${what}: matrix has ${x.length} values, expected ${n} x ${p}`, { field: 'x' });
    for (let i = 0; i < x.length; i++) {
      if (!Number.isFinite(x[i])) throw new RgsError(`${what}: x[${Math.floor(i / p)}][${i % p}] is ${x[i]}; impute or drop missing values first`, { field: 'x' });
    }
    return { data: x, p };
  }
  if (x.length !== n) throw new RgsError(`${what}: matrix has ${x.length} rows but the outcome has ${n}`, { field: 'x' });
  const cols = p ?? (n > 0 ? x[0].length : 0);
  const data = new Float64Array(n * cols);
  for (let i = 0; i < n; i++) {
    const row = x[i];
    if (row.length !== cols) throw new RgsError(`${what}: row ${i} has ${row.length} values, expected ${cols}`, { field: 'x' });
    for (let j = 0; j < cols; j++) {
      const v = row[j];
      if (!Number.isFinite(v)) throw new RgsError(`${what}: x[${i}][${j}] is ${v}; impute or drop missing values first`, { field: 'x' });
      data[i * cols + j] = v;
    }
  }
  return { data, p: cols };
}
