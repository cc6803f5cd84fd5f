/**
 * The analysis entry: a study's feature table + its clinical tables + the `analysis` and
 * `report` sections -> validated models per outcome, their performance with intervals,
 * survival risk groups, and the files (results.json, report.html, predictions, folds, feature
 * selections, the final models) written atomically beside the feature table.
 *
 * Order of work, per outcome (in the order of `analysis.outcomes`, else of the study):
 * analysis table -> splits (validate.ts) -> for every outer split: fit the stages and models
 * on its training rows, predict its test rows -> the final model on all development rows ->
 * measures (evaluate.ts). The design checks run first and an error stops the run before any
 * fitting: a leaky design is refused, not estimated.
 *
 * Determinism: one seeded generator; each outcome, split, stage, model and bootstrap forks its
 * own stream in a fixed order, so the same study, table and seed give byte-identical files.
 *
 * The optional enrichment step (enrichment.ts) reads its files before any fitting and runs
 * after the models, on its own generator, with the risk groups of the validated predictions.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ENGINE_VERSION } from '../../version';
import type { OutcomeSpec, Study } from '../../study/types';
import { writeFileAtomic } from '../../util/atomic-write';
import { RgsError } from '../../util/errors';
import { designFindings, type DesignContext } from '../design-checks';
import { aucMannWhitney } from '../metrics/roc';
import { Rng } from '../random';
import { renderReport } from '../report/html';
import { deterministicJson, resultsJson } from '../report/results-json';
import { concordanceIndex } from '../survival/concordance';
import { tableRows, type AnalysisTable } from './data';
import { ENRICHMENT_FILE, loadEnrichmentInputs, outcomeClassesOf, riskGroupsOf, runEnrichment, type EnrichmentGroups } from './enrichment';
import { compareModels, cvSummary, evaluateBinary, evaluateSurvival, type PairedComparison } from './evaluate';
import {
  coefficientsCsv,
  enrichmentCsv,
  finalModelJson,
  foldsCsv,
  predictionsCsv,
  selectedFeaturesCsv,
  selectionFrequencyCsv,
  type FinalModelRecord,
  type FoldRow,
  type PredictionRow,
  type SelectionRow,
} from './outputs';
import {
  RESULTS_FORMAT,
  type AnalysisResults,
  type CohortSummary,
  type EvaluationBlock,
  type FoldScore,
  type ModelResult,
  type OutcomeResult,
  type SelectionStability,
} from './results';
import type { RiskGroup } from './risk-groups';
import { modelsFor, resolveAnalysis, resolveReport, type AnalysisSpec, type ModelSpec, type ReportSpec } from './spec';
import { balancingStep, buildSteps } from './steps';
import { buildAnalysisTable, candidateColumns, readFeatureTable, type FeatureTableInput } from './table';
import { innerFoldIds, planSplits, runSplit, type OuterSplit, type SplitResult } from './validate';
import { brierScore } from '../metrics/calibration';

export { readFeatureTable, type FeatureTableInput } from './table';

export interface AnalysisOptions {
  /** Output folder; default: `analysis/` beside the feature table. */
  outDir?: string;
  /** Write the files (default true). */
  write?: boolean;
  onProgress?: (message: string) => void;
  /** Instrumentation (tests): every block a stage or model is fitted on, with its split. */
  record?: (outcome: string, split: OuterSplit, stage: string, rows: Int32Array) => void;
}

export interface AnalysisRun {
  results: AnalysisResults;
  predictions: PredictionRow[];
  folds: FoldRow[];
  selections: SelectionRow[];
  finalModels: FinalModelRecord[];
  /** The analysis table of each outcome. */
  tables: AnalysisTable[];
  /** Files written (absolute), empty when `write` is false. */
  files: string[];
}

export const OUTPUT_FILES = {
  results: 'results.json',
  report: 'report.html',
  predictions: 'predictions.csv',
  folds: 'folds.csv',
  selected: 'selected-features.csv',
  frequency: 'selection-frequency.csv',
  finalModel: 'final-model.json',
  coefficients: 'final-model-coefficients.csv',
  provenance: 'provenance.json',
} as const;

