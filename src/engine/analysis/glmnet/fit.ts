/**
 * Elastic-net regularisation paths for gaussian, binomial and Cox models, reproducing R's
 * glmnet 4.1 (Friedman, Hastie & Tibshirani 2010, J Stat Softw 33(1); Simon et al. 2011,
 * J Stat Softw 39(5)): the same standardisation (weighted, population variance), penalty
 * factor normalisation (sum = p), lambda path (lambda_max from the data, nlambda log-spaced
 * points down to lambda.min.ratio * lambda_max, the first reported lambda extrapolated as
 * glmnet's fix.lam), convergence threshold and early path stopping, so coefficients agree with
 * glmnet along the path.
 *
 * Minimised objective, per lambda (gaussian; other families use the negative log-likelihood
 * divided by the total weight):
 *   1/(2 sum w) sum w_i (y_i - a0 - x_i b)^2 + lambda sum_j vp_j [(1 - alpha)/2 b_j^2 + alpha |b_j|].
 */
import { RgsError } from '../../util/errors';
import { checkSurvival, type DesignMatrix, type SurvivalOutcome } from '../survival/input';
import { binomialPath } from './binomial';
import { GLMNET_CONTROL, type PathResult, type PathSettings } from './control';
import { coxPath } from './cox';
import { gaussianCovariancePath, gaussianNaivePath } from './gaussian';

export type GlmnetFamily = 'gaussian' | 'binomial' | 'cox';

/** Response per family: numbers (gaussian), 0/1 or booleans (binomial), time/status (cox). */
export type GlmnetResponse = ArrayLike<number> | ArrayLike<boolean> | SurvivalOutcome;

export interface GlmnetOptions {
  family: GlmnetFamily;
  /** Elastic-net mixing in [0, 1]: 1 = lasso, 0 = ridge. Default 1. */
  alpha?: number;
  /** Explicit lambda sequence (any order; fitted in decreasing order, no early stopping). */
  lambda?: ArrayLike<number>;
  nlambda?: number;
  /** Default 1e-2 when n < p, else 1e-4 (glmnet). */
  lambdaMinRatio?: number;
  /** Standardise x internally (coefficients are always returned on the original scale). Default true. */
  standardize?: boolean;
  /** Observation weights (>= 0). */
  weights?: ArrayLike<number>;
  /** Relative penalty per variable (0 = unpenalised, Infinity = excluded). */
  penaltyFactor?: ArrayLike<number>;
  /** Convergence threshold (glmnet thresh). Default 1e-7. */
  thresh?: number;
  /** Maximum passes over the data. Default 1e5. */
  maxit?: number;
  /** Gaussian only: glmnet's default is 'covariance' when p < 500, else 'naive'. */
  typeGaussian?: 'covariance' | 'naive';
  /** Number of columns when x is a flat row-major Float64Array (default: length / n). */
  p?: number;
}

export interface GlmnetFit {
  family: GlmnetFamily;
  alpha: number;
  n: number;
  p: number;
  /** Decreasing lambda sequence (original scale). */
  lambda: number[];
  /** Intercept per lambda (0 for cox). */
  a0: number[];
  /** Coefficients per lambda on the original x scale (length p). */
  beta: Float64Array[];
  /** Fraction of (null) deviance explained per lambda. */
  devRatio: number[];
  /** Number of non-zero coefficients per lambda. */
  df: number[];
  /** Null deviance (glmnet's nulldev). */
  nulldev: number;
  npasses: number;
  /** True when the lambda sequence was supplied by the caller. */
  userLambda: boolean;
  /** Non-fatal problems (path truncated by non-convergence, separation); empty normally. */
  warnings: string[];
}

interface Prepared {
  n: number;
  p: number;
  /** Column-major copy of x. */
  xc: Float64Array;
  weights: Float64Array;
}

