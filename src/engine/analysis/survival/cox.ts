/**
 * Unpenalised Cox proportional hazards regression, fitted as R's survival::coxph does
 * (coxph.fit / coxfit6): Newton-Raphson on the log partial likelihood from beta = 0, Efron
 * (default) or Breslow handling of tied event times, step halving when the likelihood drops,
 * convergence when |1 - loglik_old / loglik_new| <= 1e-9 (at most 20 iterations), covariates
 * centred and scaled internally (columns coded only in {-1, 0, 1} are left unscaled, as
 * coxph's `nocenter`), and the same cap on the step size (20 sd per coefficient) that keeps
 * a monotone likelihood from overflowing.
 *
 * References: Cox (1972) JRSS-B 34:187; Efron (1977) JASA 72:557; Therneau & Grambsch,
 * Modeling Survival Data (2000), ch. 3; Breslow (1974) Biometrics 30:89 for the baseline
 * cumulative hazard.
 */
import { RgsError } from '../../util/errors';
import { choleskyInPlace, choleskySolveInPlace, symmetricInverse } from '../linalg';
import { chiSquareUpperTail, normalQuantile, normalTwoSidedP } from './distributions';
import { checkSurvival, type DesignMatrix, type SurvivalOutcome, toRowMajor } from './input';

export type CoxTies = 'efron' | 'breslow';

export interface CoxOptions {
  /** Tie handling; 'efron' as coxph's default. */
  ties?: CoxTies;
  /** Case weights (>= 0). */
  weights?: ArrayLike<number>;
  /** Number of covariates when x is a flat Float64Array (otherwise taken from the rows). */
  p?: number;
  /** Maximum Newton iterations (coxph.control iter.max = 20). */
  maxIter?: number;
  /** Convergence tolerance on the relative change of the log partial likelihood (coxph: 1e-9). */
  eps?: number;
  /** Cholesky singularity tolerance (coxph: .Machine$double.eps^0.75). */
  tolerChol?: number;
  /** Confidence level of the hazard-ratio intervals (default 0.95). */
  confLevel?: number;
  /** Covariate names for reporting (default x1..xp). */
  names?: string[];
}

export interface ChiSquareTest {
  statistic: number;
  df: number;
  p: number;
}

export interface CoxFit {
  names: string[];
  /** Coefficients on the original covariate scale; NaN for covariates listed in `singular`. */
  coefficients: number[];
  /** Standard errors sqrt(diag(I^-1)); NaN for singular covariates. */
  se: number[];
  /** Wald z = coef / se. */
  z: number[];
  /** Two-sided Wald p-values. */
  p: number[];
  hazardRatio: number[];
  hrLower: number[];
  hrUpper: number[];
  confLevel: number;
  /** Inverse information matrix (p x p, row-major); rows/columns of singular covariates are 0. */
  variance: Float64Array;
  /** Log partial likelihood at beta = 0 and at the estimate (coxph's loglik). */
  logLikNull: number;
  logLik: number;
  /** Likelihood-ratio, score (at beta = 0) and Wald tests of all coefficients = 0, df = rank. */
  likelihoodRatio: ChiSquareTest;
  score: ChiSquareTest;
  wald: ChiSquareTest;
  iterations: number;
  converged: boolean;
  /** Indices of covariates dropped as linearly dependent (coxph reports NA for them). */
  singular: number[];
  /** Human-readable warnings (non-convergence, possibly infinite coefficients). */
  warnings: string[];
  n: number;
  nEvents: number;
  ties: CoxTies;
  /** Weighted covariate means (coxph's `means`). */
  means: number[];
  /**
   * Breslow estimate of the baseline cumulative hazard at covariates = 0 (not centred), at
   * each distinct event time: H0(t) = sum_{t_i <= t} d_i / sum_{j at risk} w_j exp(x_j b).
   */
  baseline: { time: Float64Array; cumHazard: Float64Array };
}

interface Workspace {
  n: number;
  k: number;
  /** Centred, scaled covariates, rows in increasing time order. */
  x: Float64Array;
  time: Float64Array;
  status: Uint8Array;
  w: Float64Array;
  efron: boolean;
  u: Float64Array;
  imat: Float64Array;
  a: Float64Array;
  a2: Float64Array;
  cmat: Float64Array;
  cmat2: Float64Array;
}

