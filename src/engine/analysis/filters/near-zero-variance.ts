/**
 * Near-zero-variance filter, the rule of caret's nearZeroVar (Kuhn 2008):
 *   freqRatio     = count of the most frequent value / count of the second most frequent
 *                   (0 when the feature has a single distinct value);
 *   percentUnique = 100 · distinct values / rows;
 *   flagged when (freqRatio > freqCut and percentUnique <= uniqueCut) or the feature is constant,
 * with caret's defaults freqCut = 95/5 and uniqueCut = 10. Values are compared exactly.
 */
import { RgsError } from '../../util/errors';
import { MatrixInput, toColumnMajor, toDenseMatrix } from '../forest/design-matrix';

export interface NearZeroVarianceOptions {
  /** Cut-off of the ratio of the two largest value counts (default 95/5). */
  freqCut?: number;
  /** Cut-off of the percentage of distinct values (default 10). */
  uniqueCut?: number;
}

export interface NearZeroVarianceResult {
  readonly freqRatio: Float64Array;
  readonly percentUnique: Float64Array;
  /** 1 for features with a single distinct value. */
  readonly zeroVariance: Uint8Array;
  /** 1 for flagged features (zero or near-zero variance). */
  readonly nearZeroVariance: Uint8Array;
  /** Features kept and dropped, ascending. */
  readonly keep: number[];
  readonly drop: number[];
}

export function nearZeroVariance(x: MatrixInput, options: NearZeroVarianceOptions = {}): NearZeroVarianceResult {
  const what = 'near-zero-variance filter';
  const freqCut = options.freqCut ?? 95 / 5;
  const uniqueCut = options.uniqueCut ?? 10;
  if (!(freqCut >= 1)) throw new RgsError(`${what}: freqCut must be a number >= 1, got ${freqCut}`, { field: 'freqCut' });
  if (!(uniqueCut >= 0 && uniqueCut <= 100)) throw new RgsError(`${what}: uniqueCut must be a percentage in [0, 100], got ${uniqueCut}`, { field: 'uniqueCut' });
  const m = toDenseMatrix(x, what);
  const n = m.rows;
  const p = m.cols;
  if (n < 1) throw new RgsError(`${what}: no rows`, { field: 'x' });
  const columns = toColumnMajor(m);
  const freqRatio = new Float64Array(p);
  const percentUnique = new Float64Array(p);
  const zeroVariance = new Uint8Array(p);
  const nearZero = new Uint8Array(p);
  const keep: number[] = [];
  const drop: number[] = [];
  const sorted = new Float64Array(n);
  for (let j = 0; j < p; j++) {
    sorted.set(columns.subarray(j * n, (j + 1) * n));
    sorted.sort();
    // Run lengths of equal values give the counts; keep the two largest.
    let distinct = 0;
    let first = 0;
    let second = 0;
    let q = 0;
    while (q < n) {
      let r = q + 1;
      while (r < n && sorted[r] === sorted[q]) r++;
      const count = r - q;
      distinct++;
      if (count > first) {
        second = first;
        first = count;
      } else if (count > second) second = count;
      q = r;
    }
    freqRatio[j] = distinct <= 1 ? 0 : first / second;
    percentUnique[j] = (100 * distinct) / n;
    zeroVariance[j] = distinct <= 1 ? 1 : 0;
    nearZero[j] = (freqRatio[j] > freqCut && percentUnique[j] <= uniqueCut) || zeroVariance[j] ? 1 : 0;
    (nearZero[j] ? drop : keep).push(j);
  }
  return { freqRatio, percentUnique, zeroVariance, nearZeroVariance: nearZero, keep, drop };
}
