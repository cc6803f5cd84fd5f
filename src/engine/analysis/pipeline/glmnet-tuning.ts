/**
 * Choosing an elastic net's alpha and lambda by inner cross-validation of the training rows, as
 * R users do with cv.glmnet (glmnet 4.1): for each alpha the lambda path of the training rows is
 * cross-validated on the given inner folds (deviance; cv.glmnet's default measure), the curves of
 * several inner repetitions are averaged point by point (the path is the same in each, as it is
 * fitted on the same rows), alpha is the one with the lowest minimum deviance, and lambda is
 * lambda.min or lambda.1se of that alpha's curve. A fixed lambda needs no folds.
 */
import { RgsError } from '../../util/errors';
import { cvGlmnet } from '../glmnet/cv';
import { fitGlmnet, type GlmnetFit } from '../glmnet/fit';
import { coefficientsAt, type Coefficients } from '../glmnet/predict';
import type { SurvivalOutcome } from '../survival/input';
import type { Matrix } from './data';
import type { LambdaRule } from './spec';

export type GlmnetResponseOf<F extends 'binomial' | 'cox'> = F extends 'binomial' ? Int32Array : SurvivalOutcome;

export interface GlmnetTuning {
  fit: GlmnetFit;
  alpha: number;
  /** The lambda used. */
  lambda: number;
  coefficients: Coefficients;
  /** The averaged inner-CV deviance per path point of the chosen alpha (empty without tuning). */
  cvm: number[];
  cvsd: number[];
  /** Index of lambda.min and lambda.1se on the path (-1 without tuning). */
  indexMin: number;
  index1se: number;
  warnings: string[];
}

/** Whether any column of x has two different values (glmnet refuses data without one). */
export function hasVaryingColumn(x: Matrix): boolean {
  for (let j = 0; j < x.cols; j++) {
    const first = x.data[j];
    for (let i = 1; i < x.rows; i++) if (x.data[i * x.cols + j] !== first) return true;
  }
  return false;
}

/** The largest-lambda index attaining the minimum of cvm, and the largest lambda within one SE of it (cv.glmnet). */
export function lambdaIndices(lambda: readonly number[], cvm: readonly number[], cvsd: readonly number[]): { indexMin: number; index1se: number } {
  let best = Infinity;
  for (const m of cvm) if (m < best) best = m;
  let indexMin = -1;
  for (let l = 0; l < cvm.length; l++) if (cvm[l] <= best && (indexMin < 0 || lambda[l] > lambda[indexMin])) indexMin = l;
  const limit = cvm[indexMin] + cvsd[indexMin];
  let index1se = -1;
  for (let l = 0; l < cvm.length; l++) if (cvm[l] <= limit && (index1se < 0 || lambda[l] > lambda[index1se])) index1se = l;
  return { indexMin, index1se };
}

/**
 * Tunes (or, with a fixed lambda and one alpha, just fits) a binomial or Cox elastic net on the
 * rows of x. `foldIds` are the inner folds (1..K per row), one array per repetition.
 */
export function tuneGlmnet(
  x: Matrix,
  y: Int32Array | SurvivalOutcome,
  family: 'binomial' | 'cox',
  alphas: readonly number[],
  rule: LambdaRule,
  foldIds: readonly Int32Array[],
): GlmnetTuning {
  const p = x.cols;
  if (typeof rule === 'number' && alphas.length === 1) {
    const fit = fitGlmnet(x.data, y, { family, alpha: alphas[0], p });
    return { fit, alpha: alphas[0], lambda: rule, coefficients: coefficientsAt(fit, { lambda: rule }), cvm: [], cvsd: [], indexMin: -1, index1se: -1, warnings: fit.warnings };
  }
  if (foldIds.length === 0) {
    throw new RgsError('glmnet tuning: lambda or alpha is to be tuned but the validation has no inner folds (use nested_cv or fix lambda)', { field: 'lambda' });
  }
  let best: GlmnetTuning | null = null;
  let bestScore = Infinity;
  for (const alpha of alphas) {
    let fit: GlmnetFit | null = null;
    let sumM: number[] = [];
    let sumS: number[] = [];
    const warnings: string[] = [];
    for (const foldId of foldIds) {
      const cv = cvGlmnet(x.data, y, { family, alpha, p, foldId });
      warnings.push(...cv.warnings);
      if (fit === null) {
        fit = cv.fit;
        sumM = cv.cvm.slice();
        sumS = cv.cvsd.slice();
      } else {
        for (let l = 0; l < sumM.length; l++) {
          sumM[l] += cv.cvm[l];
          sumS[l] += cv.cvsd[l];
        }
      }
    }
    if (fit === null) throw new Error('unreachable: no inner folds');
    const r = foldIds.length;
    const cvm = sumM.map((v) => v / r);
    const cvsd = sumS.map((v) => v / r);
    const { indexMin, index1se } = lambdaIndices(fit.lambda, cvm, cvsd);
    const score = cvm[indexMin];
    if (best === null || score < bestScore) {
      bestScore = score;
      const index = typeof rule === 'number' ? -1 : rule === 'min' ? indexMin : index1se;
      const lambda = typeof rule === 'number' ? rule : fit.lambda[index];
      const coefficients = typeof rule === 'number' ? coefficientsAt(fit, { lambda: rule }) : coefficientsAt(fit, index);
      best = { fit, alpha, lambda, coefficients, cvm, cvsd, indexMin, index1se, warnings };
    }
  }
  if (best === null) throw new Error('unreachable: no alpha');
  return best;
}

/**
 * The path index at which each feature first has a non-zero coefficient (fit.lambda.length when
 * never): the order in which the lasso admits features.
 */
export function entryOrder(fit: GlmnetFit): Int32Array {
  const entry = new Int32Array(fit.p).fill(fit.lambda.length);
  for (let l = fit.beta.length - 1; l >= 0; l--) {
    const b = fit.beta[l];
    for (let j = 0; j < fit.p; j++) if (b[j] !== 0) entry[j] = l;
  }
  return entry;
}

/**
 * Ranks features for a cap: earlier entry into the path first, then larger |coefficient| at
 * `beta`, then lower column index. Returns the first `k` of `candidates`.
 */
export function firstToEnter(fit: GlmnetFit, beta: Float64Array, candidates: readonly number[], k: number): number[] {
  const entry = entryOrder(fit);
  return [...candidates]
    .sort((a, b) => entry[a] - entry[b] || Math.abs(beta[b]) - Math.abs(beta[a]) || a - b)
    .slice(0, k);
}
