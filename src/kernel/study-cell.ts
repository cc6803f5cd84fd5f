/**
 * Running a study (YAML) cell: merge the notebook's study fragments up to this cell, check the
 * merged study with the engine's loader (problems go back to the cell and line they come from),
 * then do what the cell's sections ask for:
 *
 * - `analysis` (non-empty): extract the features (the cache makes this quick when nothing
 *   changed), then run the analysis and draw its results;
 * - `features` or `preprocessing`: extract the cohort's features with the cohort runner, live
 *   progress in the cell, and show the feature table;
 * - anything else (`study`, `cohort`, `outcomes`, ...): summarise the cohort and show the first
 *   subject's image with its mask.
 *
 * Results go where `rgs run` puts them (<study folder>/results/<study id>/, cache in
 * <study folder>/.rgs-cache), so the command line and the notebook share them.
 */
import { analyseStudyText } from '../engine/study/load';
import type { Study } from '../engine/study/types';
import { runStudy, type RunSummary } from '../engine/run/runner';
import type { ProgressSink, RunEvent } from '../engine/run/progress';
import { dirname, relative } from 'node:path';
import { runAnalysisStep } from './analysis-step';
import { featureTableJson } from './feature-table';
import { KernelState, output, type Emitter } from './kernel-state';
import { FEATURE_TABLE_MIME, VOLUME_MIME } from './mime-types';
import { errorItem, jsonItem, STDERR_MIME, textItem, type ExecuteRequest } from './protocol';
import { formatLocatedProblem, locateProblem, mergeFragments, type LocatedProblem, type MergedStudy } from './study-fragments';
import { volumeOutput } from './volume-output';

export interface CellResult {
  success: boolean;
  problems: LocatedProblem[];
}

/** The merged study as of this request, checked; problems located in the fragments. */
export function checkStudy(
  req: ExecuteRequest,
  state: KernelState,
  checkFiles: boolean,
): { study: Study | null; problems: LocatedProblem[]; sections: string[]; merged: MergedStudy } {
  const merged = mergeFragments(req.fragments);
  const sections = req.current >= 0 ? (merged.sections[req.current] ?? []) : [];
  if (merged.problems.some((p) => p.severity === 'error')) return { study: null, problems: merged.problems, sections, merged };
  const analysis = analyseStudyText(merged.text, req.studyFile, { checkFiles, fileCache: state.fileCache });
  const current = req.current >= 0 ? req.current : Math.max(0, req.fragments.length - 1);
  const located = analysis.problems.map((p) => locateProblem(merged, p, req.studyFile, current));
  return { study: analysis.study, problems: [...merged.problems, ...located], sections, merged };
}

/** Problems as one error output ("cell 2:5:3 error ..." per line) and a text output for warnings. */
function reportProblems(req: ExecuteRequest, problems: readonly LocatedProblem[], emit: Emitter): boolean {
  const errors = problems.filter((p) => p.severity === 'error');
  const warnings = problems.filter((p) => p.severity !== 'error');
  const fmt = (p: LocatedProblem) => formatLocatedProblem(p, req.fragments);
  if (warnings.length > 0) emit.output(output(textItem(warnings.map(fmt).join('\n'))));
  if (errors.length === 0) return true;
  const head = errors.length === 1 ? 'The study has a problem' : `The study has ${errors.length} problems`;
  emit.output(output(errorItem(head, errors.map(fmt).join('\n'))));
  return false;
}