/** Reads the feature table, analyses, writes the outputs beside the table. */
export function runAnalysis(study: Study, featureTablePath: string, options: AnalysisOptions = {}): AnalysisRun {
  return computeAnalysis(study, readFeatureTable(featureTablePath), options);
}

/** The design context of a loaded study and its candidate features. */
function designContextOf(study: Study, featureCount: number): DesignContext {
  return {
    outcomes: study.outcomes,
    sequences: study.sequences.map((s) => s.name),
    rois: study.rois.map((r) => r.name),
    siteColumn: study.subjects.some((s) => s.site !== null),
    externalCohort: study.subjects.some((s) => s.external),
    clinical: study.clinical,
    subjects: study.subjects,
    featureCount,
    studyDir: dirname(study.file),
  };
}

export function computeAnalysis(study: Study, features: FeatureTableInput, options: AnalysisOptions = {}): AnalysisRun {
  const t0 = Date.now();
  const spec = resolveAnalysis(study.analysis);
  const reportSpec = resolveReport(study.report);
  const progress = options.onProgress ?? (() => {});
  const columns = candidateColumns(features.columns, spec.features);
  if (columns.length === 0) throw new RgsError(`analysis.features: no column of ${features.file} is a candidate feature (check sequences, rois, families, include, exclude)`, { field: 'analysis.features' });

  const findings = designFindings(study.analysis, designContextOf(study, columns.length));
  const errors = findings.filter((f) => f.severity === 'error');
  if (errors.length > 0) {
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more design error${errors.length > 2 ? 's' : ''})` : '';
    throw new RgsError(`${study.file}: ${errors[0].message}${more}`, { file: study.file, field: errors[0].path.join('.') });
  }

  // Read and check the enrichment files now: a wrong path should not cost a whole validation.
  const enrichmentInputs = spec.enrichment === null ? null : loadEnrichmentInputs(study, spec.enrichment);

  const outcomes: OutcomeSpec[] =
    spec.outcomes === null ? study.outcomes : spec.outcomes.map((name) => study.outcomes.find((o) => o.name === name)!).filter((o) => o !== undefined);
  if (outcomes.length === 0) throw new RgsError(`${study.file}: the study defines no outcome to analyse (add one under \`outcomes\`)`, { file: study.file });

  const warnings = new Map<string, number>();
  const warn = (m: string): void => {
    warnings.set(m, (warnings.get(m) ?? 0) + 1);
  };
  const root = new Rng(spec.seed);
  const run: Omit<AnalysisRun, 'results' | 'files'> & { outcomeResults: OutcomeResult[] } = {
    predictions: [],
    folds: [],
    selections: [],
    finalModels: [],
    tables: [],
    outcomeResults: [],
  };
  for (const outcome of outcomes) {
    const rng = root.fork();
    const build = buildAnalysisTable(study, outcome, features, columns);
    if (build.missingValues > 0 && spec.imputation === null) {
      const m = build.firstMissing!;
      throw new RgsError(
        `${features.file}: ${build.missingValues} empty cell(s) among the candidate features of outcome ${outcome.name} (e.g. ${m.column} of subject ${m.subject}); ` +
          'add `imputation: { method: median }` to the analysis or exclude the column',
        { file: features.file, field: 'analysis.imputation' },
      );
    }
    if (build.missingFeatures > 0) warn(`${outcome.name}: ${build.missingFeatures} subject(s) of the study are not in the feature table and were left out`);
    if (build.missingOutcome > 0) warn(`${outcome.name}: ${build.missingOutcome} subject(s) without a known outcome were left out`);
    run.tables.push(build.table);
    const models = modelsFor(spec, outcome.type);
    progress(`${outcome.name}: ${build.table.subjects.length} subjects, ${columns.length} candidate features, ${models.length} model(s)`);
    const r = analyseOutcome(build.table, outcome, spec, reportSpec, models, rng, { warn, progress, record: options.record }, run);
    r.cohort.missingOutcome = build.missingOutcome;
    r.cohort.missingFeatures = build.missingFeatures;
    run.outcomeResults.push(r);
  }

  let enrichment: AnalysisResults['enrichment'] = null;
  if (enrichmentInputs !== null) {
    const e = enrichmentInputs.spec;
    // The design checks guarantee the outcome exists, has the right type and (risk groups) was analysed.
    const outcome = study.outcomes.find((o) => o.name === e.outcome)!;
    let groups: EnrichmentGroups;
    let model: string | null = null;
    if (e.groups === 'risk_groups') {
      model = e.model ?? modelsFor(spec, 'survival')[0].name;
      groups = riskGroupsOf(run.predictions, outcome.name, model, spec.validation.method);
    } else {
      groups = outcomeClassesOf(study, outcome as Extract<OutcomeSpec, { type: 'binary' }>);
    }
    progress(`enrichment: ${enrichmentInputs.geneSets.length} gene sets, ${e.permutations} permutations, ${groups.up} vs ${groups.down}`);
    enrichment = runEnrichment({ ...enrichmentInputs, spec: { ...e, model } }, groups, { seed: e.seed ?? spec.seed, warn });
  }

  const results: AnalysisResults = {
    format: RESULTS_FORMAT,
    study: { ...study.info, sha256: study.sha256 },
    featureTable: { file: basename(features.file), sha256: features.sha256, subjects: features.subjects.length, columns: features.columns.length },
    seed: spec.seed,
    analysis: spec,
    report: reportSpec,
    outcomes: run.outcomeResults,
    design: findings.map((f) => ({ severity: f.severity, code: f.code, path: f.path.join('.'), message: f.message })),
    enrichment,
    warnings: [...warnings].map(([message, count]) => ({ message, count })),
  };
  const out: AnalysisRun = {
    results,
    predictions: run.predictions,
    folds: run.folds,
    selections: run.selections,
    finalModels: run.finalModels,
    tables: run.tables,
    files: [],
  };
  if (options.write ?? true) {
    const dir = options.outDir ?? join(dirname(features.file), 'analysis');
    out.files = writeAnalysisOutputs(out, dir, { seconds: (Date.now() - t0) / 1000, studyFile: study.file, featureTable: features.file });
  }
  return out;
}