/**
 * Log partial likelihood, score u and information imat (full symmetric k x k) at beta, on the
 * sorted, centred and scaled covariates. Walks from the largest time down so each risk set is
 * built incrementally; all subjects with the same time enter before that time's deaths are
 * scored (censored at t are at risk at t), as coxfit6.
 */
function partialLikelihood(ws: Workspace, beta: Float64Array): number {
  const { n, k, x, time, status, w, efron, u, imat, a, a2, cmat, cmat2 } = ws;
  u.fill(0);
  imat.fill(0);
  a.fill(0);
  cmat.fill(0);
  let loglik = 0;
  let denom = 0;
  let person = n - 1;
  while (person >= 0) {
    const dtime = time[person];
    let ndead = 0;
    let deadwt = 0;
    let efronwt = 0;
    a2.fill(0);
    cmat2.fill(0);
    while (person >= 0 && time[person] === dtime) {
      const row = person * k;
      let zbeta = 0;
      for (let i = 0; i < k; i++) zbeta += beta[i] * x[row + i];
      const risk = Math.exp(zbeta) * w[person];
      denom += risk;
      for (let i = 0; i < k; i++) {
        const xi = x[row + i];
        a[i] += risk * xi;
        for (let j = 0; j <= i; j++) cmat[i * k + j] += risk * xi * x[row + j];
      }
      if (status[person] === 1) {
        ndead++;
        deadwt += w[person];
        loglik += w[person] * zbeta;
        for (let i = 0; i < k; i++) u[i] += w[person] * x[row + i];
        if (efron) {
          efronwt += risk;
          for (let i = 0; i < k; i++) {
            const xi = x[row + i];
            a2[i] += risk * xi;
            for (let j = 0; j <= i; j++) cmat2[i * k + j] += risk * xi * x[row + j];
          }
        }
      }
      person--;
    }
    if (ndead === 0) continue;
    if (!efron) {
      loglik -= deadwt * Math.log(denom);
      for (let i = 0; i < k; i++) {
        const mean = a[i] / denom;
        u[i] -= deadwt * mean;
        for (let j = 0; j <= i; j++) imat[i * k + j] += (deadwt / denom) * (cmat[i * k + j] - mean * a[j]);
      }
    } else {
      // Efron: the tied deaths leave the risk set in equal fractions, k/d for k = 0..d-1.
      const wtave = deadwt / ndead;
      for (let m = 0; m < ndead; m++) {
        const frac = m / ndead;
        const d2 = denom - frac * efronwt;
        loglik -= wtave * Math.log(d2);
        for (let i = 0; i < k; i++) {
          const mean = (a[i] - frac * a2[i]) / d2;
          u[i] -= wtave * mean;
          for (let j = 0; j <= i; j++) {
            imat[i * k + j] += (wtave / d2) * (cmat[i * k + j] - frac * cmat2[i * k + j] - mean * (a[j] - frac * a2[j]));
          }
        }
      }
    }
  }
  for (let i = 0; i < k; i++) for (let j = 0; j < i; j++) imat[j * k + i] = imat[i * k + j];
  return loglik;
}

/**
 * Fits a Cox proportional hazards model. x is n x p (rows = subjects).
 *
 * Throws RgsError when the data cannot be modelled: fewer than 2 events (the partial
 * likelihood has no information), no covariates, or invalid input. Linearly dependent
 * covariates are not an error: they are reported in `singular` with NaN coefficients, as
 * coxph reports NA.
 */
