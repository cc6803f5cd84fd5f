/**
 * Probability accuracy and calibration of predicted risks p for a binary outcome y.
 *
 * Definitions (Van Calster et al., J Clin Epidemiol 2016, "A calibration hierarchy for risk
 * models was defined: from utopia to empirical data"; Van Calster et al., BMC Med 2019,
 * "Calibration: the Achilles heel of predictive analytics"), with lp = logit(p):
 * - calibration slope b: from the logistic recalibration model logit P(y = 1) = a + b · lp.
 *   b = 1 is ideal; b < 1 means the predictions are too extreme (typical of overfitting).
 * - calibration-in-the-large (calibration intercept) a': from logit P(y = 1) = a' + lp, i.e. the
 *   intercept with lp as an offset (slope fixed at 1). a' = 0 is ideal; a' < 0 means the risks
 *   are overestimated on average. Note a' is not the `a` of the slope model, which is returned
 *   separately only for completeness.
 * Both models are fitted by maximum likelihood (Newton–Raphson with step halving); the result is
 * the same as R's glm(y ~ lp, binomial) and glm(y ~ 1, offset = lp, binomial).
 */
import { RgsError } from '../../util/errors';
import { BinaryLabels, binaryLabels, countCases } from './binary-outcome';

/** Brier score: mean squared difference between predicted probability and outcome (0/1). */
export function brierScore(labels: BinaryLabels, probabilities: ArrayLike<number>): number {
  const y = binaryLabels(labels, probabilities, 'Brier score');
  if (y.length === 0) return NaN;
  let s = 0;
  for (let i = 0; i < y.length; i++) {
    const p = probabilities[i];
    if (!(p >= 0 && p <= 1)) throw new RgsError(`Brier score: probability of row ${i + 1} is ${p}, outside [0, 1]`);
    s += (p - y[i]) * (p - y[i]);
  }
  return s / y.length;
}

export interface Calibration {
  /** Calibration slope b (ideal 1). */
  slope: number;
  /** Intercept a of the slope model logit P = a + b·lp (not calibration-in-the-large). */
  slopeModelIntercept: number;
  /** Calibration-in-the-large a' from logit P = a' + lp (ideal 0). */
  calibrationInTheLarge: number;
  /**
   * False when a fit did not converge; that fit's values are then NaN. The slope fit fails when
   * lp separates the classes or is constant (the slope is then not identifiable).
   */
  converged: boolean;
}

function logit(p: number): number {
  return Math.log(p / (1 - p));
}

/** log(1 + e^x) without overflow. */
function log1pExp(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/** Negative log-likelihood of a logistic model with linear predictor eta. */
function negLogLik(y: Uint8Array, eta: (i: number) => number): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) {
    const e = eta(i);
    s += log1pExp(e) - y[i] * e;
  }
  return s;
}

const MAX_ITER = 100;
// Relative step size at which Newton has converged; the error after a step is about its square.
const TOL = 1e-10;

/** Newton–Raphson for logit P = a + b·lp; returns null when it does not converge. */
function fitSlope(y: Uint8Array, lp: Float64Array): [number, number] | null {
  let a = 0;
  let b = 1;
  let f = negLogLik(y, (i) => a + b * lp[i]);
  for (let it = 0; it < MAX_ITER; it++) {
    let ga = 0;
    let gb = 0;
    let haa = 0;
    let hab = 0;
    let hbb = 0;
    for (let i = 0; i < y.length; i++) {
      const mu = 1 / (1 + Math.exp(-(a + b * lp[i])));
      const r = y[i] - mu;
      const w = mu * (1 - mu);
      ga += r;
      gb += r * lp[i];
      haa += w;
      hab += w * lp[i];
      hbb += w * lp[i] * lp[i];
    }
    const det = haa * hbb - hab * hab;
    if (!(det > 0)) return null;
    let da = (hbb * ga - hab * gb) / det;
    let db = (haa * gb - hab * ga) / det;
    // Step halving keeps every step a descent step (the likelihood is concave, so this only
    // matters far from the optimum).
    let t = 1;
    let fNew = negLogLik(y, (i) => a + t * da + (b + t * db) * lp[i]);
    while (fNew > f + 1e-12 * Math.abs(f) && t > 1e-10) {
      t /= 2;
      fNew = negLogLik(y, (i) => a + t * da + (b + t * db) * lp[i]);
    }
    da *= t;
    db *= t;
    a += da;
    b += db;
    f = fNew;
    if (Math.abs(da) <= TOL * (1 + Math.abs(a)) && Math.abs(db) <= TOL * (1 + Math.abs(b))) return [a, b];
  }
  return null;
}

/** Newton–Raphson for logit P = a' + lp (offset); returns null when it does not converge. */
function fitOffset(y: Uint8Array, lp: Float64Array): number | null {
  let a = 0;
  let f = negLogLik(y, (i) => a + lp[i]);
  for (let it = 0; it < MAX_ITER; it++) {
    let g = 0;
    let h = 0;
    for (let i = 0; i < y.length; i++) {
      const mu = 1 / (1 + Math.exp(-(a + lp[i])));
      g += y[i] - mu;
      h += mu * (1 - mu);
    }
    if (!(h > 0)) return null;
    let d = g / h;
    let t = 1;
    let fNew = negLogLik(y, (i) => a + t * d + lp[i]);
    while (fNew > f + 1e-12 * Math.abs(f) && t > 1e-10) {
      t /= 2;
      fNew = negLogLik(y, (i) => a + t * d + lp[i]);
    }
    d *= t;
    a += d;
    f = fNew;
    if (Math.abs(d) <= TOL * (1 + Math.abs(a))) return a;
  }
  return null;
}

/**
 * Calibration slope and calibration-in-the-large (definitions in the module comment).
 * Probabilities must lie strictly inside (0, 1) (their logit is the predictor). Both outcome
 * classes must be present.
 */
export function calibration(labels: BinaryLabels, probabilities: ArrayLike<number>): Calibration {
  const y = binaryLabels(labels, probabilities, 'calibration');
  const m = countCases(y);
  if (m === 0 || m === y.length) {
    throw new RgsError(`calibration: needs both outcome classes, got ${m} events in ${y.length} rows`);
  }
  const lp = new Float64Array(y.length);
  for (let i = 0; i < y.length; i++) {
    const p = probabilities[i];
    if (!(p > 0 && p < 1)) {
      throw new RgsError(`calibration: probability of row ${i + 1} is ${p}; it must be strictly between 0 and 1`);
    }
    lp[i] = logit(p);
  }
  const slopeFit = fitSlope(y, lp);
  const offsetFit = fitOffset(y, lp);
  return {
    slope: slopeFit === null ? NaN : slopeFit[1],
    slopeModelIntercept: slopeFit === null ? NaN : slopeFit[0],
    calibrationInTheLarge: offsetFit === null ? NaN : offsetFit,
    converged: slopeFit !== null && offsetFit !== null,
  };
}