/** Writes every output file (each atomically); returns their paths. */
export function writeAnalysisOutputs(run: AnalysisRun, dir: string, provenance: { seconds: number; studyFile: string; featureTable: string }): string[] {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new RgsError(`${dir}: cannot create the output folder (${(err as NodeJS.ErrnoException).code ?? String(err)})`, { file: dir, cause: err });
  }
  const stageFrequencies: { outcome: string; stage: string; stability: SelectionStability }[] = [];
  for (const o of run.results.outcomes) {
    if (o.selection !== null) stageFrequencies.push({ outcome: o.name, stage: 'pipeline', stability: o.selection });
    for (const m of o.models) stageFrequencies.push({ outcome: o.name, stage: `model:${m.name}`, stability: m.usage });
  }
  const files: [string, string][] = [
    [OUTPUT_FILES.results, resultsJson(run.results)],
    [OUTPUT_FILES.report, renderReport(run.results)],
    [OUTPUT_FILES.predictions, predictionsCsv(run.predictions)],
    [OUTPUT_FILES.folds, foldsCsv(run.folds)],
    [OUTPUT_FILES.selected, selectedFeaturesCsv(run.selections)],
    [OUTPUT_FILES.frequency, selectionFrequencyCsv(stageFrequencies)],
    [OUTPUT_FILES.finalModel, finalModelJson(run.finalModels)],
    [OUTPUT_FILES.coefficients, coefficientsCsv(run.finalModels)],
    [
      OUTPUT_FILES.provenance,
      // The one file with the clock and the machine in it; never part of a byte comparison.
      deterministicJson({
        engine: { name: 'radiogenomics-studio', version: ENGINE_VERSION },
        node: process.version,
        platform: `${process.platform}-${process.arch}`,
        finished: new Date().toISOString(),
        seconds: provenance.seconds,
        study_file: provenance.studyFile,
        feature_table: provenance.featureTable,
      }),
    ],
  ];
  const enrichment = run.results.enrichment;
  if (enrichment !== null) files.push([ENRICHMENT_FILE, enrichmentCsv(enrichment)]);
  else {
    // Without the step, an enrichment.csv of an earlier run would sit beside results it does not belong to.
    const stale = join(dir, ENRICHMENT_FILE);
    try {
      rmSync(stale, { force: true });
    } catch (err) {
      throw new RgsError(`${stale}: cannot remove the enrichment table of an earlier run (${(err as NodeJS.ErrnoException).code ?? String(err)})`, { file: stale, cause: err });
    }
  }
  return files.map(([name, text]) => {
    const path = join(dir, name);
    writeFileAtomic(path, text);
    return path;
  });
}

