/**
 * Boruta all-relevant feature selection (Kursa & Rudnicki 2010, J Stat Softw 36(11)), following
 * the Boruta R package (version 6 onwards; `Boruta.default`):
 *
 * 1. Each run copies the features not yet rejected into "shadow" features, each column permuted
 *    independently (the copies are doubled until there are at least 5), and fits a random forest
 *    on the non-rejected features plus the shadows.
 * 2. A feature scores a hit when its importance exceeds the largest shadow importance of the run
 *    (rejected features have importance -Infinity and never hit).
 * 3. After every run, two one-sided binomial tests (hits ~ Binomial(runs, 1/2)) per feature:
 *    P(X >= hits) and P(X <= hits), each Bonferroni-adjusted over ALL features (R's p.adjust with
 *    n = number of features, capped at 1). A tentative feature is confirmed when the first
 *    adjusted p is below `pValue`, rejected when the second is.
 * 4. Runs continue while some feature is tentative and the run counter, incremented before the
 *    check, stays below `maxRuns` — so at most maxRuns - 1 runs, exactly as R's
 *    `while(any(decReg == "Tentative") && (runs + 1 -> runs) < maxRuns)`.
 *
 * Importance (option `importance`):
 * - 'permutation' (default): the forest's OOB permutation importance divided by its standard
 *   error over trees, as ranger's scaled permutation importance that Boruta's default getImpRfZ
 *   uses (see ./forest/random-forest.ts for the exact definition).
 * - 'impurity': mean decrease in Gini impurity, as getImpRfGini.
 * Non-finite importances count as 0, as Boruta does after warning.
 * The forest uses this project's random forest (500 trees, mtry = floor(sqrt(number of columns
 * including shadows)), node size 1), the defaults of ranger that getImpRfZ calls.
 */
import { RgsError } from '../util/errors';
import { Rng, toRng } from './random';
import { MatrixInput, toClassLabels, toDenseMatrix } from './forest/design-matrix';
import { fitRandomForestClassifier } from './forest/random-forest';

export type BorutaDecision = 'confirmed' | 'tentative' | 'rejected';

export interface BorutaOptions {
  /** Seed (or generator) of the shadow permutations and the forests. */
  seed: number | Rng;
  /** Upper bound on the run counter (default 100, at least 11 as in R; at most maxRuns - 1 runs). */
  maxRuns?: number;
  /** Significance level of the hit tests (default 0.01). */
  pValue?: number;
  /** Bonferroni adjustment over features (default true, R's mcAdj). */
  bonferroni?: boolean;
  /** Importance source (default 'permutation', the z-score). */
  importance?: 'permutation' | 'impurity';
  /** Trees per forest (default 500). */
  trees?: number;
  /** Features drawn per split (default floor(sqrt(columns incl. shadows)), recomputed each run). */
  mtry?: number;
  /** Forest leaf size (default 1). */
  minNodeSize?: number;
}

export interface BorutaResult {
  readonly decisions: BorutaDecision[];
  /** Number of runs in which each feature beat the best shadow. */
  readonly hits: Int32Array;
  /** Number of importance runs performed. */
  readonly runs: number;
  /** Importance of every feature in every run (-Infinity once rejected, as R's ImpHistory). */
  readonly importanceHistory: Float64Array[];
  /** Largest, mean and smallest shadow importance of every run. */
  readonly shadowMax: Float64Array;
  readonly shadowMean: Float64Array;
  readonly shadowMin: Float64Array;
  /** Mean and median of each feature's finite importances over runs (R's attStats). */
  readonly meanImportance: Float64Array;
  readonly medianImportance: Float64Array;
  /** Feature indices by decision, ascending. */
  readonly confirmed: number[];
  readonly tentative: number[];
  readonly rejected: number[];
}

/** P(X >= k) and P(X <= k) for X ~ Binomial(n, 1/2), by summing the exact probabilities. */
export function binomialHalfTails(k: number, n: number): { upper: number; lower: number } {
  // pmf(j) = C(n, j) / 2^n, built up by ratios; n stays small (< maxRuns), far from underflow.
  let pmf = Math.pow(0.5, n);
  let lower = 0;
  let upper = 0;
  for (let j = 0; j <= n; j++) {
    if (j <= k) lower += pmf;
    if (j >= k) upper += pmf;
    pmf = (pmf * (n - j)) / (j + 1);
  }
  return { upper: Math.min(1, upper), lower: Math.min(1, lower) };
}

function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const s = values.slice().sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 === 1 ? s[h] : (s[h - 1] + s[h]) / 2;
}

