/**
 * Predictions and coefficients from a glmnet path at a path index or at any lambda, the
 * latter interpolated linearly in lambda between the neighbouring path points as glmnet's
 * predict(..., s = lambda) (lambda.interp; values beyond the path ends are clamped to the
 * first / last solution).
 */
import { RgsError } from '../../util/errors';
import type { DesignMatrix } from '../survival/input';
import type { GlmnetFit } from './fit';

export type GlmnetPredictType = 'link' | 'response';

/** Where on the path: a 0-based index into fit.lambda, or a lambda value. */
export type PathPoint = number | { lambda: number };

export interface Coefficients {
  a0: number;
  beta: Float64Array;
}

/** glmnet lambda.interp for one value s: left/right path indices and the weight of the left one. */
function interpolationWeights(lambda: number[], s: number): { left: number; right: number; frac: number } {
  const k = lambda.length;
  if (k === 1) return { left: 0, right: 0, frac: 1 };
  const l0 = lambda[0];
  const range = l0 - lambda[k - 1];
  // Positions on [0, 1] along the path, clamped to the path.
  let sf = (l0 - s) / range;
  const pos = lambda.map((l) => (l0 - l) / range);
  const lo = Math.min(...pos);
  const hi = Math.max(...pos);
  if (sf < lo) sf = lo;
  if (sf > hi) sf = hi;
  // approx(pos, 1:k, sf): fractional index, then floor / ceil.
  let coord = 0;
  for (let i = 0; i < k - 1; i++) {
    if (sf >= pos[i] && sf <= pos[i + 1]) {
      coord = sf === pos[i + 1] ? i + 1 : i + (pos[i + 1] === pos[i] ? 0 : (sf - pos[i]) / (pos[i + 1] - pos[i]));
      break;
    }
    if (i === k - 2) coord = k - 1;
  }
  const left = Math.floor(coord);
  const right = Math.ceil(coord);
  let frac = (sf - pos[right]) / (pos[left] - pos[right]);
  if (left === right || Math.abs(pos[left] - pos[right]) < Number.EPSILON) frac = 1;
  return { left, right, frac };
}

/** Coefficients (original scale) at a path index or an interpolated lambda. */
export function coefficientsAt(fit: GlmnetFit, at: PathPoint): Coefficients {
  if (fit.lambda.length === 0) throw new RgsError('glmnet prediction: the fit has no path points', { field: 'fit' });
  if (typeof at === 'number') {
    if (!Number.isInteger(at) || at < 0 || at >= fit.lambda.length) {
      throw new RgsError(`glmnet prediction: lambda index ${at} outside 0..${fit.lambda.length - 1}`, { field: 'lambda' });
    }
    return { a0: fit.a0[at], beta: fit.beta[at] };
  }
  if (!Number.isFinite(at.lambda) || at.lambda < 0) throw new RgsError(`glmnet prediction: lambda ${at.lambda} is not a finite non-negative number`, { field: 'lambda' });
  const { left, right, frac } = interpolationWeights(fit.lambda, at.lambda);
  const bl = fit.beta[left];
  const br = fit.beta[right];
  const beta = new Float64Array(fit.p);
  for (let j = 0; j < fit.p; j++) beta[j] = bl[j] * frac + br[j] * (1 - frac);
  return { a0: fit.a0[left] * frac + fit.a0[right] * (1 - frac), beta };
}

/** Linear predictor a0 + x b for row-major x (n x p) or rows. */
export function linearPredictor(coef: Coefficients, x: DesignMatrix, p: number): Float64Array {
  if (x instanceof Float64Array) {
    if (x.length % p !== 0) throw new RgsError(`glmnet prediction: x has ${x.length} values, not a multiple of p = ${p}`, { field: 'x' });
    const n = x.length / p;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = coef.a0;
      const off = i * p;
      for (let j = 0; j < p; j++) s += x[off + j] * coef.beta[j];
      out[i] = s;
    }
    return out;
  }
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const row = x[i];
    if (row.length !== p) throw new RgsError(`glmnet prediction: row ${i} has ${row.length} values, expected ${p}`, { field: 'x' });
    let s = coef.a0;
    for (let j = 0; j < p; j++) s += row[j] * coef.beta[j];
    out[i] = s;
  }
  return out;
}

/**
 * Predictions for new rows: 'link' = a0 + x b; 'response' = the same for gaussian, the
 * probability of class 1 for binomial, the relative risk exp(x b) for cox.
 */
export function predictGlmnet(fit: GlmnetFit, x: DesignMatrix, at: PathPoint, type: GlmnetPredictType = 'link'): Float64Array {
  const eta = linearPredictor(coefficientsAt(fit, at), x, fit.p);
  if (type === 'link' || fit.family === 'gaussian') return eta;
  if (fit.family === 'binomial') return eta.map((e) => 1 / (1 + Math.exp(-e)));
  return eta.map(Math.exp);
}