// ---------------------------------------------------------------------------------------------
// One outcome

interface Hooks {
  warn: (m: string) => void;
  progress: (m: string) => void;
  record?: AnalysisOptions['record'];
}

function isCv(method: AnalysisSpec['validation']['method']): boolean {
  return method === 'nested_cv' || method === 'repeated_cv';
}

function cohortSummary(table: AnalysisTable): CohortSummary {
  const n = table.subjects.length;
  let positives = 0;
  let development = 0;
  const sites = new Map<string, { n: number; positives: number }>();
  for (let i = 0; i < n; i++) {
    const pos = table.target.kind === 'binary' ? table.target.y[i] : table.target.status[i];
    positives += pos;
    if (!table.external[i]) development++;
    const key = table.sites[i] ?? '(unknown)';
    const s = sites.get(key) ?? { n: 0, positives: 0 };
    s.n++;
    s.positives += pos;
    sites.set(key, s);
  }
  let medianTime: number | null = null;
  if (table.target.kind === 'survival') {
    const t = Array.from(table.target.time).sort((a, b) => a - b);
    medianTime = t.length === 0 ? null : t.length % 2 ? t[(t.length - 1) / 2] : (t[t.length / 2 - 1] + t[t.length / 2]) / 2;
  }
  return {
    subjects: n,
    development,
    external: n - development,
    missingOutcome: 0,
    missingFeatures: 0,
    positives,
    negatives: n - positives,
    minorityShare: n > 0 ? Math.min(positives, n - positives) / n : NaN,
    sites: [...sites].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([site, s]) => ({ site, ...s })),
    medianTime,
  };
}

/** Frequency of features over fits, most frequent first (ties by name), and the mean pairwise Jaccard index. */
export function stabilityOf(sets: readonly (readonly string[])[]): SelectionStability {
  const counts = new Map<string, number>();
  for (const s of sets) for (const f of new Set(s)) counts.set(f, (counts.get(f) ?? 0) + 1);
  const fits = sets.length;
  const frequency = [...counts]
    .sort(([a, ca], [b, cb]) => cb - ca || (a < b ? -1 : a > b ? 1 : 0))
    .map(([feature, count]) => ({ feature, count, share: count / fits }));
  let sum = 0;
  let pairs = 0;
  for (let a = 0; a < fits; a++) {
    const A = new Set(sets[a]);
    for (let b = a + 1; b < fits; b++) {
      const B = new Set(sets[b]);
      let inter = 0;
      for (const f of A) if (B.has(f)) inter++;
      const union = A.size + B.size - inter;
      sum += union === 0 ? 1 : inter / union;
      pairs++;
    }
  }
  return { fits, frequency, meanJaccard: pairs > 0 ? sum / pairs : NaN };
}

function foldScore(table: AnalysisTable, rows: Int32Array, pred: Float64Array): number {
  if (rows.length === 0) return NaN;
  if (table.target.kind === 'binary') {
    const y = Int32Array.from(rows, (r) => (table.target as { y: Int32Array }).y[r]);
    return aucMannWhitney(y, pred);
  }
  const t = table.target;
  return concordanceIndex({ time: Array.from(rows, (r) => t.time[r]), status: Array.from(rows, (r) => t.status[r]) }, pred).concordance;
}