function prepareX(x: DesignMatrix, n: number, pOpt: number | undefined): { xc: Float64Array; p: number } {
  if (x instanceof Float64Array) {
    const p = pOpt ?? (n > 0 ? x.length / n : 0);
    if (!Number.isInteger(p) || x.length !== n * p) throw new RgsError(`glmnet: x has ${x.length} values, not n x p with n = ${n}`, { field: 'x' });
    const xc = new Float64Array(n * p);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < p; j++) {
        const v = x[i * p + j];
        if (!Number.isFinite(v)) throw new RgsError(`glmnet: x[${i}][${j}] is ${v}; impute or drop missing values first`, { field: 'x' });
        xc[j * n + i] = v;
      }
    }
    return { xc, p };
  }
  if (x.length !== n) throw new RgsError(`glmnet: x has ${x.length} rows but y has ${n} observations`, { field: 'x' });
  const p = n > 0 ? x[0].length : 0;
  const xc = new Float64Array(n * p);
  for (let i = 0; i < n; i++) {
    const row = x[i];
    if (row.length !== p) throw new RgsError(`glmnet: row ${i} of x has ${row.length} values, expected ${p}`, { field: 'x' });
    for (let j = 0; j < p; j++) {
      const v = row[j];
      if (!Number.isFinite(v)) throw new RgsError(`glmnet: x[${i}][${j}] is ${v}; impute or drop missing values first`, { field: 'x' });
      xc[j * n + i] = v;
    }
  }
  return { xc, p };
}

function responseLength(y: GlmnetResponse): number {
  return 'time' in y && 'status' in y ? y.time.length : (y as ArrayLike<number>).length;
}

/** glmnet chkvars: a column is usable unless all its values are equal. */
function usableColumns(xc: Float64Array, n: number, p: number): Uint8Array {
  const ju = new Uint8Array(p);
  for (let j = 0; j < p; j++) {
    const off = j * n;
    const t = xc[off];
    for (let i = 1; i < n; i++) {
      if (xc[off + i] !== t) {
        ju[j] = 1;
        break;
      }
    }
  }
  return ju;
}

