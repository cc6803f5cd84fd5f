/**
 * The fitted stages of the pipeline. Every stage has one shape: `fit(train, ctx)` sees only the
 * training block it is given (data.ts) and returns a FittedStep whose `transform` applies the
 * fitted parameters to any other block (a test fold) without looking at its outcome. Balancing is
 * the one stage that changes the training block itself (it adds rows); its `transform` is the
 * identity, so test rows are never resampled.
 *
 * Stages, in the fixed order of the pipeline (schema.ts explains why the order is fixed):
 * imputation (median / mean), harmonisation (ComBat by site), scaling (z-score / robust),
 * filters (near-zero variance, correlation, univariate), selection (lasso / elastic net, mRMR,
 * Boruta) and balancing (SMOTE, random oversampling).
 */
import type { JsonValue } from '../../schema/json-schema';
import { RgsError } from '../../util/errors';
import { randomOversample } from '../balance/random-oversample';
import { smote } from '../balance/smote';
import { trainingSet } from '../balance/training-set';
import { boruta, tentativeRoughFix } from '../boruta';
import { coxScoreZ, type FilterOutcome } from '../filters/association';
import { correlationFilter } from '../filters/correlation';
import { nearZeroVariance } from '../filters/near-zero-variance';
import { adjustPValues, univariateFilter } from '../filters/univariate';
import { fitGlmnet } from '../glmnet/fit';
import { normalCdf } from '../metrics/distributions';
import { mrmr } from '../mrmr';
import type { Rng } from '../random';
import { applyCombat, combatState, fitCombat } from './combat';
import { alignColumns, medianOf, quantileOf, selectColumns, withX, type StepData, type Target } from './data';
import { firstToEnter, hasVaryingColumn, tuneGlmnet } from './glmnet-tuning';
import type { BalancingSpec, FilterSpec, HarmonisationSpec, ImputationSpec, ScalingSpec, SelectionSpec } from './spec';

export type StepKind = 'imputation' | 'harmonisation' | 'scaling' | 'filter' | 'selection' | 'balancing' | 'custom';

export interface FitContext {
  /** The stage's own generator (forked per stage and fold, so results do not depend on other stages). */
  readonly rng: Rng;
  /**
   * Inner-CV fold (1..K) of each row of the training block, one array per inner repetition, for
   * stages that tune; empty when the validation has no inner folds.
   */
  readonly innerFoldIds: readonly Int32Array[];
  readonly warn: (message: string) => void;
  /** Instrumentation: called with the rows of every block a stage or model is fitted on. */
  readonly record?: (stage: string, rows: Int32Array) => void;
}

export interface FittedStep {
  readonly name: string;
  readonly kind: StepKind;
  /** The training block after this stage (balancing: with the added rows). */
  readonly train: StepData;
  /** Applies the fitted stage to another block; never adds, drops or reorders rows. */
  transform(data: StepData): StepData;
  /** The fitted parameters as plain data (for the final-model JSON). */
  readonly state: JsonValue;
}

export interface PipelineStep {
  readonly name: string;
  readonly kind: StepKind;
  fit(train: StepData, ctx: FitContext): FittedStep;
}

/** Fits a stage, reporting the rows it is given to the recorder first. */
export function fitStep(step: PipelineStep, train: StepData, ctx: FitContext): FittedStep {
  ctx.record?.(step.name, train.rows);
  return step.fit(train, ctx);
}

/** A fitted chain of stages. */
export interface FittedPipeline {
  readonly steps: readonly FittedStep[];
  /** The training block after the last stage. */
  readonly train: StepData;
  transform(data: StepData): StepData;
}

/**
 * Fits the stages in order, each on the output of the previous one. `ctxFor(i)` gives stage i
 * its context (its own generator). Stages must not change the rows (balancing is fitted
 * separately, by the models, inside their own folds).
 */
export function fitPipeline(steps: readonly PipelineStep[], train: StepData, ctxFor: (i: number) => FitContext): FittedPipeline {
  const fitted: FittedStep[] = [];
  let current = train;
  steps.forEach((s, i) => {
    const f = fitStep(s, current, ctxFor(i));
    if (f.train.x.rows !== current.x.rows) throw new Error(`pipeline: stage ${s.name} changed the number of training rows`);
    fitted.push(f);
    current = f.train;
  });
  return {
    steps: fitted,
    train: current,
    transform: (data) => fitted.reduce((d, f) => f.transform(d), data),
  };
}

// ---------------------------------------------------------------------------------------------
// Stages that keep or drop columns

