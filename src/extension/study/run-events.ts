/**
 * Reading `rgs run --progress json` (one JSON object per line on standard error; the schema is
 * src/engine/run/progress.ts) for the "Run study" notification: the lines split out of the
 * process's chunks, the events recognised, the notification's increments and messages, and the
 * final message. No `vscode` import (unit-tested).
 */
import type { EndEvent, RunEvent, StartEvent } from '../../engine/run/progress';

/**
 * Splits a text stream into lines (LF or CRLF), whatever the chunk boundaries; blank lines are
 * dropped. Give it decoded text (`stream.setEncoding('utf8')` keeps multi-byte characters whole).
 */
export class LineSplitter {
  private rest = '';

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: string): void {
    const lines = (this.rest + chunk).split('\n');
    this.rest = lines.pop() ?? '';
    for (const l of lines) this.emit(l);
  }

  /** The last line when the stream ended without a newline. */
  end(): void {
    const last = this.rest;
    this.rest = '';
    this.emit(last);
  }

  private emit(raw: string): void {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() !== '') this.onLine(line);
  }
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

const num = (x: unknown): boolean => typeof x === 'number' && Number.isFinite(x);

/**
 * The event on a line, or null when the line is not one (a `rgs: ...` error message, a crash's
 * stack). Checks the fields this module reads; fields may be added to the schema, never renamed.
 */
export function parseRunEvent(line: string): RunEvent | null {
  if (!line.startsWith('{')) return null;
  let x: unknown;
  try {
    x = JSON.parse(line);
  } catch {
    return null;
  }
  if (!isRecord(x)) return null;
  switch (x.event) {
    case 'start':
      return num(x.total) && num(x.subjects) && Array.isArray(x.sequences) && typeof x.out === 'string' ? (x as unknown as StartEvent) : null;
    case 'task-done':
      return num(x.done) && num(x.total) && typeof x.subject === 'string' && typeof x.sequence === 'string' && typeof x.status === 'string' ? (x as unknown as RunEvent) : null;
    case 'end':
      return typeof x.outcome === 'string' && num(x.done) && num(x.total) && num(x.ok) && num(x.errors) && num(x.cached) ? (x as unknown as EndEvent) : null;
    case 'warning':
      return typeof x.message === 'string' ? (x as unknown as RunEvent) : null;
    default:
      return null;
  }
}

/** One update of a VS Code progress notification (`increment` in percent of the whole run). */
export interface ProgressStep {
  increment: number;
  message: string;
}

/**
 * Turns the events into notification updates. VS Code adds up the increments, so each step
 * reports only the growth of `done / total` since the previous one (cached tasks count: they
 * are done).
 */
export class RunProgress {
  start: StartEvent | null = null;
  end: EndEvent | null = null;
  readonly warnings: string[] = [];
  private reported = 0;
  private failed = 0;

  update(e: RunEvent): ProgressStep | null {
    switch (e.event) {
      case 'warning':
        this.warnings.push(e.message);
        return null;
      case 'start': {
        this.start = e;
        const workers = `${e.jobs} worker${e.jobs === 1 ? '' : 's'}`;
        return { increment: 0, message: `0/${e.total} tasks (${plural(e.subjects, 'subject')} × ${plural(e.sequences.length, 'sequence')}, ${workers})` };
      }
      case 'task-done': {
        if (e.status === 'error') this.failed++;
        const increment = this.advance(e.done, e.total);
        const last = `${e.subject} ${e.sequence}${e.status === 'ok' ? '' : ` ${e.status}`}`;
        const failed = this.failed > 0 ? ` · ${this.failed} failed` : '';
        return { increment, message: `${e.done}/${e.total} tasks · ${last}${failed}` };
      }
      case 'end': {
        this.end = e;
        const increment = this.advance(e.total, e.total);
        return { increment, message: e.outcome === 'written' ? 'outputs written' : e.outcome === 'interrupted' ? 'interrupted' : 'stopped' };
      }
    }
  }