function analyseOutcome(
  table: AnalysisTable,
  outcome: OutcomeSpec,
  spec: AnalysisSpec,
  reportSpec: ReportSpec,
  models: readonly ModelSpec[],
  rng: Rng,
  hooks: Hooks,
  run: { predictions: PredictionRow[]; folds: FoldRow[]; selections: SelectionRow[]; finalModels: FinalModelRecord[] },
): OutcomeResult {
  const v = spec.validation;
  let plan: ReturnType<typeof planSplits>;
  try {
    plan = planSplits(table, v, rng.fork());
  } catch (e) {
    // The split modules do not know which outcome they split: say it.
    if (e instanceof RgsError) throw new RgsError(`outcome ${outcome.name}: ${e.message}`, { field: `analysis.validation${e.field ? `.${e.field}` : ''}`, cause: e });
    throw e;
  }
  const steps = buildSteps(spec);
  const balancing = table.target.kind === 'binary' && spec.balancing !== null ? balancingStep(spec.balancing) : null;
  const record = hooks.record === undefined ? undefined : (split: OuterSplit, stage: string, rows: Int32Array) => hooks.record!(outcome.name, split, stage, rows);
  const fitHooks = { warn: (m: string) => hooks.warn(`${outcome.name}: ${m}`), record };
  const cv = isCv(v.method);

  const splits: SplitResult[] = plan.outer.map((split, i) => {
    hooks.progress(`${outcome.name}: ${cv ? `repeat ${split.repeat + 1}, fold ${split.fold + 1}` : split.kind} (${i + 1}/${plan.outer.length})`);
    return runSplit(table, split, steps, balancing, models, rng.fork(), fitHooks);
  });
  let final: SplitResult;
  if (cv) {
    hooks.progress(`${outcome.name}: final model on ${plan.final.train.length} development subjects`);
    final = runSplit(table, plan.final, steps, balancing, models, rng.fork(), fitHooks);
  } else {
    // Hold-out and external: the model fitted on the training part is the final (locked) model.
    final = predictOn(splits[0], table, plan.final.test);
    final = { ...final, split: plan.final };
  }

  // Fold assignments.
  const label = (s: OuterSplit): { repeat: number | null; fold: number | 'final' | null } =>
    s.kind === 'final' ? { repeat: null, fold: 'final' } : s.kind === 'cv' ? { repeat: s.repeat, fold: s.fold } : { repeat: null, fold: null };
  const foldRows = (s: OuterSplit, trainRole: FoldRow['role'] | null, testRole: FoldRow['role']): void => {
    const at = label(s);
    if (trainRole !== null) {
      const ids = innerFoldIds(s.train, s.inner)[0];
      s.train.forEach((r, i) => run.folds.push({ outcome: outcome.name, ...at, subject: table.subjects[r], role: trainRole, innerFold: ids === undefined ? null : ids[i] }));
    }
    s.test.forEach((r) => run.folds.push({ outcome: outcome.name, ...at, subject: table.subjects[r], role: testRole, innerFold: null }));
  };
  for (const s of plan.outer) foldRows(s, 'train', s.kind === 'external' ? 'external' : 'test');
  if (cv) foldRows(plan.final, 'development', 'external');
  else if (v.method === 'holdout') foldRows(plan.final, null, 'external');

  // Selections.
  const hasSelectionStage = steps.some((s) => s.kind === 'filter' || s.kind === 'selection');
  for (const r of [...splits, ...(cv ? [final] : [])]) {
    const at = label(r.split);
    if (hasSelectionStage) for (const f of r.selected) run.selections.push({ outcome: outcome.name, ...at, stage: 'pipeline', feature: f });
    for (const m of r.models) for (const f of m.fitted.used) run.selections.push({ outcome: outcome.name, ...at, stage: `model:${m.model}`, feature: f });
  }

  const level = spec.confidenceLevel;
  const bandReplicates = reportSpec.rocBand === 'bootstrap' ? spec.bootstrapReplicates : 0;
  const ratio = splits.reduce((a, s) => a + s.split.test.length / s.split.train.length, 0) / splits.length;
  const modelResults: ModelResult[] = [];
  const evalPredictions: Float64Array[] = [];
  const foldScoresByModel: number[][] = [];

  models.forEach((mspec, mi) => {
    // Predictions of every split.
    const folds: FoldScore[] = [];
    for (const s of splits) {
      const mo = s.models[mi];
      const setName = s.split.kind === 'cv' ? 'out-of-fold' : s.split.kind === 'holdout' ? 'test' : 'external';
      s.split.test.forEach((r, k) =>
        run.predictions.push({
          outcome: outcome.name,
          model: mspec.name,
          set: setName,
          ...(s.split.kind === 'cv' ? { repeat: s.split.repeat, fold: s.split.fold } : { repeat: null, fold: null }),
          subject: table.subjects[r],
          ...observed(table, r),
          prediction: mo.test[k],
          group: mo.groups === null ? null : mo.groups[k],
        }),
      );
      folds.push({
        repeat: s.split.repeat,
        fold: s.split.fold,
        nTrain: s.split.train.length,
        nTest: s.split.test.length,
        score: foldScore(table, s.split.test, mo.test),
        brier: table.target.kind === 'binary' ? brierScore(Int32Array.from(s.split.test, (r) => (table.target as { y: Int32Array }).y[r]), mo.test) : null,
        hyper: mo.fitted.hyper,
        used: mo.fitted.used,
      });
    }
    const finalModel = final.models[mi];
    if (final.split.test.length > 0 && v.method !== 'external') {
      final.split.test.forEach((r, k) =>
        run.predictions.push({
          outcome: outcome.name,
          model: mspec.name,
          set: 'external',
          repeat: null,
          fold: 'final',
          subject: table.subjects[r],
          ...observed(table, r),
          prediction: finalModel.test[k],
          group: finalModel.groups === null ? null : finalModel.groups[k],
        }),
      );
    }

    // The evaluation set.
    let evaluation: EvaluationBlock;
    let evalPred: Float64Array;
    if (cv && table.target.kind === 'binary') {
      const { rows, mean } = averagedOutOfFold(splits, mi, table.subjects.length);
      evalPred = mean;
      const y = Int32Array.from(rows, (r) => (table.target as { y: Int32Array }).y[r]);
      evaluation = {
        set: `out-of-fold predictions${v.repeats > 1 ? `, averaged per subject over ${v.repeats} repetitions` : ''}`,
        binary: evaluateBinary(y, mean, { level, threshold: spec.threshold, bandReplicates, rng: rng.fork() }),
        survival: null,
      };
    } else if (cv) {
      const first = splits.filter((s) => s.split.repeat === 0);
      const rows = Int32Array.from(first.flatMap((s) => Array.from(s.split.test)));
      const risk = Float64Array.from(first.flatMap((s) => Array.from(s.models[mi].test)));
      const groups = first.flatMap((s) => s.models[mi].groups ?? []);
      evalPred = risk;
      evaluation = {
        set: 'out-of-fold risk scores of repetition 1 (each fold grouped at its own training median)',
        binary: null,
        survival: survivalBlock(table, rows, risk, groups, spec, reportSpec, rng.fork()),
      };
    } else {
      const s = splits[0];
      evalPred = s.models[mi].test;
      const set = s.split.kind === 'holdout' ? 'hold-out test set' : 'external cohort';
      evaluation = testBlock(table, s.split.test, s.models[mi].test, s.models[mi].groups, set, spec, reportSpec, bandReplicates, rng.fork());
    }
    evalPredictions.push(evalPred);
    foldScoresByModel.push(folds.map((f) => f.score));

    const external: EvaluationBlock | null =
      v.method !== 'external' && final.split.test.length > 0
        ? testBlock(table, final.split.test, finalModel.test, finalModel.groups, 'external cohort (final model)', spec, reportSpec, bandReplicates, rng.fork())
        : null;

    const pooled = cv
      ? Array.from({ length: v.repeats }, (_, rep) => {
          const these = splits.filter((s) => s.split.repeat === rep);
          const rows = Int32Array.from(these.flatMap((s) => Array.from(s.split.test)));
          const pred = Float64Array.from(these.flatMap((s) => Array.from(s.models[mi].test)));
          return foldScore(table, rows, pred);
        })
      : null;

    modelResults.push({
      name: mspec.name,
      type: mspec.type,
      folds,
      cv: cv ? cvSummary(folds.map((f) => f.score), ratio, level) : null,
      pooledByRepeat: pooled,
      evaluation,
      external,
      usage: stabilityOf(splits.map((s) => s.models[mi].fitted.used)),
      final: { hyper: finalModel.fitted.hyper, terms: finalModel.fitted.terms, used: finalModel.fitted.used, cutoff: finalModel.cutoff },
    });
  });

  // Pairwise comparisons.
  const comparisons: PairedComparison[] = [];
  for (let a = 0; a < models.length; a++) {
    for (let b = a + 1; b < models.length; b++) {
      let y: Int32Array | null = null;
      if (table.target.kind === 'binary') {
        const rows = cv ? averagedOutOfFold(splits, a, table.subjects.length).rows : splits[0].split.test;
        y = Int32Array.from(rows, (r) => (table.target as { y: Int32Array }).y[r]);
      }
      comparisons.push(
        compareModels(
          [models[a].name, models[b].name],
          y,
          y === null ? null : [evalPredictions[a], evalPredictions[b]],
          cv ? [foldScoresByModel[a], foldScoresByModel[b]] : null,
          ratio,
        ),
      );
    }
  }

  run.finalModels.push({
    outcome: outcome.name,
    type: outcome.type,
    developmentSubjects: final.split.train.length,
    stages: final.pipeline.steps.map((s) => ({ name: s.name, state: s.state })),
    models: final.models.map((m, i) => ({ name: m.model, type: models[i].type, hyper: m.fitted.hyper, cutoff: m.cutoff, state: m.fitted.state, terms: m.fitted.terms })),
  });

  return {
    name: outcome.name,
    type: outcome.type,
    positive: outcome.type === 'binary' ? outcome.positive : null,
    unit: outcome.type === 'survival' ? outcome.unit : null,
    cohort: cohortSummary(table),
    candidateFeatures: table.features.length,
    splits: plan.outer.length,
    selection: hasSelectionStage ? { ...stabilityOf(splits.map((s) => s.selected)), final: [...final.selected] } : null,
    models: modelResults,
    comparisons,
  };
}

