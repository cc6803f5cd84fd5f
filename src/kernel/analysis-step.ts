/**
 * The analysis step of an analysis cell: the engine's analysis runner
 * (src/engine/analysis/pipeline/run-analysis.ts) on the study's feature table, its files written
 * where `rgs analyse` writes them (results/<study id>/analysis/), and its results drawn:
 *
 * - per outcome a markdown summary (cohort, each model's AUC or C-index with its interval);
 * - binary outcomes: the ROC curves of every model (with the bootstrap band) and calibration;
 * - survival outcomes: the Kaplan-Meier curves of each model's risk groups with numbers at risk;
 * - each model's final coefficients (or importances) with their selection stability across the
 *   outer fits.
 *
 * A design error (e.g. a stage fitted before the split) is reported on the cell and line of the
 * setting, as the loader's problems are.
 */
import { runAnalysis } from '../engine/analysis/pipeline/run-analysis';
import type { ModelResult, OutcomeResult } from '../engine/analysis/pipeline/results';
import type { Study } from '../engine/study/types';
import { RgsError } from '../engine/util/errors';
import type { LoadedFeatures } from './feature-table';
import { output, type Emitter, type KernelState } from './kernel-state';
import {
  CALIBRATION_MIME,
  COEFFICIENTS_MIME,
  KM_MIME,
  ROC_MIME,
  type CalibrationJson,
  type CoefficientJson,
  type CoefficientsJson,
  type KmJson,
  type RocJson,
} from './mime-types';
import { errorItem, jsonItem, STDERR_MIME, textItem, type ExecuteRequest } from './protocol';
import { formatLocatedProblem, locatePath, type LocatedProblem, type MergedStudy } from './study-fragments';
import { describeColumn } from './feature-table';

function num(v: number | null | undefined, digits = 3): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(digits);
}

function finite(v: number): number | undefined {
  return Number.isFinite(v) ? v : undefined;
}

/** The markdown summary of one outcome. */
export function outcomeSummary(o: OutcomeResult): string {
  const c = o.cohort;
  const who =
    o.type === 'binary'
      ? `${c.subjects} subjects (${c.positives} ${o.positive ?? 'positive'}, ${c.negatives} other)`
      : `${c.subjects} subjects (${c.positives} events, ${c.negatives} censored${c.medianTime !== null ? `, median time ${num(c.medianTime, 1)} ${o.unit ?? ''}` : ''})`;
  const measure = o.type === 'binary' ? 'AUC' : 'C-index';
  const rows = o.models.map((m) => {
    const e = m.evaluation;
    const est = o.type === 'binary' ? e.binary?.auc : e.survival?.cIndex;
    const cv = m.cv !== null ? `${num(m.cv.mean)} (${num(m.cv.lower)}–${num(m.cv.upper)})` : '—';
    return `| ${m.name} | ${est ? `${num(est.estimate)} (${num(est.lower)}–${num(est.upper)})` : '—'} | ${cv} | ${e.set} |`;
  });
  return [
    `**${o.name}** (${o.type}): ${who}; ${o.candidateFeatures} candidate features, ${o.splits} outer split${o.splits === 1 ? '' : 's'}`,
    '',
    `| model | ${measure} (95% CI) | mean over folds (CI) | predictions |`,
    '|---|---|---|---|',
    ...rows,
  ].join('\n');
}

export function rocOf(o: OutcomeResult): RocJson | null {
  const curves = o.models.flatMap((m) => {
    const b = m.evaluation.binary;
    if (b === null) return [];
    return [
      {
        label: m.name,
        fpr: b.roc.fpr,
        tpr: b.roc.tpr,
        auc: b.auc.estimate,
        ...(finite(b.auc.lower) !== undefined && finite(b.auc.upper) !== undefined ? { aucLower: b.auc.lower, aucUpper: b.auc.upper, ciMethod: b.auc.method } : {}),
        ...(b.band !== null ? { band: { fpr: b.band.fpr, lower: b.band.lower, upper: b.band.upper } } : {}),
        positives: b.cases,
        negatives: b.n - b.cases,
      },
    ];
  });
  return curves.length === 0 ? null : { version: 1, title: `${o.name}: ROC (${o.models[0]?.evaluation.set ?? ''})`, curves };
}

export function calibrationOf(o: OutcomeResult): CalibrationJson | null {
  const series = o.models.flatMap((m) => {
    const b = m.evaluation.binary;
    if (b === null) return [];
    return [
      {
        label: m.name,
        bins: b.calibration.bins.map((x) => ({ predicted: x.predicted, observed: x.observed, n: x.n, lower: x.lower, upper: x.upper })),
        ...(finite(b.calibration.slope) !== undefined ? { slope: b.calibration.slope } : {}),
        ...(finite(b.calibration.intercept) !== undefined ? { intercept: b.calibration.intercept } : {}),
        ...(finite(b.brier) !== undefined ? { brier: b.brier } : {}),
      },
    ];
  });
  return series.length === 0 ? null : { version: 1, title: `${o.name}: calibration`, series };
}