export function fitCox(x: DesignMatrix, outcome: SurvivalOutcome, options: CoxOptions = {}): CoxFit {
  const what = 'Cox model';
  const surv = checkSurvival(outcome, options.weights, what);
  const { n } = surv;
  const { data, p: k } = toRowMajor(x, n, options.p, what);
  if (k === 0) throw new RgsError(`${what}: no covariates`, { field: 'x' });
  const ties: CoxTies = options.ties ?? 'efron';
  const maxIter = options.maxIter ?? 20;
  const eps = options.eps ?? 1e-9;
  const tolerChol = options.tolerChol ?? 2.220446049250313e-16 ** 0.75;
  const confLevel = options.confLevel ?? 0.95;
  const names = options.names ?? Array.from({ length: k }, (_, j) => `x${j + 1}`);
  if (names.length !== k) throw new RgsError(`${what}: ${names.length} names for ${k} covariates`, { field: 'names' });

  let nEvents = 0;
  let tdeath = 0;
  let wsum = 0;
  for (let i = 0; i < n; i++) {
    wsum += surv.weights[i];
    if (surv.status[i] === 1 && surv.weights[i] > 0) {
      nEvents++;
      tdeath += surv.weights[i];
    }
  }
  if (nEvents < 2) throw new RgsError(`${what}: ${nEvents} event(s); at least 2 events are needed to fit a Cox model`, { field: 'status' });

  // Sort by increasing time (stable: ties keep input order; order within a tie is irrelevant).
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => surv.time[i] - surv.time[j] || i - j);
  const xs = new Float64Array(n * k);
  const time = new Float64Array(n);
  const status = new Uint8Array(n);
  const w = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    const i = order[r];
    time[r] = surv.time[i];
    status[r] = surv.status[i];
    w[r] = surv.weights[i];
    for (let j = 0; j < k; j++) xs[r * k + j] = data[i * k + j];
  }

  // Centre every column at its weighted mean; scale columns not coded in {-1,0,1} by the
  // inverse weighted mean absolute deviation (coxfit6), for a better-conditioned Newton step.
  const means = new Array<number>(k).fill(0);
  const scale = new Float64Array(k).fill(1);
  for (let j = 0; j < k; j++) {
    let s = 0;
    let zeroOne = true;
    for (let r = 0; r < n; r++) {
      const v = xs[r * k + j];
      s += w[r] * v;
      if (v !== 0 && v !== 1 && v !== -1) zeroOne = false;
    }
    const m = s / wsum;
    means[j] = m;
    for (let r = 0; r < n; r++) xs[r * k + j] -= m;
    if (!zeroOne) {
      let mad = 0;
      for (let r = 0; r < n; r++) mad += w[r] * Math.abs(xs[r * k + j]);
      const sc = mad > 0 ? wsum / mad : 1;
      scale[j] = sc;
      for (let r = 0; r < n; r++) xs[r * k + j] *= sc;
    }
  }

  const ws: Workspace = {
    n, k, x: xs, time, status, w, efron: ties === 'efron',
    u: new Float64Array(k), imat: new Float64Array(k * k), a: new Float64Array(k), a2: new Float64Array(k),
    cmat: new Float64Array(k * k), cmat2: new Float64Array(k * k),
  };

  const beta = new Float64Array(k);
  const newbeta = new Float64Array(k);
  const loglik0 = partialLikelihood(ws, beta);
  const maxbeta = new Float64Array(k);
  for (let i = 0; i < k; i++) maxbeta[i] = 20 * Math.sqrt(ws.imat[i * k + i] / tdeath);

  // Score test at beta = 0: u' I^-1 u.
  const step = Float64Array.from(ws.u);
  const u0 = Float64Array.from(ws.u);
  const chol = Float64Array.from(ws.imat);
  choleskyInPlace(chol, k, tolerChol);
  choleskySolveInPlace(chol, k, step);
  let scoreStat = 0;
  for (let i = 0; i < k; i++) scoreStat += u0[i] * step[i];
  for (let i = 0; i < k; i++) newbeta[i] = beta[i] + step[i];

  let loglikPrev = loglik0;
  let newlk = loglik0;
  let halving = false;
  let converged = false;
  let iterations = 0;
  for (let iter = 1; iter <= maxIter; iter++) {
    iterations = iter;
    newlk = partialLikelihood(ws, newbeta);
    chol.set(ws.imat);
    choleskyInPlace(chol, k, tolerChol);
    if (!halving && Math.abs(1 - loglikPrev / newlk) <= eps) {
      converged = true;
      break;
    }
    if (iter === maxIter) break;
    if (!(newlk >= loglikPrev)) {
      // Likelihood fell (or overflowed): halve the last step.
      halving = true;
      for (let i = 0; i < k; i++) newbeta[i] = (newbeta[i] + beta[i]) / 2;
    } else {
      halving = false;
      loglikPrev = newlk;
      const delta = Float64Array.from(ws.u);
      choleskySolveInPlace(chol, k, delta);
      for (let i = 0; i < k; i++) {
        beta[i] = newbeta[i];
        let nb = newbeta[i] + delta[i];
        if (nb > maxbeta[i]) nb = maxbeta[i];
        else if (nb < -maxbeta[i]) nb = -maxbeta[i];
        newbeta[i] = nb;
      }
    }
  }
  const loglikFinal = newlk;

  // Variance: inverse information at the final beta, back on the original scale.
  const inv = symmetricInverse(ws.imat, k, tolerChol);
  const variance = new Float64Array(k * k);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) variance[i * k + j] = inv.inverse[i * k + j] * scale[i] * scale[j];
  const singular = inv.singular;
  const coef = new Array<number>(k);
  for (let i = 0; i < k; i++) coef[i] = singular.includes(i) ? NaN : newbeta[i] * scale[i];

  const warnings: string[] = [];
  const uFinal = new Float64Array(k);
  for (let i = 0; i < k; i++) uFinal[i] = ws.u[i] / scale[i];
  if (!converged) warnings.push(`Cox model did not converge in ${maxIter} iterations`);
  else {
    // coxph.fit: a coefficient whose remaining Newton step is not negligible relative to its
    // size after the likelihood has converged is drifting to infinity (monotone likelihood).
    const tolerInf = 1e-5;
    const infinite: number[] = [];
    for (let i = 0; i < k; i++) {
      if (singular.includes(i)) continue;
      let s = 0;
      for (let j = 0; j < k; j++) s += uFinal[j] * variance[j * k + i];
      const inf = Math.abs(s);
      if (!Number.isFinite(uFinal[i]) || (inf > eps && inf > tolerInf * Math.abs(coef[i]))) infinite.push(i);
    }
    if (infinite.length > 0) {
      warnings.push(`Cox model: log-likelihood converged before ${infinite.map((i) => names[i]).join(', ')}; coefficient may be infinite`);
    }
  }

  const rank = k - singular.length;
  const zq = normalQuantile(1 - (1 - confLevel) / 2);
  const se: number[] = [];
  const z: number[] = [];
  const pv: number[] = [];
  const hr: number[] = [];
  const lo: number[] = [];
  const hi: number[] = [];
  for (let i = 0; i < k; i++) {
    const s = singular.includes(i) ? NaN : Math.sqrt(variance[i * k + i]);
    se.push(s);
    z.push(coef[i] / s);
    pv.push(normalTwoSidedP(coef[i] / s));
    hr.push(Math.exp(coef[i]));
    lo.push(Math.exp(coef[i] - zq * s));
    hi.push(Math.exp(coef[i] + zq * s));
  }
  // Wald test b' V^-1 b over the estimable coefficients (coxph.wtest).
  let waldStat = 0;
  {
    const idx = Array.from({ length: k }, (_, i) => i).filter((i) => !singular.includes(i));
    const m = idx.length;
    const v = new Float64Array(m * m);
    const b = new Float64Array(m);
    for (let r = 0; r < m; r++) {
      b[r] = coef[idx[r]];
      for (let c = 0; c < m; c++) v[r * m + c] = variance[idx[r] * k + idx[c]];
    }
    const sol = Float64Array.from(b);
    const lv = Float64Array.from(v);
    choleskyInPlace(lv, m, tolerChol);
    choleskySolveInPlace(lv, m, sol);
    for (let r = 0; r < m; r++) waldStat += b[r] * sol[r];
  }
  const lrStat = 2 * (loglikFinal - loglik0);

  const baseline = breslowBaseline(surv.time, surv.status, surv.weights, data, k, coef.map((c) => (Number.isNaN(c) ? 0 : c)));

  return {
    names,
    coefficients: coef,
    se,
    z,
    p: pv,
    hazardRatio: hr,
    hrLower: lo,
    hrUpper: hi,
    confLevel,
    variance,
    logLikNull: loglik0,
    logLik: loglikFinal,
    likelihoodRatio: { statistic: lrStat, df: rank, p: chiSquareUpperTail(lrStat, rank) },
    score: { statistic: scoreStat, df: rank, p: chiSquareUpperTail(scoreStat, rank) },
    wald: { statistic: waldStat, df: rank, p: chiSquareUpperTail(waldStat, rank) },
    iterations,
    converged,
    singular,
    warnings,
    n,
    nEvents,
    ties,
    means,
    baseline,
  };
}