function observed(table: AnalysisTable, r: number): { label: number | null; time: number | null; event: number | null } {
  return table.target.kind === 'binary'
    ? { label: table.target.y[r], time: null, event: null }
    : { label: null, time: table.target.time[r], event: table.target.status[r] };
}

/** Each internal row's out-of-fold predictions averaged over the repetitions (rows ascending). */
function averagedOutOfFold(splits: readonly SplitResult[], model: number, n: number): { rows: Int32Array; mean: Float64Array } {
  const sum = new Float64Array(n);
  const count = new Int32Array(n);
  for (const s of splits) {
    s.split.test.forEach((r, k) => {
      sum[r] += s.models[model].test[k];
      count[r]++;
    });
  }
  const rows: number[] = [];
  for (let r = 0; r < n; r++) if (count[r] > 0) rows.push(r);
  return { rows: Int32Array.from(rows), mean: Float64Array.from(rows, (r) => sum[r] / count[r]) };
}

function survivalBlock(table: AnalysisTable, rows: Int32Array, risk: Float64Array, groups: RiskGroup[], spec: AnalysisSpec, reportSpec: ReportSpec, rng: Rng) {
  const t = table.target as { time: Float64Array; status: Uint8Array };
  return evaluateSurvival(
    Float64Array.from(rows, (r) => t.time[r]),
    Uint8Array.from(rows, (r) => t.status[r]),
    risk,
    groups,
    { level: spec.confidenceLevel, replicates: spec.bootstrapReplicates, rng, atRiskTimes: reportSpec.atRiskTimes },
  );
}

