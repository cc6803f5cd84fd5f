/**
 * Univariate two-group tests and the filter that ranks features by them.
 *
 * - Welch's t-test (unequal variances, Welch–Satterthwaite degrees of freedom), two-sided:
 *   R's t.test(var.equal = FALSE), scipy.stats.ttest_ind(equal_var = False).
 * - Wilcoxon rank-sum / Mann–Whitney test by the normal approximation with tie correction and
 *   continuity correction, two-sided: R's wilcox.test(exact = FALSE, correct = TRUE),
 *   scipy.stats.mannwhitneyu(method = "asymptotic", use_continuity = True).
 * - Pearson's chi-square test of independence between a categorical feature (each distinct
 *   value a category) and the class, with Yates' continuity correction on 2 x 2 tables:
 *   R's chisq.test(correct = TRUE), scipy.stats.chi2_contingency(correction = True).
 *
 * Groups: "cases" are rows with outcome 1, "controls" rows with outcome 0. A test that is
 * undefined (a group with fewer than 2 rows for Welch, zero variance in both groups, all values
 * tied, a single category) gives NaN, and NaN p-values are never selected.
 *
 * The distribution functions come from ../metrics/distributions.ts.
 */
import { RgsError } from '../../util/errors';
import { chiSquareSurvival, normalCdf, studentTTwoSidedP } from '../metrics/distributions';
import { MatrixInput, toBinaryLabels, toClassLabels, toColumnMajor, toDenseMatrix } from '../forest/design-matrix';
import { midranks } from './ranks';

export interface WelchTTest {
  /** mean(cases) - mean(controls) divided by its standard error. */
  readonly t: number;
  readonly df: number;
  readonly pValue: number;
  readonly meanDifference: number;
}

/** Welch's two-sample t-test of `a` (cases) against `b` (controls), two-sided. */
export function welchTTest(a: ArrayLike<number>, b: ArrayLike<number>): WelchTTest {
  const na = a.length;
  const nb = b.length;
  if (na < 2 || nb < 2) return { t: NaN, df: NaN, pValue: NaN, meanDifference: NaN };
  const ma = mean(a);
  const mb = mean(b);
  const va = variance(a, ma) / na;
  const vb = variance(b, mb) / nb;
  const se2 = va + vb;
  const diff = ma - mb;
  if (!(se2 > 0)) return { t: NaN, df: NaN, pValue: NaN, meanDifference: diff };
  const t = diff / Math.sqrt(se2);
  const df = (se2 * se2) / ((va * va) / (na - 1) + (vb * vb) / (nb - 1));
  return { t, df, pValue: studentTTwoSidedP(t, df), meanDifference: diff };
}

export interface WilcoxonRankSum {
  /** Mann–Whitney U of the cases: rank sum of `a` minus na(na+1)/2 (R's W). */
  readonly w: number;
  /** Continuity-corrected normal deviate. */
  readonly z: number;
  readonly pValue: number;
  /** W / (na nb): the AUC of the values as a score for being a case. */
  readonly auc: number;
}

/**
 * Wilcoxon rank-sum test of `a` against `b`, normal approximation:
 *   z = (W - na nb / 2 - sign(.) 0.5) / sqrt(na nb / 12 · ((n + 1) - sum(t^3 - t) / (n (n - 1))))
 * with the continuity correction when `correct` (default true); p = 2 min(Φ(z), 1 - Φ(z)).
 */
