/**
 * The models, fitted on the training block that leaves the pipeline's stages, with their
 * hyper-parameters chosen by inner cross-validation of that block only:
 *
 * - logistic: penalised logistic regression, glmnet binomial with an unpenalised intercept;
 *   alpha (grid) and lambda (min / 1se / fixed) by inner-CV deviance (glmnet-tuning.ts).
 * - random_forest: mtry and min_node_size grids by inner-CV AUC.
 * - svm: cost and gamma grids by inner-CV AUC of the decision values; the final fit adds
 *   seeded Platt probabilities.
 * - cox: unpenalised Cox PH (Efron ties); lasso_cox: glmnet Cox, tuned as logistic.
 *
 * Balancing (SMOTE, oversampling) is part of model fitting: it is applied to each inner
 * training fold before a candidate is fitted, and to the whole block before the final fit, so
 * synthetic rows never cross from an inner training fold into the inner test fold that scores
 * it. Without balancing, glmnet models are tuned by cv.glmnet itself (glmnet parity).
 *
 * A block without usable features (e.g. the lasso selected none) gives a constant model: the
 * training prevalence for binary outcomes, a zero risk score for survival outcomes.
 */
import type { JsonValue } from '../../schema/json-schema';
import { RgsError } from '../../util/errors';
import { fitRandomForestClassifier, predictForestPositive } from '../forest/random-forest';
import { fitGlmnet } from '../glmnet/fit';
import { coefficientsAt, linearPredictor, type Coefficients } from '../glmnet/predict';
import { aucMannWhitney } from '../metrics/roc';
import { fitCox, predictCox } from '../survival/cox';
import { fitSvm, predictSvmProbability, svmDecisionFunction } from '../svm';
import { alignColumns, subsetRows, type StepData } from './data';
import { hasVaryingColumn, lambdaIndices, tuneGlmnet } from './glmnet-tuning';
import type { ModelSpec, ModelType } from './spec';
import { fitStep, type FitContext, type PipelineStep } from './steps';

export interface ModelTerm {
  term: string;
  kind: 'intercept' | 'coefficient' | 'importance';
  value: number;
}

export interface FittedModel {
  readonly name: string;
  readonly type: ModelType;
  /** P(class 1) for a binary outcome; the risk score (linear predictor, higher = worse) for survival. */
  predict(data: StepData): Float64Array;
  /** The hyper-parameters used (chosen or fixed). */
  readonly hyper: Record<string, number | string>;
  readonly terms: ModelTerm[];
  /** Features with a non-zero coefficient or importance. */
  readonly used: string[];
  /** Everything needed to apply the model, as plain data. */
  readonly state: JsonValue;
}

/** Fits a model on `train` (before balancing); `balancing` is applied inside. */
export function fitModel(spec: ModelSpec, train: StepData, balancing: PipelineStep | null, ctx: FitContext): FittedModel {
  ctx.record?.(`model:${spec.name}`, train.rows);
  switch (spec.type) {
    case 'logistic':
      return fitLogistic(spec, train, balancing, ctx);
    case 'random_forest':
      return fitForest(spec, train, balancing, ctx);
    case 'svm':
      return fitSvmModel(spec, train, balancing, ctx);
    case 'cox':
      return fitCoxModel(spec, train);
    case 'lasso_cox':
      return fitLassoCox(spec, train, ctx);
  }
}

// ---------------------------------------------------------------------------------------------
// Shared helpers

function balance(block: StepData, balancing: PipelineStep | null, ctx: FitContext): StepData {
  return balancing === null ? block : fitStep(balancing, block, ctx).train;
}

function labelsOf(block: StepData, model: string): Int32Array {
  if (block.target.kind !== 'binary') throw new RgsError(`analysis.models: ${model} needs a binary outcome`, { field: 'analysis.models' });
  return block.target.y;
}

function prevalence(y: Int32Array): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += y[i];
  return y.length > 0 ? s / y.length : NaN;
}

function constantModel(spec: ModelSpec, value: number, note: string): FittedModel {
  return {
    name: spec.name,
    type: spec.type,
    predict: (d) => new Float64Array(d.x.rows).fill(value),
    hyper: { constant: note },
    terms: [{ term: '(intercept)', kind: 'intercept', value }],
    used: [],
    state: { type: spec.type, constant: value, reason: note },
  };
}