export function kmOf(o: OutcomeResult, m: ModelResult): KmJson | null {
  const s = m.evaluation.survival;
  if (s === null || s.groups.length === 0) return null;
  return {
    version: 1,
    title: `${o.name}: ${m.name} risk groups (cut at the training median; ${m.evaluation.set})`,
    ...(o.unit !== null ? { timeUnit: o.unit } : {}),
    groups: s.groups.map((g) => ({
      label: `${g.group} risk`,
      time: g.time,
      survival: g.surv,
      lower: g.lower.map((v) => (Number.isFinite(v) ? v : null)),
      upper: g.upper.map((v) => (Number.isFinite(v) ? v : null)),
      censored: g.censored,
      n: g.n,
      events: g.events,
      median: Number.isFinite(g.medianSurvival) ? g.medianSurvival : null,
    })),
    atRisk: { times: s.atRiskTimes, counts: s.groups.map((g) => g.atRisk) },
    ...(s.logRank !== null ? { logRank: s.logRank } : {}),
  };
}

export function coefficientsOf(o: OutcomeResult, m: ModelResult): CoefficientsJson | null {
  const terms = m.final.terms.filter((t) => t.kind !== 'intercept');
  if (terms.length === 0) return null;
  const share = new Map(m.usage.frequency.map((f) => [f.feature, f.share]));
  const importance = terms.every((t) => t.kind === 'importance');
  const coefficients: CoefficientJson[] = terms
    .filter((t) => t.value !== 0 || share.has(t.term))
    .map((t) => {
      const ibsi = describeColumn(t.term).ibsi;
      const stability = share.get(t.term);
      return { name: t.term, value: t.value, ...(stability !== undefined ? { stability } : {}), ...(ibsi !== undefined ? { ibsi } : {}) };
    })
    .sort((a, b) => Math.abs(b.value) - Math.abs(a.value) || (a.name < b.name ? -1 : 1));
  return {
    version: 1,
    title: `${o.name}: ${m.name} final model`,
    model: m.type,
    valueLabel: importance ? 'importance' : o.type === 'survival' ? 'log hazard ratio (scaled features)' : 'log odds ratio (scaled features)',
    stabilityLabel: `share of the ${m.usage.fits} outer fits that used the feature`,
    coefficients,
  };
}

export interface AnalysisStepResult {
  success: boolean;
  problems: LocatedProblem[];
}

export async function runAnalysisStep(
  req: ExecuteRequest,
  merged: MergedStudy,
  study: Study,
  features: LoadedFeatures,
  state: KernelState,
  emit: Emitter,
): Promise<AnalysisStepResult> {
  let run;
  try {
    run = runAnalysis(study, features.file, { onProgress: (m) => emit.output(output(textItem(`Analysis: ${m}`)), 'analysis-progress') });
  } catch (e) {
    if (!(e instanceof RgsError)) throw e;
    // A design or settings problem of the analysis section: put it on its cell and line.
    const at = e.field !== undefined && e.field.startsWith('analysis') ? locatePath(merged, e.field) : null;
    if (at === null) {
      emit.output(output(errorItem('The analysis cannot run', e.message)));
      return { success: false, problems: [] };
    }
    const message = e.message.startsWith(`${study.file}: `) ? e.message.slice(study.file.length + 2) : e.message;
    const problem: LocatedProblem = { ...at, file: null, severity: 'error', message, path: e.field ?? '' };
    emit.output(output(errorItem('The analysis has a problem', formatLocatedProblem(problem, req.fragments))));
    return { success: false, problems: [problem] };
  }
  state.analysis = run.results;
  emit.output(output(textItem(`Analysis written to ${run.files.length > 0 ? run.files[0].replace(/[/\\][^/\\]*$/, '') : '(nothing written)'}`)), 'analysis-progress');
  const notes = [...run.results.design.map((d) => `${d.severity}: ${d.message}`), ...run.results.warnings.map((w) => `warning: ${w.message}${w.count > 1 ? ` (${w.count} times)` : ''}`)];
  if (notes.length > 0) emit.output(output(textItem(notes.join('\n') + '\n', STDERR_MIME)));
  for (const o of run.results.outcomes) {
    emit.output(output(textItem(outcomeSummary(o), 'text/markdown')));
    const roc = rocOf(o);
    if (roc !== null) emit.output(output(jsonItem(ROC_MIME, roc)));
    const cal = calibrationOf(o);
    if (cal !== null) emit.output(output(jsonItem(CALIBRATION_MIME, cal)));
    for (const m of o.models) {
      const km = kmOf(o, m);
      if (km !== null) emit.output(output(jsonItem(KM_MIME, km)));
      const coef = coefficientsOf(o, m);
      if (coef !== null) emit.output(output(jsonItem(COEFFICIENTS_MIME, coef)));
    }
  }
  return { success: true, problems: [] };
}
