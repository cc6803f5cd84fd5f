/**
 * Percentile bootstrap confidence intervals (Efron & Tibshirani 1993, ch. 13) for any statistic of
 * a set of rows, seeded.
 *
 * - Each replicate draws rows with replacement: all rows at once, or within each stratum
 *   (`strata`, keeping e.g. the number of cases and controls fixed, as pROC's default
 *   stratified bootstrap does), or whole subjects (`clusters`, so that the rows of one subject
 *   stay together — needed when subjects contribute several rows).
 * - The interval is the (α/2, 1 - α/2) quantiles of the replicate values, by linear
 *   interpolation between order statistics (R's default quantile type 7, which pROC uses too).
 * - Replicates where the statistic is not finite (e.g. an AUC of a resample without cases) are
 *   left out and counted in `invalid`.
 */
import { RgsError } from '../../util/errors';
import { Rng, toRng } from '../random';

export interface BootstrapOptions {
  /** Number of replicates B (default 2000). */
  replicates?: number;
  seed: number | Rng;
  /** Confidence level (default 0.95). */
  level?: number;
  /** Resample within these strata (one value per row). */
  strata?: ArrayLike<string | number | boolean>;
  /** Resample these clusters (one id per row, e.g. subject ids) instead of single rows. */
  clusters?: readonly string[];
}

export interface BootstrapInterval {
  /** The statistic on the original rows. */
  estimate: number;
  lower: number;
  upper: number;
  level: number;
  /** Replicates requested. */
  replicates: number;
  /** Replicates whose statistic was not finite and was left out. */
  invalid: number;
  /** The finite replicate values, ascending. */
  values: Float64Array;
}

/** Quantile by linear interpolation between order statistics (R type 7) of ascending `sorted`. */
export function quantileType7(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** Resampling units (single rows or clusters of rows) grouped by stratum, in sorted stratum order. */
function samplingUnits(n: number, options: BootstrapOptions): { units: Int32Array[]; groups: number[][] } {
  if (options.strata !== undefined && options.strata.length !== n) {
    throw new RgsError(`bootstrap: ${options.strata.length} strata for ${n} rows`, { field: 'strata' });
  }
  if (options.clusters !== undefined && options.clusters.length !== n) {
    throw new RgsError(`bootstrap: ${options.clusters.length} cluster ids for ${n} rows`, { field: 'clusters' });
  }
  const unitOf = new Map<string, number>();
  const unitRows: number[][] = [];
  const unitStratum: string[] = [];
  for (let r = 0; r < n; r++) {
    const key = options.clusters === undefined ? String(r) : options.clusters[r];
    const stratum = options.strata === undefined ? '' : String(options.strata[r]);
    let u = unitOf.get(key);
    if (u === undefined) {
      u = unitRows.length;
      unitOf.set(key, u);
      unitRows.push([]);
      unitStratum.push(stratum);
    } else if (unitStratum[u] !== stratum) {
      throw new RgsError(`bootstrap: cluster ${key} has rows in two strata (${unitStratum[u]} and ${stratum})`, { field: 'strata' });
    }
    unitRows[u].push(r);
  }
  const byStratum = new Map<string, number[]>();
  unitStratum.forEach((s, u) => {
    const list = byStratum.get(s);
    if (list === undefined) byStratum.set(s, [u]);
    else list.push(u);
  });
  const keys = [...byStratum.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { units: unitRows.map((rows) => Int32Array.from(rows)), groups: keys.map((k) => byStratum.get(k)!) };
}

/**
 * Percentile bootstrap CI of `statistic`, a function of the row indices of a sample (row indices
 * may repeat). `n` is the number of rows.
 */
export function bootstrapCi(n: number, statistic: (rows: Int32Array) => number, options: BootstrapOptions): BootstrapInterval {
  const B = options.replicates ?? 2000;
  const level = options.level ?? 0.95;
  if (!Number.isInteger(B) || B < 1) throw new RgsError(`bootstrap: replicates must be a positive integer, got ${B}`, { field: 'replicates' });
  if (!(level > 0 && level < 1)) throw new RgsError(`bootstrap: level must be in (0, 1), got ${level}`, { field: 'level' });
  if (!Number.isInteger(n) || n < 1) throw new RgsError(`bootstrap: needs at least one row, got ${n}`);
  const rng = toRng(options.seed);
  const { units, groups } = samplingUnits(n, options);
  const all = new Int32Array(n);
  for (let i = 0; i < n; i++) all[i] = i;
  const estimate = statistic(all);
  const values: number[] = [];
  let invalid = 0;
  const rows: number[] = [];
  for (let b = 0; b < B; b++) {
    rows.length = 0;
    for (const group of groups) {
      for (let k = 0; k < group.length; k++) {
        const unit = units[group[rng.nextInt(group.length)]];
        for (let j = 0; j < unit.length; j++) rows.push(unit[j]);
      }
    }
    const v = statistic(Int32Array.from(rows));
    if (Number.isFinite(v)) values.push(v);
    else invalid++;
  }
  const sorted = Float64Array.from(values).sort();
  const alpha = 1 - level;
  return {
    estimate,
    lower: quantileType7(sorted, alpha / 2),
    upper: quantileType7(sorted, 1 - alpha / 2),
    level,
    replicates: B,
    invalid,
    values: sorted,
  };
}

/** Gathers `values[rows[k]]` into a new array. */
export function pick(values: ArrayLike<number>, rows: Int32Array): Float64Array {
  const out = new Float64Array(rows.length);
  for (let k = 0; k < rows.length; k++) out[k] = values[rows[k]];
  return out;
}

/** A concordance index (e.g. Harrell's C) of survival times, event flags and risk scores. */
export type ConcordanceIndex = (time: Float64Array, event: Float64Array, risk: Float64Array) => number;

/**
 * Bootstrap CI of a concordance index such as Harrell's C; the C-index function is a parameter
 * (it lives with the survival models). Events are passed to it as 0/1.
 */
export function bootstrapConcordance(
  time: ArrayLike<number>,
  event: ArrayLike<number | boolean>,
  risk: ArrayLike<number>,
  cIndex: ConcordanceIndex,
  options: BootstrapOptions,
): BootstrapInterval {
  const n = time.length;
  if (event.length !== n || risk.length !== n) {
    throw new RgsError(`bootstrap C-index: ${n} times, ${event.length} event flags and ${risk.length} risk scores`);
  }
  const ev = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const e = event[i];
    if (e === true || e === 1) ev[i] = 1;
    else if (e !== false && e !== 0) {
      throw new RgsError(`bootstrap C-index: event status of row ${i + 1} is ${String(e)}; expected 0/1 or true/false`, { field: 'event' });
    }
  }
  return bootstrapCi(n, (rows) => cIndex(pick(time, rows), pick(ev, rows), pick(risk, rows)), options);
}