function testBlock(
  table: AnalysisTable,
  rows: Int32Array,
  pred: Float64Array,
  groups: RiskGroup[] | null,
  set: string,
  spec: AnalysisSpec,
  reportSpec: ReportSpec,
  bandReplicates: number,
  rng: Rng,
): EvaluationBlock {
  if (table.target.kind === 'binary') {
    const y = Int32Array.from(rows, (r) => (table.target as { y: Int32Array }).y[r]);
    return { set, binary: evaluateBinary(y, pred, { level: spec.confidenceLevel, threshold: spec.threshold, bandReplicates, rng }), survival: null };
  }
  return { set, binary: null, survival: survivalBlock(table, rows, pred, groups ?? [], spec, reportSpec, rng) };
}

/** A fitted split's pipeline and models applied to other rows (e.g. the external cohort). */
function predictOn(result: SplitResult, table: AnalysisTable, rows: Int32Array): SplitResult {
  if (rows.length === 0) return { ...result, models: result.models.map((m) => ({ ...m, test: new Float64Array(0), groups: m.groups === null ? null : [] })) };
  const block = result.pipeline.transform(tableRows(table, rows));
  return {
    ...result,
    models: result.models.map((m) => {
      const test = m.fitted.predict(block);
      return { ...m, test, groups: m.cutoff === null ? null : Array.from(test, (v): RiskGroup => (v > m.cutoff! ? 'high' : 'low')) };
    }),
  };
}
