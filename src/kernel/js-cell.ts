/**
 * Running a JavaScript cell: the cell's code is the body of an async function evaluated in the
 * kernel's worker thread (never on the extension host's thread), with the study's results in scope:
 *
 *   features   the cohort feature table (arquero), reloaded from the results folder when needed
 *   clinical   the study's clinical tables joined on subject_id (arquero), or null
 *   aq, op     arquero and its operations (aq.op)
 *   study      the checked study (paths, subjects, sequences, ROIs, outcomes), or null
 *   results    the last analysis results, or null
 *   state      an object kept between cells (restarting the kernel empties it)
 *   charts     roc / calibration / km / coefficients builders (charts.ts) whose value displays
 *   display(value, mime?)   show a value now (a table, a chart, text, or JSON under `mime`)
 *   console    log/info/debug -> stdout, warn/error -> stderr, shown live
 *
 * The cell's value is shown: that of the last line when it is an expression (as in a REPL),
 * or what the code returns. `await` works at the top level.
 *
 * The worker evaluates code only when the host says the workspace is trusted (the host does not
 * even start a kernel otherwise).
 */
import { inspect } from 'node:util';
import { Script } from 'node:vm';
import * as aq from 'arquero';
import type { Study } from '../engine/study/types';
import { calibrationChart, coefficientsChart, kmChart, rocChart } from './charts';
import { featureTableJson, isTable, type Table } from './feature-table';
import { KernelState, output, type Emitter } from './kernel-state';
import { CALIBRATION_MIME, COEFFICIENTS_MIME, FEATURE_TABLE_MIME, KM_MIME, ROC_MIME } from './mime-types';
import { errorItem, jsonItem, STDERR_MIME, STDOUT_MIME, textItem, type ExecuteRequest, type KernelItem } from './protocol';
import { checkStudy, type CellResult } from './study-cell';
import { analyseStudyText } from '../engine/study/load';
import { mergeFragments } from './study-fragments';

/** A value shown under a given MIME type (what `charts.*` return). */
export class Display {
  constructor(
    readonly mime: string,
    readonly data: unknown,
  ) {}
}

const PARAMS = ['features', 'clinical', 'aq', 'op', 'study', 'results', 'state', 'charts', 'display', 'console'] as const;

/** The output items of a value ([] for undefined). */
export function itemsOf(value: unknown, mime?: string): KernelItem[] {
  if (mime !== undefined) return typeof value === 'string' && !mime.endsWith('json') ? [textItem(value, mime)] : [jsonItem(mime, value)];
  if (value === undefined) return [];
  if (value instanceof Display) return [jsonItem(value.mime, value.data)];
  if (isTable(value)) return [jsonItem(FEATURE_TABLE_MIME, featureTableJson(value))];
  if (typeof value === 'string') return [textItem(value)];
  if (value instanceof Error) return [errorItem(value.name, value.message, value.stack)];
  return [textItem(inspect(value, { depth: 4, maxArrayLength: 200, breakLength: 100 }))];
}

/** Whether `src` compiles as JavaScript (nothing is run). */
function compiles(src: string): boolean {
  try {
    new Script(src);
    return true;
  } catch {
    return false;
  }
}

/**
 * The source of an async function whose body is the cell, returning the value of its last
 * expression when there is one. The cell's first line starts on the wrapper's first line, so
 * the line numbers of errors are the cell's own.
 */