export function wilcoxonRankSum(a: ArrayLike<number>, b: ArrayLike<number>, correct = true): WilcoxonRankSum {
  const na = a.length;
  const nb = b.length;
  if (na < 1 || nb < 1) return { w: NaN, z: NaN, pValue: NaN, auc: NaN };
  const n = na + nb;
  const all = new Float64Array(n);
  for (let i = 0; i < na; i++) all[i] = a[i];
  for (let i = 0; i < nb; i++) all[na + i] = b[i];
  const { ranks, tieTerm } = midranks(all);
  let rankSum = 0;
  for (let i = 0; i < na; i++) rankSum += ranks[i];
  const w = rankSum - (na * (na + 1)) / 2;
  const centred = w - (na * nb) / 2;
  const sigma = Math.sqrt(((na * nb) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
  const correction = correct ? Math.sign(centred) * 0.5 : 0;
  const z = (centred - correction) / sigma;
  const pValue = Number.isFinite(z) ? 2 * Math.min(normalCdf(z), normalCdf(-z)) : NaN;
  return { w, z, pValue, auc: w / (na * nb) };
}

export interface ChiSquareTest {
  readonly statistic: number;
  readonly df: number;
  readonly pValue: number;
}

/**
 * Pearson's chi-square test of independence of two categorical variables given as codes
 * (any numbers; each distinct value is a category). Yates' correction on 2 x 2 tables when
 * `yates` (default true): |O - E| is reduced by min(0.5, |O - E|).
 */
export function chiSquareIndependence(feature: ArrayLike<number>, classes: ArrayLike<number>, yates = true): ChiSquareTest {
  const n = feature.length;
  if (classes.length !== n) throw new RgsError(`chi-square test: ${n} feature values but ${classes.length} classes`, { field: 'y' });
  const rowIndex = new Map<number, number>();
  const colIndex = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    if (!rowIndex.has(feature[i])) rowIndex.set(feature[i], rowIndex.size);
    if (!colIndex.has(classes[i])) colIndex.set(classes[i], colIndex.size);
  }
  const r = rowIndex.size;
  const c = colIndex.size;
  if (r < 2 || c < 2) return { statistic: NaN, df: NaN, pValue: NaN };
  const table = new Float64Array(r * c);
  for (let i = 0; i < n; i++) table[(rowIndex.get(feature[i]) as number) * c + (colIndex.get(classes[i]) as number)] += 1;
  const rowSum = new Float64Array(r);
  const colSum = new Float64Array(c);
  for (let u = 0; u < r; u++) {
    for (let v = 0; v < c; v++) {
      rowSum[u] += table[u * c + v];
      colSum[v] += table[u * c + v];
    }
  }
  const df = (r - 1) * (c - 1);
  const correct = yates && r === 2 && c === 2;
  let statistic = 0;
  for (let u = 0; u < r; u++) {
    for (let v = 0; v < c; v++) {
      const e = (rowSum[u] * colSum[v]) / n;
      let d = Math.abs(table[u * c + v] - e);
      if (correct) d -= Math.min(0.5, d);
      statistic += (d * d) / e;
    }
  }
  return { statistic, df, pValue: chiSquareSurvival(statistic, df) };
}

export type UnivariateTestName = 'welch' | 'wilcoxon' | 'chisquare';

export type PValueAdjustment = 'none' | 'bonferroni' | 'bh';

export interface UnivariateFilterOptions {
  /** Test per feature (binary outcome for welch/wilcoxon; any class outcome for chisquare). */
  test: UnivariateTestName;
  /** Keep at most this many features, smallest p first. */
  topK?: number;
  /** Keep features whose (adjusted) p-value is below this. */
  pThreshold?: number;
  /** Multiple-testing adjustment applied before `pThreshold` (default 'none'). */
  adjust?: PValueAdjustment;
}

export interface UnivariateFilterResult {
  /** Test statistic per feature: t, z (Wilcoxon) or chi-square. */
  readonly statistic: Float64Array;
  readonly pValues: Float64Array;
  /** p-values after `adjust` (equal to pValues for 'none'). */
  readonly adjustedPValues: Float64Array;
  /** Kept features, smallest adjusted p first (ties by raw p, then index). */
  readonly selected: number[];
}

/**
 * Adjusted p-values as R's p.adjust over the non-NaN values: Bonferroni min(1, m p), or
 * Benjamini–Hochberg's step-up min over j >= i of m p_(j) / j. NaN stays NaN.
 */
export function adjustPValues(pValues: ArrayLike<number>, method: PValueAdjustment): Float64Array {
  const out = Float64Array.from(pValues);
  if (method === 'none') return out;
  const idx: number[] = [];
  for (let i = 0; i < out.length; i++) if (!Number.isNaN(out[i])) idx.push(i);
  const m = idx.length;
  if (method === 'bonferroni') {
    for (const i of idx) out[i] = Math.min(1, out[i] * m);
    return out;
  }
  if (method !== 'bh') throw new RgsError(`p-value adjustment must be 'none', 'bonferroni' or 'bh', got '${String(method)}'`, { field: 'adjust' });
  idx.sort((a, b) => out[a] - out[b] || a - b);
  let running = 1;
  const adjusted = new Float64Array(m);
  for (let r = m - 1; r >= 0; r--) {
    running = Math.min(running, (m / (r + 1)) * out[idx[r]]);
    adjusted[r] = running;
  }
  for (let r = 0; r < m; r++) out[idx[r]] = adjusted[r];
  return out;
}

/** Tests every feature against the outcome and keeps the top ones. */
export function univariateFilter(x: MatrixInput, y: ArrayLike<number | boolean>, options: UnivariateFilterOptions): UnivariateFilterResult {
  const what = 'univariate filter';
  const m = toDenseMatrix(x, what);
  const n = m.rows;
  const p = m.cols;
  const { test } = options;
  if (test !== 'welch' && test !== 'wilcoxon' && test !== 'chisquare') {
    throw new RgsError(`${what}: test must be 'welch', 'wilcoxon' or 'chisquare', got '${String(test)}'`, { field: 'test' });
  }
  const labels = test === 'chisquare' ? toClassLabels(y, n, what).labels : toBinaryLabels(y, n, what);
  if (options.topK !== undefined && (!Number.isInteger(options.topK) || options.topK < 0)) {
    throw new RgsError(`${what}: topK must be a non-negative integer, got ${options.topK}`, { field: 'topK' });
  }
  if (options.pThreshold !== undefined && !(options.pThreshold > 0 && options.pThreshold <= 1)) {
    throw new RgsError(`${what}: pThreshold must be in (0, 1], got ${options.pThreshold}`, { field: 'pThreshold' });
  }
  const columns = toColumnMajor(m);
  const statistic = new Float64Array(p);
  const pValues = new Float64Array(p);
  let cases = 0;
  for (let i = 0; i < n; i++) if (labels[i] === 1) cases++;
  const a = new Float64Array(cases);
  const b = new Float64Array(n - cases);
  for (let j = 0; j < p; j++) {
    const col = columns.subarray(j * n, (j + 1) * n);
    if (test === 'chisquare') {
      const r = chiSquareIndependence(col, labels);
      statistic[j] = r.statistic;
      pValues[j] = r.pValue;
      continue;
    }
    for (let i = 0, ia = 0, ib = 0; i < n; i++) {
      if (labels[i] === 1) a[ia++] = col[i];
      else b[ib++] = col[i];
    }
    if (test === 'welch') {
      const r = welchTTest(a, b);
      statistic[j] = r.t;
      pValues[j] = r.pValue;
    } else {
      const r = wilcoxonRankSum(a, b);
      statistic[j] = r.z;
      pValues[j] = r.pValue;
    }
  }
  const adjustedPValues = adjustPValues(pValues, options.adjust ?? 'none');
  const order: number[] = [];
  for (let j = 0; j < p; j++) if (!Number.isNaN(adjustedPValues[j])) order.push(j);
  order.sort((u, v) => adjustedPValues[u] - adjustedPValues[v] || pValues[u] - pValues[v] || u - v);
  let selected = options.pThreshold === undefined ? order : order.filter((j) => adjustedPValues[j] < (options.pThreshold as number));
  if (options.topK !== undefined) selected = selected.slice(0, options.topK);
  return { statistic, pValues, adjustedPValues, selected };
}

function mean(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i];
  return s / v.length;
}

/** Sample variance (n - 1) about a given mean. */
function variance(v: ArrayLike<number>, m: number): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += (v[i] - m) ** 2;
  return s / (v.length - 1);
}