/** The positions (in the block) of each inner fold's training and test rows, per repetition. */
function innerSplits(foldId: Int32Array): { train: Int32Array; test: Int32Array }[] {
  let k = 0;
  for (const f of foldId) k = Math.max(k, f);
  const out: { train: Int32Array; test: Int32Array }[] = [];
  for (let f = 1; f <= k; f++) {
    const tr: number[] = [];
    const te: number[] = [];
    foldId.forEach((v, i) => (v === f ? te : tr).push(i));
    out.push({ train: Int32Array.from(tr), test: Int32Array.from(te) });
  }
  return out;
}

/**
 * Inner-CV AUC of each candidate: per repetition, every inner fold's training rows are balanced
 * and fitted, its test rows scored; the pooled inner out-of-fold AUC is averaged over
 * repetitions. Returns the index of the best candidate (first on ties).
 */
function tuneByInnerAuc<C>(
  candidates: readonly C[],
  train: StepData,
  balancing: PipelineStep | null,
  ctx: FitContext,
  score: (c: C, fitRows: StepData, testRows: StepData) => Float64Array,
): { best: number; auc: number[] } {
  if (candidates.length === 1) return { best: 0, auc: [NaN] };
  if (ctx.innerFoldIds.length === 0) throw new RgsError('model tuning: a hyper-parameter grid needs inner folds (use nested_cv or fix the value)', { field: 'analysis.models' });
  const y = labelsOf(train, 'tuning');
  const sum = new Float64Array(candidates.length);
  for (const foldId of ctx.innerFoldIds) {
    const oof = candidates.map(() => new Float64Array(train.x.rows));
    for (const split of innerSplits(foldId)) {
      const fitRows = balance(subsetRows(train, split.train), balancing, ctx);
      ctx.record?.('model:inner-fold', fitRows.rows);
      const testRows = subsetRows(train, split.test);
      candidates.forEach((c, ci) => {
        const pred = score(c, fitRows, testRows);
        split.test.forEach((pos, k) => (oof[ci][pos] = pred[k]));
      });
    }
    candidates.forEach((_, ci) => (sum[ci] += aucMannWhitney(y, oof[ci])));
  }
  const auc = Array.from(sum, (s) => s / ctx.innerFoldIds.length);
  let best = 0;
  for (let ci = 1; ci < auc.length; ci++) if (auc[ci] > auc[best]) best = ci;
  return { best, auc };
}

function glmnetTerms(features: readonly string[], coef: Coefficients, intercept: boolean): { terms: ModelTerm[]; used: string[] } {
  const terms: ModelTerm[] = intercept ? [{ term: '(intercept)', kind: 'intercept', value: coef.a0 }] : [];
  const used: string[] = [];
  features.forEach((f, j) => {
    terms.push({ term: f, kind: 'coefficient', value: coef.beta[j] });
    if (coef.beta[j] !== 0) used.push(f);
  });
  return { terms, used };
}