/** Fits the whole regularisation path. Throws RgsError for input that cannot be modelled. */
export function fitGlmnet(x: DesignMatrix, y: GlmnetResponse, options: GlmnetOptions): GlmnetFit {
  const family = options.family;
  if (family !== 'gaussian' && family !== 'binomial' && family !== 'cox') {
    throw new RgsError(`glmnet: unknown family '${String(family)}' (use gaussian, binomial or cox)`, { field: 'family' });
  }
  const n0 = responseLength(y);
  if (n0 < 2) throw new RgsError(`glmnet: ${n0} observation(s); at least 2 are needed`, { field: 'y' });
  const alpha = options.alpha ?? 1;
  if (!(alpha >= 0 && alpha <= 1)) throw new RgsError(`glmnet: alpha = ${alpha}; alpha must be in [0, 1]`, { field: 'alpha' });
  const { xc: xc0, p } = prepareX(x, n0, options.p);
  if (p < 1) throw new RgsError('glmnet: x has no columns', { field: 'x' });
  const nlambda = options.nlambda ?? 100;
  if (!Number.isInteger(nlambda) || nlambda < 1) throw new RgsError(`glmnet: nlambda = ${nlambda}; must be a positive integer`, { field: 'nlambda' });
  const thresh = options.thresh ?? 1e-7;
  const maxit = options.maxit ?? 1e5;
  const standardize = options.standardize ?? true;

  // Weights.
  let weights = new Float64Array(n0).fill(1);
  if (options.weights !== undefined) {
    if (options.weights.length !== n0) throw new RgsError(`glmnet: ${options.weights.length} weights for ${n0} observations`, { field: 'weights' });
    weights = Float64Array.from(options.weights);
    let sw = 0;
    for (let i = 0; i < n0; i++) {
      if (!Number.isFinite(weights[i]) || weights[i] < 0) throw new RgsError(`glmnet: weights[${i}] is ${weights[i]}; weights must be finite and >= 0`, { field: 'weights' });
      sw += weights[i];
    }
    if (!(sw > 0)) throw new RgsError('glmnet: all weights are zero', { field: 'weights' });
  }

  // Penalty factors: Infinity excludes a variable; the rest are normalised to sum to p.
  const pf = new Float64Array(p).fill(1);
  const excluded = new Uint8Array(p);
  if (options.penaltyFactor !== undefined) {
    if (options.penaltyFactor.length !== p) throw new RgsError(`glmnet: ${options.penaltyFactor.length} penalty factors for ${p} variables`, { field: 'penaltyFactor' });
    for (let j = 0; j < p; j++) {
      const v = options.penaltyFactor[j];
      if (Number.isNaN(v) || v < 0) throw new RgsError(`glmnet: penaltyFactor[${j}] is ${v}; must be >= 0`, { field: 'penaltyFactor' });
      if (v === Infinity) {
        excluded[j] = 1;
        pf[j] = 1;
      } else pf[j] = v;
    }
  }
  let pfSum = 0;
  for (let j = 0; j < p; j++) pfSum += Math.max(0, pf[j]);
  if (!(pfSum > 0)) throw new RgsError('glmnet: every penalty factor is 0; at least one variable must be penalised', { field: 'penaltyFactor' });
  const vp = new Float64Array(p);
  for (let j = 0; j < p; j++) vp[j] = (Math.max(0, pf[j]) * p) / pfSum;

  // User lambdas, decreasing.
  let userLambda: Float64Array | null = null;
  if (options.lambda !== undefined) {
    const l = Array.from(options.lambda);
    if (l.length === 0) throw new RgsError('glmnet: empty lambda sequence', { field: 'lambda' });
    for (const v of l) if (!(v >= 0) || !Number.isFinite(v)) throw new RgsError(`glmnet: lambda ${v} is not a finite non-negative number`, { field: 'lambda' });
    userLambda = Float64Array.from(l.sort((a, b) => b - a));
  }

  // Binomial drops zero-weight observations as glmnet's lognet does.
  let n = n0;
  let xc = xc0;
  let keep: number[] | null = null;
  if (family === 'binomial') {
    const idx: number[] = [];
    for (let i = 0; i < n0; i++) if (weights[i] > 0) idx.push(i);
    if (idx.length < n0) {
      keep = idx;
      n = idx.length;
      xc = new Float64Array(n * p);
      for (let j = 0; j < p; j++) for (let r = 0; r < n; r++) xc[j * n + r] = xc0[j * n0 + idx[r]];
      weights = Float64Array.from(idx.map((i) => weights[i]));
    }
  }
  const lambdaMinRatio = options.lambdaMinRatio ?? (n0 < p ? 1e-2 : 1e-4);
  if (!(lambdaMinRatio > 0 && lambdaMinRatio < 1) && userLambda === null) {
    throw new RgsError(`glmnet: lambdaMinRatio = ${lambdaMinRatio}; must be in (0, 1)`, { field: 'lambdaMinRatio' });
  }

  const ju = usableColumns(xc, n, p);
  for (let j = 0; j < p; j++) if (excluded[j]) ju[j] = 0;
  if (!ju.some((v) => v === 1)) throw new RgsError('glmnet: every column of x is constant (or excluded); nothing to fit', { field: 'x' });

  const prepared: Prepared = { n, p, xc, weights };
  const settings: PathSettings = { alpha, userLambda, nlambda, lambdaMinRatio, thr: thresh, maxit, vp, ju };

  let fit: GlmnetFit;
  if (family === 'gaussian') fit = fitGaussian(prepared, y as ArrayLike<number>, settings, standardize, options.typeGaussian);
  else if (family === 'binomial') fit = fitBinomial(prepared, y as ArrayLike<number | boolean>, keep, settings, standardize);
  else fit = fitCoxnet(prepared, y as SurvivalOutcome, settings, standardize);
  fit.n = n0;
  return fit;
}

/** glmnet fix.lam: the first lambda of a default path (internally "infinite") becomes lambda_2^2 / lambda_3. */
function fixLambda(lambda: number[], user: boolean): number[] {
  if (user || lambda.length <= 2) return lambda;
  const out = lambda.slice();
  out[0] = Math.exp(2 * Math.log(lambda[1]) - Math.log(lambda[2]));
  return out;
}

function countNonZero(b: Float64Array): number {
  let c = 0;
  for (let j = 0; j < b.length; j++) if (b[j] !== 0) c++;
  return c;
}