/**
 * Breslow baseline cumulative hazard at covariates = 0, evaluated at each distinct event
 * time (survival::basehaz(fit, centered = FALSE) for a Breslow fit). Linear predictors are
 * computed centred and shifted back so exp() cannot overflow for large covariate values.
 */
function breslowBaseline(
  time: Float64Array,
  status: Uint8Array,
  w: Float64Array,
  x: Float64Array,
  k: number,
  beta: number[],
): { time: Float64Array; cumHazard: Float64Array } {
  const n = time.length;
  const eta = new Float64Array(n);
  let maxEta = -Infinity;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < k; j++) s += x[i * k + j] * beta[j];
    eta[i] = s;
    if (s > maxEta) maxEta = s;
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => time[j] - time[i]);
  // Walk down from the largest time accumulating the risk-set sum (scaled by exp(-maxEta)).
  const times: number[] = [];
  const incr: number[] = [];
  let risk = 0;
  let r = 0;
  while (r < n) {
    const t = time[order[r]];
    let dw = 0;
    while (r < n && time[order[r]] === t) {
      const i = order[r];
      risk += w[i] * Math.exp(eta[i] - maxEta);
      if (status[i] === 1) dw += w[i];
      r++;
    }
    if (dw > 0) {
      times.push(t);
      incr.push(dw / risk / Math.exp(maxEta));
    }
  }
  const m = times.length;
  const outT = new Float64Array(m);
  const outH = new Float64Array(m);
  let h = 0;
  for (let q = m - 1, o = 0; q >= 0; q--, o++) {
    h += incr[q];
    outT[o] = times[q];
    outH[o] = h;
  }
  return { time: outT, cumHazard: outH };
}