function formatSeconds(s: number): string {
  return s < 60 ? `${s.toFixed(1)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

/** Progress events -> one output, replaced at most every `intervalMs` (always on start and end). */
class CellProgress implements ProgressSink {
  private last = 0;
  private total = 0;
  private done = 0;
  private ok = 0;
  private cached = 0;
  private errors = 0;
  private latest = '';
  private readonly t0 = performance.now();

  constructor(
    private readonly emit: Emitter,
    private readonly intervalMs: number,
  ) {}

  event(e: RunEvent): void {
    if (e.event === 'start') {
      this.total = e.total;
      this.show(true, `Extracting features: ${e.subjects} subjects x ${e.sequences.length} sequences = ${e.total} tasks on ${e.jobs === 0 ? 'the kernel thread' : `${e.jobs} worker${e.jobs === 1 ? '' : 's'}`}`);
    } else if (e.event === 'task-done') {
      this.done = e.done;
      if (e.status === 'error') this.errors++;
      else if (e.cached) this.cached++;
      else this.ok++;
      this.latest = `${e.subject} ${e.sequence}: ${e.status}${e.message ? ` (${e.message})` : ''}`;
      this.show(e.done === e.total, null);
    } else if (e.event === 'warning') {
      this.emit.output(output(textItem(`warning: ${e.message}\n`, STDERR_MIME)));
    } else if (e.event === 'end') {
      this.done = e.done;
      const what = e.outcome === 'written' ? `results in ${e.out}` : 'no output written';
      this.show(true, `Extracted ${e.done}/${e.total} tasks: ${e.ok} computed, ${e.cached} cached, ${e.errors} failed in ${formatSeconds(e.seconds)}; ${what}`);
    }
  }

  private show(force: boolean, headline: string | null): void {
    const now = performance.now();
    if (!force && now - this.last < this.intervalMs) return;
    this.last = now;
    const text =
      headline ??
      `Extracting features: ${this.done}/${this.total} tasks (${this.ok} computed, ${this.cached} cached, ${this.errors} failed), ${formatSeconds((now - this.t0) / 1000)}` +
        (this.latest !== '' ? `\nlast: ${this.latest}` : '');
    this.emit.output(output(textItem(text)), 'progress');
  }
}

/** Extract the study's features into its results folder; loads the table into the state. */
export async function extract(study: Study, state: KernelState, emit: Emitter): Promise<RunSummary> {
  const outDir = KernelState.resultsDirOf(study.file, study.info.id);
  const summary = await runStudy(study, {
    outDir,
    jobs: state.options.jobs,
    cacheDir: KernelState.cacheDirOf(study.file),
    progress: new CellProgress(emit, state.options.progressIntervalMs ?? 200),
    ...(state.options.runnerWorkerScript !== undefined ? { workerScript: state.options.runnerWorkerScript } : {}),
  });
  const failed = summary.records.filter((r) => r.status === 'error');
  if (failed.length > 0) {
    const lines = failed.slice(0, 20).map((r) => `${r.subject} ${r.sequence}: ${r.message}`);
    if (failed.length > 20) lines.push(`... and ${failed.length - 20} more (see status.csv)`);
    emit.output(output(textItem(`${failed.length} of ${summary.total} tasks failed:\n${lines.join('\n')}\n`, STDERR_MIME)));
  }
  state.study = study;
  state.featuresOf(outDir);
  return summary;
}

function cohortSummary(study: Study, state: KernelState): string {
  const external = study.subjects.filter((s) => s.external).length;
  const rois = study.rois.map((r) => `${r.name} (${r.labels.join('+')})`).join(', ');
  const outcomes = study.outcomes.map((o) => (o.type === 'binary' ? `${o.name} (binary, positive = ${o.positive})` : `${o.name} (survival, ${o.unit})`)).join(', ');
  const resultsDir = KernelState.resultsDirOf(study.file, study.info.id);
  const features = state.featuresOf(resultsDir);
  const rel = relative(dirname(study.file), resultsDir) || resultsDir;
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  const rows: [string, string][] = [
    ['Study', `${study.info.id}${study.info.title !== '' ? ` — ${study.info.title}` : ''}`],
    ['Subjects', `${study.subjects.length}${external > 0 ? ` (${external} in the external test cohort)` : ''}`],
    ['Sequences', study.sequences.map((s) => s.name).join(', ')],
    ['ROIs', rois],
    ['Outcomes', outcomes === '' ? 'none' : outcomes],
    ['Results', features === null ? `${rel} (not extracted yet)` : `${rel}: ${features.table.numRows()} subjects x ${features.table.numCols() - 1} features`],
  ];
  return ['| | |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${cell(v)} |`)].join('\n');
}

/** Label names of a study's single-label ROIs (the mask's own labels). */
function labelNames(study: Study): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of study.rois) if (r.labels.length === 1) out[r.name] = r.labels[0];
  return out;
}

export async function runStudyCell(req: ExecuteRequest, state: KernelState, emit: Emitter): Promise<CellResult> {
  const { study, problems, sections, merged } = checkStudy(req, state, true);
  const ok = reportProblems(req, problems, emit);
  if (!ok || study === null) return { success: false, problems };
  state.study = study;
  const wantsAnalysis = sections.includes('analysis');
  const wantsFeatures = sections.includes('features') || sections.includes('preprocessing');
  if (wantsAnalysis || wantsFeatures) {
    await extract(study, state, emit);
    const features = state.features;
    if (features === null) {
      emit.output(output(errorItem('No features', 'the run wrote no feature table (see status.csv in the results folder)')));
      return { success: false, problems };
    }
    if (!wantsAnalysis) {
      emit.output(output(jsonItem(FEATURE_TABLE_MIME, featureTableJson(features.table, { title: `${study.info.id}: features` }))));
      return { success: true, problems };
    }
    const r = await runAnalysisStep(req, merged, study, features, state, emit);
    return { success: r.success, problems: [...problems, ...r.problems] };
  }
  emit.output(output(textItem(cohortSummary(study, state), 'text/markdown')));
  const first = study.subjects.find((s) => !s.external) ?? study.subjects[0];
  const sequence = study.sequences[0];
  if (first !== undefined && sequence !== undefined) {
    const image = first.images[sequence.name];
    try {
      if (image !== undefined) emit.output(output(jsonItem(VOLUME_MIME, volumeOutput(image, first.mask, { title: `${first.id}: ${sequence.name} with mask`, labels: labelNames(study) }))));
    } catch (e) {
      emit.output(output(textItem(`(no preview of ${first.id}: ${e instanceof Error ? e.message : String(e)})`)));
    }
  }
  return { success: true, problems };
}
