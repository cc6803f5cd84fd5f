/**
 * Minimum-redundancy maximum-relevance feature selection (Peng, Long & Ding 2005, IEEE TPAMI
 * 27(8):1226-1238), greedy incremental form:
 *
 *   first:  argmax_j I(x_j; y)
 *   then:   MID  argmax_j [ I(x_j; y) - (1/|S|) sum_{s in S} I(x_j; x_s) ]
 *           MIQ  argmax_j [ I(x_j; y) / ((1/|S|) sum_{s in S} I(x_j; x_s)) ]
 *
 * over the features j not yet in the selected set S. Mutual information is the plug-in estimate
 * from the contingency table of two discrete variables, in nats:
 *   I(a; b) = sum_{u,v} p(u,v) ln( p(u,v) / (p(u) p(v)) ).
 *
 * Discretisation of continuous features (the outcome is a class label and is used as is):
 * - 'meanSd' (default): three states split at mean - a·sd and mean + a·sd (sample sd, n - 1),
 *   below / between (inclusive) / above, with a = 1 by default: the three-state scheme of Peng et
 *   al. for continuous data. The mRMR papers used different multipliers on different data
 *   sets, hence the setting `sdMultiplier`. A constant feature falls entirely in the middle state.
 * - 'equalFrequency': `bins` bins by rank, tied values always in the same bin: a value whose
 *   first position in sorted order is r (0-based) goes to bin floor(r · bins / n).
 *
 * Ties in the criterion go to the feature with the larger relevance, then the lower index. MIQ's
 * quotient with zero redundancy is +Infinity for a relevant feature and 0 for an irrelevant one.
 */
import { RgsError } from '../util/errors';
import { MatrixInput, toClassLabels, toColumnMajor, toDenseMatrix } from './forest/design-matrix';

export type MrmrCriterion = 'MID' | 'MIQ';

export type MrmrDiscretisation = { method: 'meanSd'; sdMultiplier?: number } | { method: 'equalFrequency'; bins?: number };

export interface MrmrOptions {
  /** Number of features to select (at most the number of features). */
  k: number;
  /** Difference (default) or quotient criterion. */
  criterion?: MrmrCriterion;
  /** How continuous features are discretised (default mean ± 1 sd into 3 states). */
  discretisation?: MrmrDiscretisation;
}

export interface MrmrResult {
  /** Selected feature indices, in the order chosen. */
  readonly selected: number[];
  /** Criterion value of each selected feature when it was chosen (relevance for the first). */
  readonly scores: number[];
  /** Mean mutual information of each selected feature with the ones chosen before it (0 for the first). */
  readonly redundancy: number[];
  /** I(x_j; y) for every feature, in nats. */
  readonly relevance: Float64Array;
}

/** Three states 0/1/2: below mean - a·sd, within (inclusive), above mean + a·sd. */
export function discretiseMeanSd(values: ArrayLike<number>, sdMultiplier = 1): Int32Array {
  const n = values.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i];
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i] - mean) ** 2;
  const sd = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
  const lo = mean - sdMultiplier * sd;
  const hi = mean + sdMultiplier * sd;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = values[i] < lo ? 0 : values[i] > hi ? 2 : 1;
  return out;
}

/** Equal-frequency bins 0 … bins-1 by rank; ties share the bin of their first position. */
export function discretiseEqualFrequency(values: ArrayLike<number>, bins: number): Int32Array {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a] - values[b]);
  const out = new Int32Array(n);
  let first = 0;
  for (let q = 0; q < n; q++) {
    if (q > 0 && values[order[q]] !== values[order[q - 1]]) first = q;
    out[order[q]] = Math.floor((first * bins) / n);
  }
  return out;
}

/**
 * Plug-in mutual information (nats) of two discrete variables coded 0 … levels-1.
 * `table` is scratch space of at least levelsA * levelsB entries (allocated when omitted).
 */
export function mutualInformation(a: Int32Array, levelsA: number, b: Int32Array, levelsB: number, table?: Float64Array): number {
  const n = a.length;
  if (b.length !== n) throw new RgsError(`mutual information: variables of ${n} and ${b.length} values`, { field: 'x' });
  if (n === 0) return NaN;
  const t = table ?? new Float64Array(levelsA * levelsB);
  t.fill(0, 0, levelsA * levelsB);
  for (let i = 0; i < n; i++) t[a[i] * levelsB + b[i]] += 1;
  const rowSum = new Float64Array(levelsA);
  const colSum = new Float64Array(levelsB);
  for (let u = 0; u < levelsA; u++) {
    for (let v = 0; v < levelsB; v++) {
      rowSum[u] += t[u * levelsB + v];
      colSum[v] += t[u * levelsB + v];
    }
  }
  let mi = 0;
  for (let u = 0; u < levelsA; u++) {
    for (let v = 0; v < levelsB; v++) {
      const c = t[u * levelsB + v];
      if (c > 0) mi += (c / n) * Math.log((c * n) / (rowSum[u] * colSum[v]));
    }
  }
  // Rounding can leave a tiny negative value for independent variables.
  return Math.max(0, mi);
}

