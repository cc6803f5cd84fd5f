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
import { esc } from '../engine/util/html';
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

/**
 * Default time between two progress updates of a cell. Each update replaces an output: a message
 * to the extension host, a re-render in the workbench, and a change of the notebook. VS Code
 * backs a modified notebook up once it has not changed for a second, serialising all of it,
 * outputs included, in the extension host and sending it through the workbench; updates at a
 * steady pace under a second keep that to the end of the run instead of one backup per update
 * (which is what updates only on finished tasks, at irregular gaps, caused).
 */
export const PROGRESS_INTERVAL_MS = 500;

/**
 * Progress events -> one output (key "progress"): shown on start, then refreshed by tick()
 * (every `intervalMs`, extract()'s timer: counts and elapsed time), and shown when the last task
 * is done and at the end. With `intervalMs` 0, every event is shown (tests).
 */
export class CellProgress implements ProgressSink {
  private running = false;
  private total = 0;
  private done = 0;
  private ok = 0;
  private cached = 0;
  private errors = 0;
  private latest = '';
  private readonly t0: number;

  constructor(
    private readonly emit: Emitter,
    private readonly intervalMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.t0 = now();
  }

  event(e: RunEvent): void {
    if (e.event === 'start') {
      this.total = e.total;
      this.running = true;
      this.show(`Extracting features: ${e.subjects} subjects x ${e.sequences.length} sequences = ${e.total} tasks on ${e.jobs === 0 ? 'the kernel thread' : `${e.jobs} worker${e.jobs === 1 ? '' : 's'}`}`);
    } else if (e.event === 'task-done') {
      this.done = e.done;
      if (e.status === 'error') this.errors++;
      else if (e.cached) this.cached++;
      else this.ok++;
      this.latest = `${e.subject} ${e.sequence}: ${e.status}${e.message ? ` (${e.message})` : ''}`;
      if (this.intervalMs === 0 || e.done === e.total) this.show(null);
    } else if (e.event === 'warning') {
      this.emit.output(output(textItem(`warning: ${e.message}\n`, STDERR_MIME)));
    } else if (e.event === 'end') {
      this.done = e.done;
      this.running = false;
      const what = e.outcome === 'written' ? `results in ${e.out}` : 'no output written';
      this.show(`Extracted ${e.done}/${e.total} tasks: ${e.ok} computed, ${e.cached} cached, ${e.errors} failed in ${formatSeconds(e.seconds)}; ${what}`);
    }
  }

  /** The periodic refresh while tasks run. */
  tick(): void {
    if (this.running && this.done < this.total) this.show(null);
  }

  private show(headline: string | null): void {
    const now = this.now();
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
  const intervalMs = state.options.progressIntervalMs ?? PROGRESS_INTERVAL_MS;
  const progress = new CellProgress(emit, intervalMs);
  const timer = intervalMs > 0 ? setInterval(() => progress.tick(), intervalMs) : null;
  let summary: RunSummary;
  try {
    summary = await runStudy(study, {
      outDir,
      jobs: state.options.jobs,
      cacheDir: KernelState.cacheDirOf(study.file),
      progress,
      ...(state.options.runnerWorkerScript !== undefined ? { workerScript: state.options.runnerWorkerScript } : {}),
    });
  } finally {
    if (timer !== null) clearInterval(timer);
  }
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

/** The cohort summary's rows (label, value). */
function cohortSummary(study: Study, state: KernelState): [string, string][] {
  const external = study.subjects.filter((s) => s.external).length;
  const rois = study.rois.map((r) => `${r.name} (${r.labels.join('+')})`).join(', ');
  const outcomes = study.outcomes.map((o) => (o.type === 'binary' ? `${o.name} (binary, positive = ${o.positive})` : `${o.name} (survival, ${o.unit})`)).join(', ');
  const resultsDir = KernelState.resultsDirOf(study.file, study.info.id);
  const features = state.featuresOf(resultsDir);
  const rel = relative(dirname(study.file), resultsDir) || resultsDir;
  return [
    ['Study', `${study.info.id}${study.info.title !== '' ? ` — ${study.info.title}` : ''}`],
    ['Subjects', `${study.subjects.length}${external > 0 ? ` (${external} in the external test cohort)` : ''}`],
    ['Sequences', study.sequences.map((s) => s.name).join(', ')],
    ['ROIs', rois],
    ['Outcomes', outcomes === '' ? 'none' : outcomes],
    ['Results', features === null ? `${rel} (not extracted yet)` : `${rel}: ${features.table.numRows()} subjects x ${features.table.numCols() - 1} features`],
  ];
}

/** The rows as a Markdown table (kept in the saved notebook, where it diffs well). */
export function summaryMarkdown(rows: [string, string][]): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  return ['| | |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${cell(v)} |`)].join('\n');
}

/** The rows as an HTML table: what VS Code shows (text/html comes before text/markdown in its
 *  display order), with its built-in renderer. Showing text/markdown would activate VS Code's
 *  Markdown extension (its renderer's) in the extension host: about 1.7 MB of script loaded and
 *  run on the host's event loop, blocking it for a few hundred milliseconds on the first cell. */
export function summaryHtml(rows: [string, string][]): string {
  return `<table>\n${rows.map(([k, v]) => `<tr><th style="text-align: left">${esc(k)}</th><td>${esc(v)}</td></tr>`).join('\n')}\n</table>`;
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
  const rows = cohortSummary(study, state);
  emit.output(output(textItem(summaryHtml(rows), 'text/html'), textItem(summaryMarkdown(rows), 'text/markdown')));
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