/** Runs Boruta on a class outcome (0 … K-1 or booleans). */
export function boruta(x: MatrixInput, y: ArrayLike<number | boolean>, options: BorutaOptions): BorutaResult {
  const what = 'boruta';
  const m = toDenseMatrix(x, what);
  if (m.rows < 2 || m.cols < 1) throw new RgsError(`${what}: needs at least 2 rows and 1 feature, got ${m.rows} x ${m.cols}`, { field: 'x' });
  const { labels } = toClassLabels(y, m.rows, what);
  const maxRuns = options.maxRuns ?? 100;
  if (!Number.isInteger(maxRuns) || maxRuns < 11) throw new RgsError(`${what}: maxRuns must be an integer greater than 10, got ${maxRuns}`, { field: 'maxRuns' });
  const pValue = options.pValue ?? 0.01;
  if (!(pValue > 0 && pValue < 1)) throw new RgsError(`${what}: pValue must be in (0, 1), got ${pValue}`, { field: 'pValue' });
  const importanceKind = options.importance ?? 'permutation';
  if (importanceKind !== 'permutation' && importanceKind !== 'impurity') {
    throw new RgsError(`${what}: importance must be 'permutation' or 'impurity', got '${String(importanceKind)}'`, { field: 'importance' });
  }
  const bonferroni = options.bonferroni ?? true;
  const n = m.rows;
  const p = m.cols;
  const master = toRng(options.seed);

  const decisions: BorutaDecision[] = new Array<BorutaDecision>(p).fill('tentative');
  const hits = new Int32Array(p);
  const history: Float64Array[] = [];
  const shadowMax: number[] = [];
  const shadowMean: number[] = [];
  const shadowMin: number[] = [];
  let runs = 0;

  while (decisions.includes('tentative') && ++runs < maxRuns) {
    const shadowRng = master.fork();
    const forestRng = master.fork();
    const active: number[] = [];
    for (let j = 0; j < p; j++) if (decisions[j] !== 'rejected') active.push(j);
    // Shadow sources: the active features, doubled until there are at least five.
    let sources = active.slice();
    while (sources.length < 5) sources = sources.concat(sources);
    const cols = active.length + sources.length;
    const data = new Float64Array(n * cols);
    for (let i = 0; i < n; i++) for (let a = 0; a < active.length; a++) data[i * cols + a] = m.data[i * p + active[a]];
    for (let s = 0; s < sources.length; s++) {
      const perm = shadowRng.permutation(n);
      const src = sources[s];
      const col = active.length + s;
      for (let i = 0; i < n; i++) data[i * cols + col] = m.data[perm[i] * p + src];
    }
    const forest = fitRandomForestClassifier({ rows: n, cols, data }, labels, {
      seed: forestRng,
      trees: options.trees,
      mtry: options.mtry === undefined ? undefined : Math.min(options.mtry, cols),
      minNodeSize: options.minNodeSize,
      permutationImportance: importanceKind === 'permutation',
    });
    const raw = importanceKind === 'permutation' ? (forest.importance.permutationZ as Float64Array) : forest.importance.impurity;
    const finite = (v: number): number => (Number.isFinite(v) ? v : 0);

    const imp = new Float64Array(p).fill(-Infinity);
    for (let a = 0; a < active.length; a++) imp[active[a]] = finite(raw[a]);
    let sMax = -Infinity;
    let sMin = Infinity;
    let sSum = 0;
    for (let s = 0; s < sources.length; s++) {
      const v = finite(raw[active.length + s]);
      if (v > sMax) sMax = v;
      if (v < sMin) sMin = v;
      sSum += v;
    }
    for (let j = 0; j < p; j++) if (imp[j] > sMax) hits[j]++;

    // Tests after this run (R's doTests), p-values adjusted over all p features.
    const scale = bonferroni ? p : 1;
    const toConfirm: number[] = [];
    const toReject: number[] = [];
    for (let j = 0; j < p; j++) {
      if (decisions[j] !== 'tentative') continue;
      const { upper, lower } = binomialHalfTails(hits[j], runs);
      if (Math.min(1, upper * scale) < pValue) toConfirm.push(j);
      if (Math.min(1, lower * scale) < pValue) toReject.push(j);
    }
    for (const j of toConfirm) decisions[j] = 'confirmed';
    for (const j of toReject) decisions[j] = 'rejected';

    history.push(imp);
    shadowMax.push(sMax);
    shadowMean.push(sSum / sources.length);
    shadowMin.push(sMin);
  }
  const performed = history.length;

  const meanImportance = new Float64Array(p);
  const medianImportance = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    const vals: number[] = [];
    for (const h of history) if (Number.isFinite(h[j])) vals.push(h[j]);
    meanImportance[j] = vals.length > 0 ? vals.reduce((a, b) => a + b, 0) / vals.length : NaN;
    medianImportance[j] = median(vals);
  }
  const byDecision = (d: BorutaDecision): number[] => decisions.flatMap((v, j) => (v === d ? [j] : []));
  return {
    decisions,
    hits,
    runs: performed,
    importanceHistory: history,
    shadowMax: Float64Array.from(shadowMax),
    shadowMean: Float64Array.from(shadowMean),
    shadowMin: Float64Array.from(shadowMin),
    meanImportance,
    medianImportance,
    confirmed: byDecision('confirmed'),
    tentative: byDecision('tentative'),
    rejected: byDecision('rejected'),
  };
}

/**
 * Decides the features Boruta left tentative, as R's TentativeRoughFix: confirmed when the
 * median of its importance over the last `averageOver` runs (default all) exceeds the median of
 * the runs' shadow maxima, rejected otherwise. Returns new decisions; the result is not changed.
 */
export function tentativeRoughFix(result: BorutaResult, averageOver = Infinity): BorutaDecision[] {
  if (!(averageOver >= 1)) throw new RgsError(`boruta: averageOver must be >= 1, got ${averageOver}`, { field: 'averageOver' });
  const runs = result.importanceHistory.length;
  const from = runs - Math.floor(Math.min(averageOver, runs));
  const shadowMedian = median(Array.from(result.shadowMax.subarray(from)));
  return result.decisions.map((d, j) => {
    if (d !== 'tentative') return d;
    const vals: number[] = [];
    for (let r = from; r < runs; r++) vals.push(result.importanceHistory[r][j]);
    return median(vals) > shadowMedian ? 'confirmed' : 'rejected';
  });
}