export function wrapCell(code: string): string {
  const head = `(async function (${PARAMS.join(', ')}) {`;
  // 1. The whole cell is one expression.
  const whole = `${head} return (${code}\n); })`;
  if (compiles(whole)) return whole;
  // 2. Statements, then an expression (possibly over several lines) at the end: both parts must
  //    compile on their own, so `for (...)\n  x++` stays a loop. A part starting with an
  //    operator or a bracket continues the line before it and is never split off.
  const lines = code.split('\n');
  for (let cut = lines.length - 1; cut > 0; cut--) {
    const line = lines[cut].trim();
    if (line === '' || line.startsWith('//') || /^[-+*/%.,?:([`&|<>=!]/.test(line)) continue;
    const before = lines.slice(0, cut).join('\n');
    const last = lines.slice(cut).join('\n');
    if (!compiles(`(async () => (${last}\n))`) || !compiles(`(async () => {${before}\n})`)) continue;
    const src = `${head}${before}\nreturn (${last}\n); })`;
    if (compiles(src)) return src;
  }
  // 3. Plain statements: the value is what the code returns.
  return `${head}${code}\n})`;
}

interface CellConsole {
  log(...args: unknown[]): void;
  info(...args: unknown[]): void;
  debug(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
  table(data: unknown): void;
}

function cellConsole(emit: Emitter): CellConsole {
  let out = '';
  let err = '';
  const fmt = (args: unknown[]) => args.map((a) => (typeof a === 'string' ? a : inspect(a, { depth: 4, breakLength: 100 }))).join(' ') + '\n';
  const toOut = (...args: unknown[]) => {
    out += fmt(args);
    emit.output(output(textItem(out, STDOUT_MIME)), 'stdout');
  };
  const toErr = (...args: unknown[]) => {
    err += fmt(args);
    emit.output(output(textItem(err, STDERR_MIME)), 'stderr');
  };
  return {
    log: toOut,
    info: toOut,
    debug: toOut,
    warn: toErr,
    error: toErr,
    table: (data: unknown) => (isTable(data) ? emit.output(output(...itemsOf(data))) : toOut(data)),
  };
}

/** The study's clinical tables as one arquero table keyed by subject_id (outer join), or null. */
function clinicalTable(study: Study | null): Table | null {
  if (study === null || study.clinical.length === 0) return null;
  const ids = new Set<string>();
  for (const t of study.clinical) for (const id of t.rows.keys()) ids.add(id);
  const subjects = [...ids].sort();
  const data: Record<string, (string | number | null)[]> = { subject_id: subjects };
  for (const t of study.clinical) {
    for (const c of t.columns) {
      if (c === t.subjectColumn || c in data) continue;
      const raw = subjects.map((s) => t.rows.get(s)?.[c] ?? null);
      // Numeric columns as numbers (age, survival time, event), the others as text.
      const numeric = raw.every((v) => v === null || v.trim() === '' || Number.isFinite(Number(v)));
      data[c] = raw.map((v) => (v === null || v.trim() === '' ? null : numeric ? Number(v) : v));
    }
  }
  return aq.table(data);
}

/** The results folder the study as of this cell writes to (found even if the study has errors elsewhere). */
function resultsDirFor(req: ExecuteRequest, study: Study | null): string | null {
  if (study !== null) return KernelState.resultsDirOf(study.file, study.info.id);
  const merged = mergeFragments(req.fragments);
  const id = analyseStudyText(merged.text, req.studyFile, { checkFiles: false }).parsed.doc.getIn(['study', 'id']);
  return typeof id === 'string' && id !== '' ? KernelState.resultsDirOf(req.studyFile, id) : null;
}

const charts = {
  roc: (...a: Parameters<typeof rocChart>) => new Display(ROC_MIME, rocChart(...a)),
  calibration: (...a: Parameters<typeof calibrationChart>) => new Display(CALIBRATION_MIME, calibrationChart(...a)),
  km: (...a: Parameters<typeof kmChart>) => new Display(KM_MIME, kmChart(...a)),
  coefficients: (...a: Parameters<typeof coefficientsChart>) => new Display(COEFFICIENTS_MIME, coefficientsChart(...a)),
};

/** Keep the stack frames of the cell itself (the kernel's own frames mean nothing to the user). */
function cellStack(e: Error, file: string): string | undefined {
  if (e.stack === undefined) return undefined;
  const lines = e.stack.split('\n');
  const frames = lines.filter((l) => l.includes(file));
  const header = lines.filter((l) => !/^\s+at /.test(l));
  return [...header, ...frames].join('\n');
}

export async function runJsCell(req: ExecuteRequest, state: KernelState, emit: Emitter): Promise<CellResult> {
  if (!state.options.trusted) {
    emit.output(output(errorItem('Workspace not trusted', 'JavaScript cells run only in a trusted workspace (Manage Workspace Trust).')));
    return { success: false, problems: [] };
  }
  // The study as of this cell (its file problems do not stop a query of existing results).
  const { study, problems } = req.fragments.length > 0 ? checkStudy(req, state, true) : { study: null, problems: [] };
  if (study !== null) state.study = study;
  const dir = resultsDirFor(req, study ?? state.study);
  const features = dir !== null ? (state.featuresOf(dir)?.table ?? null) : null;
  const file = `cell-${req.cell.index + 1}.js`;
  let fn: (...args: unknown[]) => Promise<unknown>;
  try {
    fn = new Script(wrapCell(req.cell.source), { filename: file }).runInThisContext() as typeof fn;
  } catch (e) {
    const err = e as Error;
    emit.output(output(errorItem(err.name, err.message, cellStack(err, file))));
    return { success: false, problems };
  }
  const display = (value: unknown, mime?: string) => {
    const items = itemsOf(value, mime);
    if (items.length > 0) emit.output(output(...items));
  };
  try {
    const value = await fn(features, clinicalTable(study ?? state.study), aq, aq.op, study ?? state.study, state.analysis, state.user, charts, display, cellConsole(emit));
    display(value);
    return { success: true, problems };
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    emit.output(output(errorItem(err.name, err.message, cellStack(err, file))));
    return { success: false, problems };
  }
}