/** The Breslow baseline cumulative hazard H0(t) (covariates = 0) at the given times; 0 before the first event. */
export function cumulativeBaselineHazard(fit: CoxFit, times: ArrayLike<number>): Float64Array {
  const bt = fit.baseline.time;
  const bh = fit.baseline.cumHazard;
  const out = new Float64Array(times.length);
  for (let q = 0; q < times.length; q++) {
    const t = times[q];
    let lo = 0;
    let hi = bt.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (bt[mid] <= t) lo = mid + 1;
      else hi = mid;
    }
    out[q] = lo === 0 ? 0 : bh[lo - 1];
  }
  return out;
}

export type CoxPredictType = 'lp' | 'risk' | 'survival';

/**
 * Predictions from a Cox fit for new rows x (n x p): 'lp' = x b (not centred), 'risk' =
 * exp(x b), 'survival' = exp(-H0(t) exp(x b)) at each of `times` (row-major n x times.length)
 * with H0 the Breslow baseline (step function, 0 before the first event time).
 */
export function predictCox(fit: CoxFit, x: DesignMatrix, type: CoxPredictType = 'lp', times?: ArrayLike<number>): Float64Array {
  const k = fit.coefficients.length;
  const n = x instanceof Float64Array ? x.length / k : x.length;
  const { data } = toRowMajor(x, n, k, 'Cox prediction');
  const beta = fit.coefficients.map((c) => (Number.isNaN(c) ? 0 : c));
  const lp = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < k; j++) s += data[i * k + j] * beta[j];
    lp[i] = s;
  }
  if (type === 'lp') return lp;
  if (type === 'risk') return lp.map(Math.exp);
  if (times === undefined) throw new RgsError('Cox prediction: survival predictions need the times to evaluate at', { field: 'times' });
  const nt = times.length;
  const out = new Float64Array(n * nt);
  const h = cumulativeBaselineHazard(fit, times);
  for (let q = 0; q < nt; q++) {
    const h0 = h[q];
    for (let i = 0; i < n; i++) out[i * nt + q] = Math.exp(-h0 * Math.exp(lp[i]));
  }
  return out;
}