/** A fitted stage that keeps `keep` columns of its input and changes nothing else. */
function columnStage(name: string, kind: StepKind, train: StepData, keep: readonly number[], state: JsonValue): FittedStep {
  const sorted = [...keep].sort((a, b) => a - b);
  const kept = selectColumns(train, sorted);
  const names = kept.features;
  return { name, kind, train: kept, transform: (d) => alignColumns(d, names), state };
}

/** The outcome of a block in the form the filters take. */
function filterOutcome(t: Target): FilterOutcome {
  return t.kind === 'binary' ? { kind: 'binary', y: t.y } : { kind: 'survival', time: t.time, status: t.status };
}

// ---------------------------------------------------------------------------------------------
// Imputation

export function imputationStep(spec: ImputationSpec): PipelineStep {
  const name = `imputation:${spec.method}`;
  return {
    name,
    kind: 'imputation',
    fit(train, ctx) {
      const { rows: n, cols: p, data } = train.x;
      const value = new Float64Array(p);
      const column = new Float64Array(n);
      const keep: number[] = [];
      for (let j = 0; j < p; j++) {
        let sum = 0;
        let count = 0;
        for (let i = 0; i < n; i++) {
          const v = data[i * p + j];
          column[i] = v;
          if (Number.isFinite(v)) {
            sum += v;
            count++;
          }
        }
        value[j] = spec.method === 'median' ? medianOf(column) : count > 0 ? sum / count : NaN;
        if (Number.isFinite(value[j])) keep.push(j);
      }
      if (keep.length < p) ctx.warn(`imputation: ${p - keep.length} feature(s) missing in every training row were dropped`);
      const names = keep.map((j) => train.features[j]);
      const fill = keep.map((j) => value[j]);
      const apply = (d: StepData): StepData => {
        const a = alignColumns(d, names);
        const out = Float64Array.from(a.x.data);
        const q = names.length;
        for (let i = 0; i < a.x.rows; i++) {
          for (let k = 0; k < q; k++) if (!Number.isFinite(out[i * q + k])) out[i * q + k] = fill[k];
        }
        return withX(a, out);
      };
      const state: JsonValue = { method: spec.method, features: names, values: fill };
      return { name, kind: 'imputation', train: apply(train), transform: apply, state };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Harmonisation

export function harmonisationStep(spec: HarmonisationSpec): PipelineStep {
  const name = `harmonisation:${spec.method}`;
  return {
    name,
    kind: 'harmonisation',
    fit(train, ctx) {
      const { rows: n, cols: p, data } = train.x;
      const fit = fitCombat(data, n, p, train.sites);
      for (const w of fit.warnings) ctx.warn(w);
      const names = train.features;
      const apply = (d: StepData, warnUnseen: boolean): StepData => {
        const a = alignColumns(d, names);
        const r = applyCombat(fit, a.x.data, a.x.rows, a.x.cols, a.sites);
        if (warnUnseen && r.unharmonised.length > 0) {
          ctx.warn(`ComBat: rows of site(s) ${r.unharmonised.join(', ')} were not harmonised (site not estimated from the training rows)`);
        }
        return withX(a, r.x);
      };
      return { name, kind: 'harmonisation', train: apply(train, false), transform: (d) => apply(d, true), state: combatState(fit, names) };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Scaling

export function scalingStep(spec: ScalingSpec): PipelineStep {
  const name = `scaling:${spec.method}`;
  return {
    name,
    kind: 'scaling',
    fit(train) {
      const { rows: n, cols: p, data } = train.x;
      const centre = new Float64Array(p);
      const scale = new Float64Array(p);
      const column = new Float64Array(n);
      for (let j = 0; j < p; j++) {
        for (let i = 0; i < n; i++) column[i] = data[i * p + j];
        let c: number;
        let s: number;
        if (spec.method === 'zscore') {
          let sum = 0;
          for (let i = 0; i < n; i++) sum += column[i];
          c = sum / n;
          let ss = 0;
          for (let i = 0; i < n; i++) ss += (column[i] - c) ** 2;
          s = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
        } else {
          c = medianOf(column);
          s = quantileOf(column, 0.75) - quantileOf(column, 0.25);
        }
        centre[j] = c;
        // A constant training column has no scale; centring alone makes it 0 (as scikit-learn).
        scale[j] = s > 0 && Number.isFinite(s) ? s : 1;
      }
      const names = train.features;
      const apply = (d: StepData): StepData => {
        const a = alignColumns(d, names);
        const out = new Float64Array(a.x.data.length);
        for (let i = 0; i < a.x.rows; i++) for (let j = 0; j < p; j++) out[i * p + j] = (a.x.data[i * p + j] - centre[j]) / scale[j];
        return withX(a, out);
      };
      const state: JsonValue = { method: spec.method, features: [...names], centre: Array.from(centre), scale: Array.from(scale) };
      return { name, kind: 'scaling', train: apply(train), transform: apply, state };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Filters

export function filterStep(spec: FilterSpec, index: number): PipelineStep {
  const name = `filter${index + 1}:${spec.method}`;
  return {
    name,
    kind: 'filter',
    fit(train) {
      const p = train.x.cols;
      if (p === 0 || train.x.rows < 2) return columnStage(name, 'filter', train, [], { method: spec.method, kept: [] });
      let keep: number[];
      if (spec.method === 'near_zero_variance') {
        keep = nearZeroVariance(train.x, { freqCut: spec.freqCut, uniqueCut: spec.uniqueCut }).keep;
      } else if (spec.method === 'correlation') {
        keep = correlationFilter(train.x, { threshold: spec.threshold, outcome: filterOutcome(train.target) }).keep;
      } else if (train.target.kind === 'binary') {
        keep = univariateFilter(train.x, train.target.y, {
          test: spec.test,
          ...(spec.topK === null ? {} : { topK: spec.topK }),
          ...(spec.pValue === null ? {} : { pThreshold: spec.pValue }),
          adjust: spec.adjust,
        }).selected;
      } else {
        keep = coxScoreFilter(train, spec.pValue, spec.topK, spec.adjust);
      }
      const state: JsonValue = { method: spec.method, kept: keep.map((j) => train.features[j]).sort() };
      return columnStage(name, 'filter', train, keep, state);
    },
  };
}

/** Univariate filter for a survival outcome: Cox score test z, two-sided normal p. */
function coxScoreFilter(train: StepData, pValue: number | null, topK: number | null, adjust: 'none' | 'bonferroni' | 'bh'): number[] {
  if (train.target.kind !== 'survival') throw new Error('coxScoreFilter: survival target expected');
  const { rows: n, cols: p, data } = train.x;
  const col = new Float64Array(n);
  const raw = new Float64Array(p);
  const status = Float64Array.from(train.target.status);
  for (let j = 0; j < p; j++) {
    for (let i = 0; i < n; i++) col[i] = data[i * p + j];
    const z = coxScoreZ(col, train.target.time, status);
    raw[j] = Number.isFinite(z) ? 2 * normalCdf(-Math.abs(z)) : NaN;
  }
  const adj = adjustPValues(raw, adjust);
  const order: number[] = [];
  for (let j = 0; j < p; j++) if (!Number.isNaN(adj[j])) order.push(j);
  order.sort((a, b) => adj[a] - adj[b] || raw[a] - raw[b] || a - b);
  let keep = pValue === null ? order : order.filter((j) => adj[j] < pValue);
  if (topK !== null) keep = keep.slice(0, topK);
  return keep;
}

// ---------------------------------------------------------------------------------------------
// Selection

export function selectionStep(spec: SelectionSpec): PipelineStep {
  const name = `selection:${spec.method}`;
  return {
    name,
    kind: 'selection',
    fit(train, ctx) {
      const p = train.x.cols;
      if (p === 0) return columnStage(name, 'selection', train, [], { method: spec.method, selected: [] });
      if (spec.method === 'lasso') return lassoSelection(name, spec, train, ctx);
      const y = train.target.kind === 'binary' ? train.target.y : null;
      if (y === null) throw new RgsError(`analysis.selection: ${spec.method} needs a binary outcome; use method: lasso for survival outcomes`, { field: 'analysis.selection' });
      if (spec.method === 'mrmr') {
        const r = mrmr(train.x, y, { k: Math.min(spec.k, p), criterion: spec.criterion });
        return columnStage(name, 'selection', train, r.selected, {
          method: 'mrmr',
          selected: r.selected.map((j) => train.features[j]),
          scores: r.scores,
        });
      }
      const r = boruta(train.x, y, { seed: ctx.rng, maxRuns: spec.maxRuns, pValue: spec.pValue, trees: spec.trees });
      const decisions = spec.tentative === 'keep' ? tentativeRoughFix(r) : r.decisions;
      const keep: number[] = [];
      decisions.forEach((d, j) => {
        if (d === 'confirmed') keep.push(j);
      });
      return columnStage(name, 'selection', train, keep, {
        method: 'boruta',
        selected: keep.map((j) => train.features[j]),
        runs: r.runs,
        tentative: r.tentative.map((j) => train.features[j]),
      });
    },
  };
}

function lassoSelection(name: string, spec: Extract<SelectionSpec, { method: 'lasso' }>, train: StepData, ctx: FitContext): FittedStep {
  if (!hasVaryingColumn(train.x)) return columnStage(name, 'selection', train, [], { method: 'lasso', selected: [] });
  const family = train.target.kind === 'binary' ? 'binomial' : 'cox';
  const y = train.target.kind === 'binary' ? train.target.y : { time: train.target.time, status: train.target.status };
  let beta: Float64Array;
  let keep: number[];
  let lambda: number;
  if (spec.features !== null) {
    // The first `features` features to enter the path: no tuning.
    const fit = fitGlmnet(train.x.data, y, { family, alpha: spec.alpha, p: train.x.cols });
    let at = fit.df.findIndex((d) => d >= (spec.features as number));
    if (at < 0) at = fit.df.length - 1;
    beta = fit.beta[at];
    lambda = fit.lambda[at];
    const nonzero: number[] = [];
    for (let j = 0; j < beta.length; j++) if (beta[j] !== 0) nonzero.push(j);
    keep = firstToEnter(fit, beta, nonzero, spec.features);
  } else {
    const t = tuneGlmnet(train.x, y, family, [spec.alpha], spec.lambda, ctx.innerFoldIds);
    for (const w of t.warnings) ctx.warn(`lasso selection: ${w}`);
    beta = t.coefficients.beta;
    lambda = t.lambda;
    keep = [];
    for (let j = 0; j < beta.length; j++) if (beta[j] !== 0) keep.push(j);
    if (spec.maxFeatures !== null && keep.length > spec.maxFeatures) keep = firstToEnter(t.fit, beta, keep, spec.maxFeatures);
  }
  const sorted = [...keep].sort((a, b) => a - b);
  return columnStage(name, 'selection', train, sorted, {
    method: 'lasso',
    alpha: spec.alpha,
    lambda,
    selected: sorted.map((j) => train.features[j]),
    coefficients: sorted.map((j) => beta[j]),
  });
}

// ---------------------------------------------------------------------------------------------
// Balancing

export function balancingStep(spec: BalancingSpec): PipelineStep {
  const name = `balancing:${spec.method}`;
  return {
    name,
    kind: 'balancing',
    fit(train, ctx) {
      if (train.target.kind !== 'binary') throw new RgsError('analysis.balancing: balancing needs a binary outcome', { field: 'analysis.balancing' });
      const labels = train.target.y;
      const n = train.x.rows;
      const counts = [0, 0];
      for (let i = 0; i < n; i++) counts[labels[i]]++;
      const minority = Math.min(counts[0], counts[1]);
      const identity: FittedStep = { name, kind: 'balancing', train, transform: (d) => d, state: { method: spec.method, added: 0 } };
      if (minority < 2 || train.x.cols === 0) {
        if (minority < 2) ctx.warn(`${spec.method}: a training block has ${minority} row(s) of one class; it was not balanced`);
        return identity;
      }
      // The block is a training block already: all of its rows are the training part.
      const all = new Int32Array(n);
      for (let i = 0; i < n; i++) all[i] = i;
      const set = trainingSet(train.x, labels, { train: all, test: new Int32Array(0) });
      let result;
      if (spec.method === 'smote') {
        const k = Math.min(spec.k, minority - 1);
        if (k < spec.k) ctx.warn(`SMOTE: k lowered from ${spec.k} to ${k} (a training block has ${minority} minority rows)`);
        result = smote(set, { k, targetRatio: spec.ratio, seed: ctx.rng }).set;
      } else {
        result = randomOversample(set, { targetRatio: spec.ratio, seed: ctx.rng }).set;
      }
      const total = result.x.rows;
      const rows = new Int32Array(total);
      const sites: (string | null)[] = [];
      for (let i = 0; i < total; i++) {
        const src = result.sourceRows[i];
        rows[i] = src < 0 ? -1 : train.rows[src];
        sites.push(src < 0 ? null : train.sites[src]);
      }
      const balanced: StepData = {
        x: { rows: total, cols: result.x.cols, data: result.x.data },
        features: train.features,
        rows,
        target: { kind: 'binary', y: Int32Array.from(result.labels) },
        sites,
      };
      return { name, kind: 'balancing', train: balanced, transform: (d) => d, state: { method: spec.method, added: total - n } };
    },
  };
}

/** The stages of a spec in pipeline order, without balancing (which the models apply in their folds). */
export function buildSteps(spec: {
  imputation: ImputationSpec | null;
  harmonisation: HarmonisationSpec | null;
  scaling: ScalingSpec | null;
  filters: readonly FilterSpec[];
  selection: SelectionSpec | null;
}): PipelineStep[] {
  const steps: PipelineStep[] = [];
  if (spec.imputation !== null) steps.push(imputationStep(spec.imputation));
  if (spec.harmonisation !== null) steps.push(harmonisationStep(spec.harmonisation));
  if (spec.scaling !== null) steps.push(scalingStep(spec.scaling));
  spec.filters.forEach((f, i) => steps.push(filterStep(f, i)));
  if (spec.selection !== null) steps.push(selectionStep(spec.selection));
  return steps;
}
