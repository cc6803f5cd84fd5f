/**
 * The validation loop: subject-level, stratified, seeded splits of one outcome's analysis table
 * (hold-out, repeated k-fold, nested CV, external test), and for every split a complete refit —
 * each stage of the pipeline and each model is fitted on the split's training rows only (with
 * inner folds of those rows for anything tuned) and then applied to its test rows. The final
 * model is fitted by the same procedure on all development rows.
 *
 * What each method estimates and which rows the final model uses:
 * - nested_cv: outer repeated k-fold (performance), inner k-fold of each outer training part
 *   (tuning). Final model: all internal rows, tuned on a fresh inner k-fold of them.
 * - repeated_cv: outer repeated k-fold without inner folds (nothing may be tuned). Final model:
 *   all internal rows.
 * - holdout: one stratified split; tuning on inner folds of the training part. The final model
 *   IS the model fitted on the training part (the locked model the test set evaluates).
 * - external: train and tune on all internal rows, test on the external cohort.
 * With an external cohort and another method, the final model is also tested on the external
 * cohort.
 */
import { RgsError } from '../../util/errors';
import type { Rng } from '../random';
import { externalTestSplit, holdOutSplit } from '../validation/holdout';
import { repeatedStratifiedKFold, type CvFold } from '../validation/kfold';
import { nestedCrossValidation } from '../validation/nested';
import { eventStrata, type SplitInput } from '../validation/subjects';
import { tableRows, type AnalysisTable, type StepData } from './data';
import { fitModel, type FittedModel } from './models';
import { riskGroupsAtTrainingMedian, type RiskGroup } from './risk-groups';
import type { ModelSpec, ValidationSpec } from './spec';
import { fitPipeline, type FitContext, type FittedPipeline, type PipelineStep } from './steps';

export type SplitKind = 'cv' | 'holdout' | 'external' | 'final';

export interface OuterSplit {
  kind: SplitKind;
  /** 0-based repetition and fold (0, 0 for single splits). */
  repeat: number;
  fold: number;
  /** Rows of the analysis table. */
  train: Int32Array;
  test: Int32Array;
  /** Inner folds of `train` (row indices into the table) for tuning; empty for repeated_cv. */
  inner: CvFold[];
}

export interface SplitPlan {
  method: ValidationSpec['method'];
  /** The splits that estimate performance (for `external`: the one external split). */
  outer: OuterSplit[];
  /** The final model's fit: train = development rows, test = external rows (may be empty). */
  final: OuterSplit;
}

/** Stratum of each row, as `validation.stratify` asks. */
export function strataOf(table: AnalysisTable, stratify: ValidationSpec['stratify']): string[] {
  const n = table.subjects.length;
  if (stratify === 'none') return new Array<string>(n).fill('all');
  const outcome = table.target.kind === 'binary' ? Array.from(table.target.y, (v) => String(v)) : eventStrata(table.target.status);
  if (stratify === 'outcome') return outcome;
  return outcome.map((o, i) => `${o}|${table.sites[i] ?? '(no site)'}`);
}

function splitInput(table: AnalysisTable, stratify: ValidationSpec['stratify']): SplitInput {
  return { subjects: table.subjects, strata: strataOf(table, stratify), external: table.external };
}

function internalRows(table: AnalysisTable): Int32Array {
  const rows: number[] = [];
  table.external.forEach((e, i) => {
    if (!e) rows.push(i);
  });
  return Int32Array.from(rows);
}

function externalRows(table: AnalysisTable): Int32Array {
  const rows: number[] = [];
  table.external.forEach((e, i) => {
    if (e) rows.push(i);
  });
  return Int32Array.from(rows);
}

function innerOf(input: SplitInput, within: Int32Array, v: ValidationSpec, rng: Rng, label: string): CvFold[] {
  return repeatedStratifiedKFold(input, { folds: v.innerFolds, repeats: v.innerRepeats, seed: rng, within, label });
}