function fitGaussian(pr: Prepared, yIn: ArrayLike<number>, s: PathSettings, isd: boolean, typeGaussian: 'covariance' | 'naive' | undefined): GlmnetFit {
  const { n, p, xc, weights } = pr;
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = yIn[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new RgsError(`glmnet (gaussian): y[${i}] is ${String(v)}; must be a finite number`, { field: 'y' });
    y[i] = v;
  }
  // glmnet `standard`: w normalised, columns centred and scaled by sqrt(w), then to unit norm.
  let sw = 0;
  for (let i = 0; i < n; i++) sw += weights[i];
  const w = weights.map((v) => v / sw);
  const sq = w.map(Math.sqrt);
  let ym = 0;
  for (let i = 0; i < n; i++) ym += w[i] * y[i];
  // R: nulldev = sum(w (y - weighted.mean(y, w))^2).
  let ybar = 0;
  for (let i = 0; i < n; i++) ybar += weights[i] * y[i];
  ybar /= sw;
  let nulldev = 0;
  let varies = false;
  for (let i = 0; i < n; i++) {
    nulldev += weights[i] * (y[i] - ybar) ** 2;
    if (weights[i] > 0 && y[i] !== y[0]) varies = true;
  }
  if (!varies || !(nulldev > 0)) throw new RgsError('glmnet (gaussian): y is constant; nothing to fit', { field: 'y' });
  const xs = new Float64Array(p).fill(1);
  const xm = new Float64Array(p);
  const xv = new Float64Array(p);
  const x = new Float64Array(n * p);
  for (let j = 0; j < p; j++) {
    if (!s.ju[j]) continue;
    const off = j * n;
    let m = 0;
    for (let i = 0; i < n; i++) m += w[i] * xc[off + i];
    xm[j] = m;
    let ss = 0;
    for (let i = 0; i < n; i++) {
      const v = sq[i] * (xc[off + i] - m);
      x[off + i] = v;
      ss += v * v;
    }
    xv[j] = ss;
    if (isd) {
      const sd = Math.sqrt(ss);
      xs[j] = sd;
      for (let i = 0; i < n; i++) x[off + i] /= sd;
      xv[j] = 1;
    }
  }
  const ys0 = new Float64Array(n);
  let yss = 0;
  for (let i = 0; i < n; i++) {
    ys0[i] = sq[i] * (y[i] - ym);
    yss += ys0[i] * ys0[i];
  }
  const ys = Math.sqrt(yss);
  for (let i = 0; i < n; i++) ys0[i] /= ys;
  const g = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    if (!s.ju[j]) continue;
    let d = 0;
    const off = j * n;
    for (let i = 0; i < n; i++) d += ys0[i] * x[off + i];
    g[j] = d;
  }
  const settings: PathSettings = s.userLambda ? { ...s, userLambda: s.userLambda.map((l) => l / ys) } : s;
  const useCov = (typeGaussian ?? (p < 500 ? 'covariance' : 'naive')) === 'covariance';
  const res: PathResult = useCov ? gaussianCovariancePath(x, n, p, g, xv, settings) : gaussianNaivePath(x, n, p, ys0, xv, settings);
  const beta = res.beta.map((a) => {
    const b = new Float64Array(p);
    for (let j = 0; j < p; j++) if (a[j] !== 0) b[j] = (ys * a[j]) / xs[j];
    return b;
  });
  const a0 = beta.map((b) => {
    let s0 = ym;
    for (let j = 0; j < p; j++) if (b[j] !== 0) s0 -= b[j] * xm[j];
    return s0;
  });
  return {
    family: 'gaussian',
    alpha: s.alpha,
    n,
    p,
    lambda: fixLambda(res.lambda.map((l) => l * ys), s.userLambda !== null),
    a0,
    beta,
    devRatio: res.devRatio,
    df: beta.map(countNonZero),
    nulldev,
    npasses: res.npasses,
    userLambda: s.userLambda !== null,
    warnings: res.warnings,
  };
}

/** lstandard1 / cstandard: centre with the normalised weights, optionally scale to unit weighted variance. */
function centreScale(pr: Prepared, w: Float64Array, ju: Uint8Array, isd: boolean): { x: Float64Array; xm: Float64Array; xs: Float64Array } {
  const { n, p, xc } = pr;
  const x = new Float64Array(n * p);
  const xm = new Float64Array(p);
  const xs = new Float64Array(p).fill(1);
  for (let j = 0; j < p; j++) {
    if (!ju[j]) continue;
    const off = j * n;
    let m = 0;
    for (let i = 0; i < n; i++) m += w[i] * xc[off + i];
    xm[j] = m;
    let ss = 0;
    for (let i = 0; i < n; i++) {
      const v = xc[off + i] - m;
      x[off + i] = v;
      ss += w[i] * v * v;
    }
    if (isd) {
      const sd = Math.sqrt(ss);
      xs[j] = sd;
      for (let i = 0; i < n; i++) x[off + i] /= sd;
    }
  }
  return { x, xm, xs };
}