  private advance(done: number, total: number): number {
    const percent = total > 0 ? Math.min(100, (100 * done) / total) : 100;
    const increment = Math.max(0, percent - this.reported);
    this.reported = Math.max(this.reported, percent);
    return increment;
  }
}

/** What the run process did (rgs-process.ts). */
export interface RunReport {
  exitCode: number | null;
  signal: string | null;
  start: StartEvent | null;
  end: EndEvent | null;
  /** Output lines that were not events (the CLI's `rgs: ...` messages, a stack). */
  otherLines: string[];
  /** The user cancelled (the process was sent SIGINT). */
  cancelled: boolean;
}

export type RunOutcomeKind = 'written' | 'cancelled' | 'failed';

/** The message at the end of a run. */
export interface RunOutcome {
  kind: RunOutcomeKind;
  level: 'info' | 'warning' | 'error';
  message: string;
  /** The outputs folder when they were written. */
  outDir: string | null;
  /** Failed tasks of a written run (see status.csv). */
  failedTasks: number;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function formatSeconds(s: number): string {
  if (!Number.isFinite(s) || s < 0) return '?';
  if (s < 9.95) return `${s.toFixed(1)} s`; // 9.96 would print as "10.0 s"
  const t = Math.round(s);
  if (t < 60) return `${t} s`;
  const h = Math.floor(t / 3600);
  const m = Math.floor((t % 3600) / 60);
  const sec = t % 60;
  return h > 0 ? `${h} h ${String(m).padStart(2, '0')} min` : `${m} min ${String(sec).padStart(2, '0')} s`;
}

/** The CLI's one-line error (`rgs: <message>`), or the last line it printed. */
function errorText(lines: string[]): string | null {
  for (let i = lines.length - 1; i >= 0; i--) {
    const m = /^rgs: (.*)$/.exec(lines[i]);
    if (m) return m[1];
  }
  return lines.length > 0 ? lines[lines.length - 1] : null;
}

/**
 * `study` is the study file's name as shown to the user; `show` how a path is shown (e.g.
 * relative to the workspace folder). `outDir` stays absolute.
 */
export function describeRun(study: string, r: RunReport, show: (path: string) => string = (p) => p): RunOutcome {
  const end = r.end;
  if (end !== null && end.outcome === 'written' && r.exitCode === 0) {
    const parts = [`${end.ok} ok`];
    if (end.cached > 0) parts.push(`${end.cached} from the cache`);
    if (end.errors > 0) parts.push(`${end.errors} failed`);
    const base = `${study}: ${plural(end.total, 'task')} (${parts.join(', ')}) in ${formatSeconds(end.seconds)}; outputs in ${show(end.out ?? r.start?.out ?? '?')}`;
    return end.errors > 0
      ? { kind: 'written', level: 'warning', message: `${base}. The failed tasks and why are in status.csv.`, outDir: end.out, failedTasks: end.errors }
      : { kind: 'written', level: 'info', message: base, outDir: end.out, failedTasks: 0 };
  }
  // SIGINT: the CLI stops its workers and exits 130 without writing (the previous outputs stay).
  if (r.cancelled || end?.outcome === 'interrupted' || r.exitCode === 130 || r.signal === 'SIGINT') {
    const done = end !== null ? ` after ${end.done}/${end.total} tasks` : '';
    return { kind: 'cancelled', level: 'warning', message: `${study}: run cancelled${done}; no output written (earlier outputs are as they were).`, outDir: null, failedTasks: 0 };
  }
  if (end?.outcome === 'failed-fast') {
    const why = errorText(r.otherLines);
    return { kind: 'failed', level: 'error', message: `${study}: stopped at the first failed task; no output written${why ? `: ${why}` : '.'}`, outDir: null, failedTasks: end.errors };
  }
  const why = errorText(r.otherLines);
  const how = r.signal !== null ? `was killed by ${r.signal}` : `exited with code ${r.exitCode ?? '?'}`;
  return { kind: 'failed', level: 'error', message: why !== null ? `${study}: ${why}` : `${study}: rgs run ${how} without a message.`, outDir: null, failedTasks: 0 };
}