/** The splits of one outcome, fixed by the seed. */
export function planSplits(table: AnalysisTable, v: ValidationSpec, rng: Rng): SplitPlan {
  const input = splitInput(table, v.stratify);
  const internal = internalRows(table);
  const external = externalRows(table);
  const outer: OuterSplit[] = [];
  let final: OuterSplit;
  switch (v.method) {
    case 'nested_cv': {
      const nested = nestedCrossValidation(input, { outerFolds: v.folds, innerFolds: v.innerFolds, outerRepeats: v.repeats, innerRepeats: v.innerRepeats, seed: rng.fork() });
      for (const f of nested) outer.push({ kind: 'cv', repeat: f.outer.repeat, fold: f.outer.fold, train: f.outer.train, test: f.outer.test, inner: f.inner });
      final = { kind: 'final', repeat: 0, fold: 0, train: internal, test: external, inner: innerOf(input, internal, v, rng.fork(), 'inner folds of the development data') };
      break;
    }
    case 'repeated_cv': {
      for (const f of repeatedStratifiedKFold(input, { folds: v.folds, repeats: v.repeats, seed: rng.fork() })) {
        outer.push({ kind: 'cv', repeat: f.repeat, fold: f.fold, train: f.train, test: f.test, inner: [] });
      }
      final = { kind: 'final', repeat: 0, fold: 0, train: internal, test: external, inner: [] };
      break;
    }
    case 'holdout': {
      const split = holdOutSplit(input, { testFraction: v.testFraction, seed: rng.fork() });
      const inner = innerOf(input, split.train, v, rng.fork(), 'inner folds of the hold-out training part');
      outer.push({ kind: 'holdout', repeat: 0, fold: 0, train: split.train, test: split.test, inner });
      // The locked model: the one fitted on the training part is the model the test set scores.
      final = { kind: 'final', repeat: 0, fold: 0, train: split.train, test: external, inner };
      break;
    }
    case 'external': {
      if (external.length === 0) throw new RgsError('analysis.validation.method: external, but the study has no external cohort (cohort.external)', { field: 'analysis.validation.method' });
      const split = externalTestSplit(input);
      const inner = innerOf(input, split.train, v, rng.fork(), 'inner folds of the internal cohort');
      outer.push({ kind: 'external', repeat: 0, fold: 0, train: split.train, test: split.test, inner });
      final = { kind: 'final', repeat: 0, fold: 0, train: split.train, test: external, inner };
      break;
    }
  }
  return { method: v.method, outer, final };
}

/** Inner fold (1..K) of each row of `rows`, one array per inner repetition. */
export function innerFoldIds(rows: Int32Array, inner: readonly CvFold[]): Int32Array[] {
  const byRepeat = new Map<number, CvFold[]>();
  for (const f of inner) {
    const list = byRepeat.get(f.repeat);
    if (list === undefined) byRepeat.set(f.repeat, [f]);
    else list.push(f);
  }
  const position = new Map<number, number>();
  rows.forEach((r, i) => position.set(r, i));
  const out: Int32Array[] = [];
  for (const r of [...byRepeat.keys()].sort((a, b) => a - b)) {
    const ids = new Int32Array(rows.length);
    for (const f of byRepeat.get(r)!) {
      for (const row of f.test) {
        const i = position.get(row);
        if (i === undefined) throw new Error(`inner fold row ${row} is not a training row of its outer fold`);
        ids[i] = f.fold + 1;
      }
    }
    if (ids.some((v) => v === 0)) throw new Error('inner folds do not cover the training rows');
    out.push(ids);
  }
  return out;
}

export interface ModelOutcome {
  model: string;
  /** Predictions for the split's test rows, in `split.test` order. */
  test: Float64Array;
  /** Survival models: the training median of the risk score and the test rows' groups. */
  cutoff: number | null;
  groups: RiskGroup[] | null;
  fitted: FittedModel;
}

export interface SplitResult {
  split: OuterSplit;
  /** Features leaving the pipeline (what the models see). */
  selected: string[];
  pipeline: FittedPipeline;
  models: ModelOutcome[];
}

export interface FitHooks {
  /** Receives every warning (deduplicated by the caller). */
  warn: (message: string) => void;
  /** Instrumentation: the split and the rows of every block fitted on. */
  record?: (split: OuterSplit, stage: string, rows: Int32Array) => void;
}

/**
 * Fits the pipeline and every model on `split.train` and predicts `split.test`. The stages and
 * models only ever receive blocks of training rows (tableRows(split.train) and subsets of it);
 * the test block is built afterwards and only transformed and predicted.
 */
export function runSplit(
  table: AnalysisTable,
  split: OuterSplit,
  steps: readonly PipelineStep[],
  balancing: PipelineStep | null,
  models: readonly ModelSpec[],
  rng: Rng,
  hooks: FitHooks,
): SplitResult {
  const train = tableRows(table, split.train);
  const foldIds = innerFoldIds(train.rows, split.inner);
  const record = hooks.record === undefined ? undefined : (stage: string, rows: Int32Array) => hooks.record!(split, stage, rows);
  const ctx = (): FitContext => ({ rng: rng.fork(), innerFoldIds: foldIds, warn: hooks.warn, record });
  const pipeline = fitPipeline(steps, train, () => ctx());
  const modelTrain: StepData = pipeline.train;
  const testBlock = split.test.length > 0 ? pipeline.transform(tableRows(table, split.test)) : null;
  const outcomes: ModelOutcome[] = models.map((spec) => {
    const fitted = fitModel(spec, modelTrain, balancing, ctx());
    const test = testBlock === null ? new Float64Array(0) : fitted.predict(testBlock);
    if (table.target.kind === 'survival') {
      const g = riskGroupsAtTrainingMedian(fitted.predict(modelTrain), test);
      return { model: spec.name, test, cutoff: g.cutoff, groups: g.groups, fitted };
    }
    return { model: spec.name, test, cutoff: null, groups: null, fitted };
  });
  return { split, selected: [...modelTrain.features], pipeline, models: outcomes };
}