function linearModel(
  spec: ModelSpec,
  features: readonly string[],
  coef: Coefficients,
  link: 'logit' | 'identity',
  hyper: Record<string, number | string>,
  extra: Record<string, JsonValue> = {},
): FittedModel {
  const { terms, used } = glmnetTerms(features, coef, link === 'logit');
  return {
    name: spec.name,
    type: spec.type,
    predict: (d) => {
      const a = alignColumns(d, features);
      const eta = linearPredictor(coef, a.x.data, features.length);
      return link === 'logit' ? eta.map((e) => 1 / (1 + Math.exp(-e))) : eta;
    },
    hyper,
    terms,
    used,
    state: {
      type: spec.type,
      link,
      features: [...features],
      intercept: link === 'logit' ? coef.a0 : 0,
      coefficients: Array.from(coef.beta),
      ...extra,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Penalised logistic regression

function fitLogistic(spec: Extract<ModelSpec, { type: 'logistic' }>, train: StepData, balancing: PipelineStep | null, ctx: FitContext): FittedModel {
  const y = labelsOf(train, spec.name);
  if (train.x.cols === 0 || !hasVaryingColumn(train.x)) return constantModel(spec, prevalence(labelsOf(balance(train, balancing, ctx), spec.name)), 'no features');
  if (balancing === null) {
    const t = tuneGlmnet(train.x, y, 'binomial', spec.alpha, spec.lambda, ctx.innerFoldIds);
    for (const w of t.warnings) ctx.warn(`${spec.name}: ${w}`);
    return linearModel(spec, train.features, t.coefficients, 'logit', { alpha: t.alpha, lambda: t.lambda });
  }
  return fitLogisticBalanced(spec, train, balancing, ctx);
}

/**
 * Logistic elastic net with balancing inside the inner folds: the lambda path of the balanced
 * block, then per inner fold a fit of its balanced training rows on that path and the binomial
 * deviance of its (unbalanced) test rows, averaged as cv.glmnet (grouped, fold-weighted, with
 * the standard error over folds).
 */
function fitLogisticBalanced(spec: Extract<ModelSpec, { type: 'logistic' }>, train: StepData, balancing: PipelineStep, ctx: FitContext): FittedModel {
  const full = balance(train, balancing, ctx);
  const p = train.x.cols;
  let best: { alpha: number; coef: Coefficients; lambda: number; score: number } | null = null;
  for (const alpha of spec.alpha) {
    const fit = fitGlmnet(full.x.data, labelsOf(full, spec.name), { family: 'binomial', alpha, p });
    if (typeof spec.lambda === 'number' && spec.alpha.length === 1) {
      return linearModel(spec, train.features, coefficientsAt(fit, { lambda: spec.lambda }), 'logit', { alpha, lambda: spec.lambda });
    }
    if (ctx.innerFoldIds.length === 0) throw new RgsError(`${spec.name}: lambda or alpha is to be tuned but the validation has no inner folds`, { field: 'analysis.models' });
    const L = fit.lambda.length;
    const sumM = new Float64Array(L);
    const sumS = new Float64Array(L);
    for (const foldId of ctx.innerFoldIds) {
      const splits = innerSplits(foldId);
      const foldLoss: Float64Array[] = [];
      const weights: number[] = [];
      for (const split of splits) {
        const fitRows = balance(subsetRows(train, split.train), balancing, ctx);
        ctx.record?.('model:inner-fold', fitRows.rows);
        const test = subsetRows(train, split.test);
        const yt = labelsOf(test, spec.name);
        const loss = new Float64Array(L);
        if (hasVaryingColumn(fitRows.x)) {
          const fk = fitGlmnet(fitRows.x.data, labelsOf(fitRows, spec.name), { family: 'binomial', alpha, p, lambda: fit.lambda });
          for (let l = 0; l < L; l++) {
            const eta = linearPredictor(coefficientsAt(fk, { lambda: fit.lambda[l] }), test.x.data, p);
            loss[l] = binomialDeviance(yt, eta);
          }
        } else {
          loss.fill(binomialDeviance(yt, new Float64Array(yt.length).fill(Math.log(prevalence(labelsOf(fitRows, spec.name)) / (1 - prevalence(labelsOf(fitRows, spec.name)))))));
        }
        foldLoss.push(loss);
        weights.push(split.test.length);
      }
      const wSum = weights.reduce((a, b) => a + b, 0);
      for (let l = 0; l < L; l++) {
        let m = 0;
        foldLoss.forEach((fl, k) => (m += (weights[k] * fl[l]) / wSum));
        let v = 0;
        foldLoss.forEach((fl, k) => (v += (weights[k] * (fl[l] - m) ** 2) / wSum));
        sumM[l] += m;
        sumS[l] += Math.sqrt(v / (splits.length - 1));
      }
    }
    const r = ctx.innerFoldIds.length;
    const cvm = Array.from(sumM, (v) => v / r);
    const cvsd = Array.from(sumS, (v) => v / r);
    const { indexMin, index1se } = lambdaIndices(fit.lambda, cvm, cvsd);
    const index = spec.lambda === 'min' ? indexMin : index1se;
    const lambda = typeof spec.lambda === 'number' ? spec.lambda : fit.lambda[index];
    const coef = typeof spec.lambda === 'number' ? coefficientsAt(fit, { lambda }) : coefficientsAt(fit, index);
    if (best === null || cvm[indexMin] < best.score) best = { alpha, coef, lambda, score: cvm[indexMin] };
  }
  if (best === null) throw new Error('unreachable: no alpha');
  return linearModel(spec, train.features, best.coef, 'logit', { alpha: best.alpha, lambda: best.lambda });
}

/** Mean binomial deviance of linear predictors, probabilities clamped to [1e-5, 1 - 1e-5] as cv.glmnet. */
function binomialDeviance(y: Int32Array, eta: Float64Array): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) {
    const p = Math.min(Math.max(1 / (1 + Math.exp(-eta[i])), 1e-5), 1 - 1e-5);
    s += -2 * (y[i] * Math.log(p) + (1 - y[i]) * Math.log(1 - p));
  }
  return s / y.length;
}

// ---------------------------------------------------------------------------------------------
// Random forest

function fitForest(spec: Extract<ModelSpec, { type: 'random_forest' }>, train: StepData, balancing: PipelineStep | null, ctx: FitContext): FittedModel {
  labelsOf(train, spec.name);
  const p = train.x.cols;
  if (p === 0) return constantModel(spec, prevalence(labelsOf(balance(train, balancing, ctx), spec.name)), 'no features');
  const mtrys = [...new Set((spec.mtry ?? [Math.max(1, Math.floor(Math.sqrt(p)))]).map((m) => Math.min(m, p)))];
  const candidates: { mtry: number; minNodeSize: number }[] = [];
  for (const mtry of mtrys) for (const minNodeSize of spec.minNodeSize) candidates.push({ mtry, minNodeSize });
  const { best, auc } = tuneByInnerAuc(candidates, train, balancing, ctx, (c, fitRows, testRows) => {
    const forest = fitRandomForestClassifier(fitRows.x, labelsOf(fitRows, spec.name), { seed: ctx.rng.fork(), trees: spec.trees, mtry: c.mtry, minNodeSize: c.minNodeSize });
    return predictForestPositive(forest, testRows.x);
  });
  const chosen = candidates[best];
  const full = balance(train, balancing, ctx);
  const forest = fitRandomForestClassifier(full.x, labelsOf(full, spec.name), { seed: ctx.rng.fork(), trees: spec.trees, mtry: chosen.mtry, minNodeSize: chosen.minNodeSize });
  const features = train.features;
  const imp = forest.importance.impurity;
  return {
    name: spec.name,
    type: spec.type,
    predict: (d) => predictForestPositive(forest, alignColumns(d, features).x),
    hyper: { trees: spec.trees, mtry: chosen.mtry, min_node_size: chosen.minNodeSize, ...(candidates.length > 1 ? { inner_auc: auc[best] } : {}) },
    terms: features.map((f, j) => ({ term: f, kind: 'importance' as const, value: imp[j] })),
    used: features.filter((_, j) => imp[j] > 0),
    state: {
      type: 'random_forest',
      features: [...features],
      mtry: chosen.mtry,
      min_node_size: chosen.minNodeSize,
      // Each tree: go left when x[feature] <= threshold; leaves (feature -1) hold P(class 1).
      trees: forest.trees.map((t) => ({
        feature: Array.from(t.feature),
        threshold: Array.from(t.threshold, (v) => (Number.isFinite(v) ? v : null)),
        left: Array.from(t.left),
        right: Array.from(t.right),
        p1: Array.from({ length: t.nodeCount }, (_, k) => t.value[k * t.outputs + 1]),
      })),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Support vector machine

function fitSvmModel(spec: Extract<ModelSpec, { type: 'svm' }>, train: StepData, balancing: PipelineStep | null, ctx: FitContext): FittedModel {
  labelsOf(train, spec.name);
  const p = train.x.cols;
  if (p === 0) return constantModel(spec, prevalence(labelsOf(balance(train, balancing, ctx), spec.name)), 'no features');
  const gammas = spec.kernel === 'linear' ? [NaN] : (spec.gamma ?? [1 / p]);
  const candidates: { cost: number; gamma: number }[] = [];
  for (const cost of spec.cost) for (const gamma of gammas) candidates.push({ cost, gamma });
  const options = (c: { cost: number; gamma: number }) => ({ kernel: spec.kernel, cost: c.cost, ...(spec.kernel === 'rbf' ? { gamma: c.gamma } : {}) });
  const { best, auc } = tuneByInnerAuc(candidates, train, balancing, ctx, (c, fitRows, testRows) => {
    const m = fitSvm(fitRows.x, labelsOf(fitRows, spec.name), options(c));
    return svmDecisionFunction(m, testRows.x);
  });
  const chosen = candidates[best];
  const full = balance(train, balancing, ctx);
  const model = fitSvm(full.x, labelsOf(full, spec.name), { ...options(chosen), probability: true, seed: ctx.rng.fork() });
  const features = train.features;
  const terms: ModelTerm[] =
    model.weights === undefined
      ? []
      : [{ term: '(intercept)', kind: 'intercept', value: model.bias }, ...features.map((f, j) => ({ term: f, kind: 'coefficient' as const, value: model.weights![j] }))];
  return {
    name: spec.name,
    type: spec.type,
    predict: (d) => predictSvmProbability(model, alignColumns(d, features).x),
    hyper: {
      kernel: spec.kernel,
      cost: chosen.cost,
      ...(spec.kernel === 'rbf' ? { gamma: model.gamma } : {}),
      support_vectors: model.supportIndices.length,
      ...(candidates.length > 1 ? { inner_auc: auc[best] } : {}),
    },
    terms,
    used: model.weights === undefined ? [...features] : features.filter((_, j) => model.weights![j] !== 0),
    state: {
      type: 'svm',
      features: [...features],
      kernel: spec.kernel,
      cost: chosen.cost,
      gamma: Number.isFinite(model.gamma) ? model.gamma : null,
      bias: model.bias,
      coefficients: Array.from(model.coefficients),
      support_vectors: Array.from({ length: model.supportIndices.length }, (_, k) => Array.from(model.supportVectors.subarray(k * p, (k + 1) * p))),
      platt: model.platt === undefined ? null : { probA: model.platt.probA, probB: model.platt.probB },
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Survival models

function survivalOf(block: StepData, model: string): { time: Float64Array; status: Uint8Array } {
  if (block.target.kind !== 'survival') throw new RgsError(`analysis.models: ${model} needs a survival outcome`, { field: 'analysis.models' });
  return { time: block.target.time, status: block.target.status };
}

function fitCoxModel(spec: Extract<ModelSpec, { type: 'cox' }>, train: StepData): FittedModel {
  const outcome = survivalOf(train, spec.name);
  const p = train.x.cols;
  if (p === 0) return constantModel(spec, 0, 'no features');
  const fit = fitCox(train.x.data, outcome, { p, names: [...train.features] });
  const features = train.features;
  const beta = fit.coefficients.map((c) => (Number.isFinite(c) ? c : 0));
  return {
    name: spec.name,
    type: spec.type,
    predict: (d) => predictCox(fit, alignColumns(d, features).x.data, 'lp'),
    hyper: { ties: fit.ties, converged: fit.converged ? 'yes' : 'no' },
    terms: features.map((f, j) => ({ term: f, kind: 'coefficient' as const, value: beta[j] })),
    used: features.filter((_, j) => beta[j] !== 0),
    state: { type: 'cox', link: 'identity', features: [...features], intercept: 0, coefficients: beta, hazard_ratios: fit.hazardRatio.map((h) => (Number.isFinite(h) ? h : null)) },
  };
}

function fitLassoCox(spec: Extract<ModelSpec, { type: 'lasso_cox' }>, train: StepData, ctx: FitContext): FittedModel {
  const outcome = survivalOf(train, spec.name);
  if (train.x.cols === 0 || !hasVaryingColumn(train.x)) return constantModel(spec, 0, 'no features');
  const t = tuneGlmnet(train.x, outcome, 'cox', spec.alpha, spec.lambda, ctx.innerFoldIds);
  for (const w of t.warnings) ctx.warn(`${spec.name}: ${w}`);
  return linearModel(spec, train.features, t.coefficients, 'identity', { alpha: t.alpha, lambda: t.lambda });
}