/** Selects `k` features by mRMR against a class outcome (0 … K-1 or booleans). */
export function mrmr(x: MatrixInput, y: ArrayLike<number | boolean>, options: MrmrOptions): MrmrResult {
  const what = 'mrmr';
  const m = toDenseMatrix(x, what);
  if (m.rows < 2 || m.cols < 1) throw new RgsError(`${what}: needs at least 2 rows and 1 feature, got ${m.rows} x ${m.cols}`, { field: 'x' });
  const { labels, classes } = toClassLabels(y, m.rows, what);
  const { k } = options;
  if (!Number.isInteger(k) || k < 1 || k > m.cols) throw new RgsError(`${what}: k must be an integer from 1 to ${m.cols}, got ${k}`, { field: 'k' });
  const criterion = options.criterion ?? 'MID';
  if (criterion !== 'MID' && criterion !== 'MIQ') throw new RgsError(`${what}: criterion must be 'MID' or 'MIQ', got '${String(criterion)}'`, { field: 'criterion' });
  const disc = options.discretisation ?? { method: 'meanSd' };
  const n = m.rows;
  const p = m.cols;
  const columns = toColumnMajor(m);
  const codes: Int32Array[] = [];
  const levels = new Int32Array(p);
  for (let j = 0; j < p; j++) {
    const col = columns.subarray(j * n, (j + 1) * n);
    let c: Int32Array;
    if (disc.method === 'meanSd') {
      const a = disc.sdMultiplier ?? 1;
      if (!(a >= 0) || !Number.isFinite(a)) throw new RgsError(`${what}: sdMultiplier must be a number >= 0, got ${a}`, { field: 'sdMultiplier' });
      c = discretiseMeanSd(col, a);
      levels[j] = 3;
    } else if (disc.method === 'equalFrequency') {
      const bins = disc.bins ?? 5;
      if (!Number.isInteger(bins) || bins < 2) throw new RgsError(`${what}: bins must be an integer >= 2, got ${bins}`, { field: 'bins' });
      c = discretiseEqualFrequency(col, bins);
      levels[j] = bins;
    } else {
      throw new RgsError(`${what}: unknown discretisation method '${String((disc as { method: unknown }).method)}'`, { field: 'discretisation' });
    }
    codes.push(c);
  }
  let maxLevels = classes;
  for (let j = 0; j < p; j++) maxLevels = Math.max(maxLevels, levels[j]);
  const table = new Float64Array(maxLevels * maxLevels);

  const relevance = new Float64Array(p);
  for (let j = 0; j < p; j++) relevance[j] = mutualInformation(codes[j], levels[j], labels, classes, table);

  const chosen = new Uint8Array(p);
  const redundancySum = new Float64Array(p);
  const selected: number[] = [];
  const scores: number[] = [];
  const redundancy: number[] = [];
  for (let step = 0; step < k; step++) {
    let best = -1;
    let bestScore = -Infinity;
    for (let j = 0; j < p; j++) {
      if (chosen[j]) continue;
      let score: number;
      if (step === 0) score = relevance[j];
      else {
        const red = redundancySum[j] / step;
        if (criterion === 'MID') score = relevance[j] - red;
        else score = red > 0 ? relevance[j] / red : relevance[j] > 0 ? Infinity : 0;
      }
      if (best < 0 || score > bestScore || (score === bestScore && relevance[j] > relevance[best])) {
        best = j;
        bestScore = score;
      }
    }
    chosen[best] = 1;
    selected.push(best);
    scores.push(bestScore);
    redundancy.push(step === 0 ? 0 : redundancySum[best] / step);
    // Redundancy of every remaining feature with the new one, for the next steps.
    if (step + 1 < k) {
      for (let j = 0; j < p; j++) {
        if (!chosen[j]) redundancySum[j] += mutualInformation(codes[j], levels[j], codes[best], levels[best], table);
      }
    }
  }
  return { selected, scores, redundancy, relevance };
}