function fitBinomial(pr: Prepared, yIn: ArrayLike<number | boolean>, keep: number[] | null, s: PathSettings, isd: boolean): GlmnetFit {
  const { n, p, weights } = pr;
  const y = new Float64Array(n);
  let n1 = 0;
  let n0 = 0;
  for (let r = 0; r < n; r++) {
    const i = keep ? keep[r] : r;
    const v = yIn[i];
    const b = typeof v === 'boolean' ? (v ? 1 : 0) : v;
    if (b !== 0 && b !== 1) throw new RgsError(`glmnet (binomial): y[${i}] is ${String(v)}; the response must be 0/1 (or boolean)`, { field: 'y' });
    y[r] = b;
    if (b === 1) n1++;
    else n0++;
  }
  if (Math.min(n0, n1) <= 1) {
    throw new RgsError(`glmnet (binomial): one class has ${Math.min(n0, n1)} observation(s); at least 2 per class are needed`, { field: 'y' });
  }
  let sw = 0;
  for (let i = 0; i < n; i++) sw += weights[i];
  const w = weights.map((v) => v / sw);
  const { x, xm, xs } = centreScale(pr, w, s.ju, isd);
  const res = binomialPath(x, n, p, y, w, s);
  const beta = res.beta.map((a) => {
    const b = new Float64Array(p);
    for (let j = 0; j < p; j++) if (a[j] !== 0) b[j] = a[j] / xs[j];
    return b;
  });
  const a0 = beta.map((b, k) => {
    let s0 = res.a0[k];
    for (let j = 0; j < p; j++) if (b[j] !== 0) s0 -= b[j] * xm[j];
    return s0;
  });
  return {
    family: 'binomial',
    alpha: s.alpha,
    n,
    p,
    lambda: fixLambda(res.lambda, s.userLambda !== null),
    a0,
    beta,
    devRatio: res.devRatio,
    df: beta.map(countNonZero),
    nulldev: 2 * sw * res.nulldev,
    npasses: res.npasses,
    userLambda: s.userLambda !== null,
    warnings: res.warnings,
  };
}

function fitCoxnet(pr: Prepared, yIn: SurvivalOutcome, s: PathSettings, isd: boolean): GlmnetFit {
  const { n, p, weights } = pr;
  if (!('time' in yIn) || !('status' in yIn)) throw new RgsError('glmnet (cox): y must be { time, status }', { field: 'y' });
  const surv = checkSurvival(yIn, undefined, 'glmnet (cox)');
  let events = 0;
  for (let i = 0; i < n; i++) {
    if (!(surv.time[i] > 0)) throw new RgsError(`glmnet (cox): time[${i}] is ${surv.time[i]}; survival times must be > 0`, { field: 'time' });
    if (surv.status[i] === 1 && weights[i] > 0) events++;
  }
  if (events < 2) throw new RgsError(`glmnet (cox): ${events} event(s); at least 2 events are needed`, { field: 'status' });
  // glmnet's coxnet shifts censored times up by 100 machine epsilons so a censoring tied
  // with a death stays in that death's risk set.
  const time = new Float64Array(n);
  for (let i = 0; i < n; i++) time[i] = surv.time[i] + (1 - surv.status[i]) * 100 * Number.EPSILON;
  let sw = 0;
  for (let i = 0; i < n; i++) sw += weights[i];
  const q = weights.map((v) => v / sw);
  const { x, xs } = centreScale(pr, q, s.ju, isd);
  const res = coxPath(x, n, p, time, surv.status, q, s);
  const beta = res.beta.map((a) => {
    const b = new Float64Array(p);
    for (let j = 0; j < p; j++) if (a[j] !== 0) b[j] = a[j] / xs[j];
    return b;
  });
  return {
    family: 'cox',
    alpha: s.alpha,
    n,
    p,
    lambda: fixLambda(res.lambda, s.userLambda !== null),
    a0: beta.map(() => 0),
    beta,
    devRatio: res.devRatio,
    df: beta.map(countNonZero),
    nulldev: 2 * sw * res.nulldev,
    npasses: res.npasses,
    userLambda: s.userLambda !== null,
    warnings: res.warnings,
  };
}

export { GLMNET_CONTROL };
