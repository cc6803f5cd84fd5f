/**
 * DeLong's nonparametric variance of the AUC (DeLong, DeLong & Clarke-Pearson, Biometrics 1988),
 * computed with the fast midrank algorithm of Sun & Xu (IEEE Signal Process. Lett. 2014) in
 * O(N log N), and the paired test of two correlated AUCs. Definitions follow pROC 1.18
 * (`ci.auc(method = "delong")`, `var(roc)`, `roc.test(method = "delong", paired = TRUE)`):
 *
 * - placements of case i:    V10_i = (T_Z(i) - T_X(i)) / n   (share of controls below it, ties ½)
 * - placements of control j: V01_j = 1 - (T_Z(j) - T_Y(j)) / m (share of cases above it, ties ½)
 *   with T_Z, T_X, T_Y the midranks among all rows, among the m cases, among the n controls.
 * - AUC θ = mean(V10) = mean(V01);
 * - S10 = Σ(V10 - θ)²/(m - 1), S01 = Σ(V01 - θ)²/(n - 1), Var(θ) = S10/m + S01/n;
 * - CI = θ ± Φ⁻¹(1 - α/2) √Var, clipped to [0, 1].
 * For two scores on the same rows, the covariance uses the same formula on the products of the
 * two placement deviations; z = (θ₁ - θ₂) / √(Var₁ + Var₂ - 2 Cov), p = 2 Φ(-|z|), and z = 0 when
 * both the difference and its standard error are 0 (pROC's convention).
 */
import { BinaryLabels, binaryLabels, countCases, midranks } from './binary-outcome';
import { normalCdf, normalQuantile } from './distributions';
import { RgsError } from '../../util/errors';

export interface DelongPlacements {
  auc: number;
  /** V10, one per case, in row order of the cases. */
  cases: Float64Array;
  /** V01, one per control, in row order of the controls. */
  controls: Float64Array;
}

function placementsOf(y: Uint8Array, scores: ArrayLike<number>, m: number, n: number): DelongPlacements {
  const caseScores = new Float64Array(m);
  const controlScores = new Float64Array(n);
  for (let i = 0, a = 0, b = 0; i < y.length; i++) {
    if (y[i] === 1) caseScores[a++] = scores[i];
    else controlScores[b++] = scores[i];
  }
  const tz = midranks(scores);
  const tx = midranks(caseScores);
  const ty = midranks(controlScores);
  const cases = new Float64Array(m);
  const controls = new Float64Array(n);
  let sum = 0;
  for (let i = 0, a = 0, b = 0; i < y.length; i++) {
    if (y[i] === 1) {
      cases[a] = (tz[i] - tx[a]) / n;
      sum += cases[a];
      a++;
    } else {
      controls[b] = 1 - (tz[i] - ty[b]) / m;
      b++;
    }
  }
  return { auc: sum / m, cases, controls };
}

/** DeLong placements and the AUC. Throws when a class is empty. */
export function delongPlacements(labels: BinaryLabels, scores: ArrayLike<number>): DelongPlacements {
  const y = binaryLabels(labels, scores, 'DeLong');
  const m = countCases(y);
  const n = y.length - m;
  if (m === 0 || n === 0) throw new RgsError(`DeLong: needs both cases and controls, got ${m} cases and ${n} controls`);
  return placementsOf(y, scores, m, n);
}

function covariance(a: Float64Array, thetaA: number, b: Float64Array, thetaB: number): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - thetaA) * (b[i] - thetaB);
  return s / (a.length - 1);
}

export interface DelongAuc {
  auc: number;
  /** DeLong variance of the AUC (pROC `var(roc)`); NaN with fewer than 2 cases or controls. */
  variance: number;
  standardError: number;
  /** Confidence interval [lower, upper] at `level`, clipped to [0, 1]. */
  ci: [number, number];
  level: number;
}

/** AUC with DeLong variance and confidence interval, as pROC's ci.auc(method = "delong"). */
export function delongAuc(labels: BinaryLabels, scores: ArrayLike<number>, level = 0.95): DelongAuc {
  if (!(level > 0 && level < 1)) throw new RgsError(`DeLong: confidence level must be in (0, 1), got ${level}`, { field: 'level' });
  const p = delongPlacements(labels, scores);
  const m = p.cases.length;
  const n = p.controls.length;
  // pROC returns NA for m <= 1 or n <= 1: the sample variances need two of each.
  const variance =
    m <= 1 || n <= 1 ? NaN : covariance(p.cases, p.auc, p.cases, p.auc) / m + covariance(p.controls, p.auc, p.controls, p.auc) / n;
  const se = Math.sqrt(variance);
  const z = normalQuantile(1 - (1 - level) / 2);
  const clip = (v: number): number => (Number.isNaN(v) ? NaN : Math.min(1, Math.max(0, v)));
  return { auc: p.auc, variance, standardError: se, ci: [clip(p.auc - z * se), clip(p.auc + z * se)], level };
}

export interface DelongPairedTest {
  aucA: number;
  aucB: number;
  /** aucA - aucB. */
  difference: number;
  /** Standard error of the difference. */
  standardError: number;
  z: number;
  /** Two-sided p-value. */
  p: number;
}

/**
 * Paired DeLong test of two scores measured on the same rows (pROC roc.test(method = "delong",
 * paired = TRUE), two-sided).
 */
export function delongPairedTest(labels: BinaryLabels, scoresA: ArrayLike<number>, scoresB: ArrayLike<number>): DelongPairedTest {
  if (scoresA.length !== scoresB.length) {
    throw new RgsError(`DeLong paired test: the two scores have ${scoresA.length} and ${scoresB.length} rows`);
  }
  const a = delongPlacements(labels, scoresA);
  const b = delongPlacements(labels, scoresB);
  const m = a.cases.length;
  const n = a.controls.length;
  if (m <= 1 || n <= 1) throw new RgsError(`DeLong paired test: needs at least 2 cases and 2 controls, got ${m} and ${n}`);
  // The 2 x 2 covariance matrix S = S10/m + S01/n of (θ_A, θ_B); Var(θ_A - θ_B) = L S Lᵀ, L = (1, -1).
  const varA = covariance(a.cases, a.auc, a.cases, a.auc) / m + covariance(a.controls, a.auc, a.controls, a.auc) / n;
  const varB = covariance(b.cases, b.auc, b.cases, b.auc) / m + covariance(b.controls, b.auc, b.controls, b.auc) / n;
  const cov = covariance(a.cases, a.auc, b.cases, b.auc) / m + covariance(a.controls, a.auc, b.controls, b.auc) / n;
  // Rounding can leave a tiny negative variance when the two scores are (nearly) identical.
  const se = Math.sqrt(Math.max(0, varA + varB - 2 * cov));
  const d = a.auc - b.auc;
  const z = d === 0 && se === 0 ? 0 : d / se;
  return { aucA: a.auc, aucB: b.auc, difference: d, standardError: se, z, p: 2 * normalCdf(-Math.abs(z)) };
}
