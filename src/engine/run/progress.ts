/**
 * Progress of a cohort run: a bar on a terminal, JSON lines for programs (the notebook kernel,
 * CI logs), or nothing.
 *
 * JSON-lines schema (one object per line on stderr; fields may be added, never renamed):
 *
 *   {"event":"start", "study":"gbm", "subjects":120, "sequences":["T1","T1c","T2","FLAIR"],
 *    "total":480, "jobs":2, "shard":"1/3"|null, "out":"/abs/results/gbm", "cache":"/abs/.rgs-cache"|null}
 *   {"event":"task-done", "subject":"GBM-001", "sequence":"T1", "status":"ok"|"error"|"cached",
 *    "cached":false, "seconds":1.234, "done":5, "total":480, "message":"..." (only when non-empty)}
 *   {"event":"end", "outcome":"written"|"failed-fast"|"interrupted", "done":480, "total":480,
 *    "ok":470, "cached":8, "errors":2, "seconds":312.5, "out":"/abs/results/gbm"|null}
 *   {"event":"warning", "message":"study.yaml:12:3 warning ..."}   (study warnings, before start)
 *
 * `done` counts finished tasks (any status) and only grows; `seconds` of a task is its wall time
 * (hashing, cache look-up, extraction). "end" with outcome "written" is emitted after every
 * output file is in place; "failed-fast" and "interrupted" mean no output was written.
 */
import type { TaskStatus } from './tasks';

export interface StartEvent {
  event: 'start';
  study: string;
  subjects: number;
  sequences: string[];
  total: number;
  jobs: number;
  shard: string | null;
  out: string;
  cache: string | null;
}

export interface TaskDoneEvent {
  event: 'task-done';
  subject: string;
  sequence: string;
  status: TaskStatus;
  cached: boolean;
  seconds: number;
  done: number;
  total: number;
  message?: string;
}

export interface EndEvent {
  event: 'end';
  outcome: 'written' | 'failed-fast' | 'interrupted';
  done: number;
  total: number;
  ok: number;
  cached: number;
  errors: number;
  seconds: number;
  out: string | null;
}

export interface WarningEvent {
  event: 'warning';
  message: string;
}

export type RunEvent = StartEvent | TaskDoneEvent | EndEvent | WarningEvent;

export interface ProgressSink {
  event(e: RunEvent): void;
}

export type ProgressMode = 'auto' | 'bar' | 'json' | 'none';

export interface WritableLike {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** One JSON object per line. */
export class JsonLinesProgress implements ProgressSink {
  constructor(private readonly out: WritableLike) {}
  event(e: RunEvent): void {
    this.out.write(JSON.stringify(e) + '\n');
  }
}

export class NoProgress implements ProgressSink {
  event(): void {}
}

function formatDuration(s: number): string {
  if (!Number.isFinite(s) || s < 0) return '--';
  const t = Math.round(s);
  const h = Math.floor(t / 3600);
  const m = Math.floor((t % 3600) / 60);
  const sec = t % 60;
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : m > 0 ? `${m}m${String(sec).padStart(2, '0')}s` : `${sec}s`;
}

/**
 * A one-line bar redrawn in place (at most 10 times a second):
 *   [########--------------]  37% 178/480 tasks  9.8 subjects/min  ETA 12m30s  2 errors
 * The rate and ETA count computed tasks only (cached ones take no time) and a subject is
 * `sequences` tasks.
 */
export class BarProgress implements ProgressSink {
  private t0 = 0;
  private total = 0;
  private sequences = 1;
  private done = 0;
  private computed = 0;
  private cachedDone = 0;
  private errors = 0;
  private lastDraw = 0;
  private lastTask = 0;

  constructor(
    private readonly out: WritableLike,
    private readonly now: () => number = () => performance.now(),
  ) {}

  event(e: RunEvent): void {
    if (e.event === 'warning') {
      this.out.write(`rgs: ${e.message}\n`);
    } else if (e.event === 'start') {
      this.t0 = this.now();
      this.total = e.total;
      this.sequences = Math.max(1, e.sequences.length);
      const shard = e.shard !== null ? ` (shard ${e.shard})` : '';
      this.out.write(`rgs run ${e.study}${shard}: ${e.subjects} subjects x ${e.sequences.length} sequences = ${e.total} tasks on ${e.jobs} worker${e.jobs === 1 ? '' : 's'}\n`);
      this.draw(true);
    } else if (e.event === 'task-done') {
      this.done = e.done;
      this.lastTask = this.now();
      if (e.cached) this.cachedDone++;
      else this.computed++;
      if (e.status === 'error') this.errors++;
      this.draw(e.done === e.total);
    } else {
      this.draw(true);
      this.out.write('\n');
      const what =
        e.outcome === 'written'
          ? `wrote ${e.out}`
          : e.outcome === 'failed-fast'
            ? 'stopped at the first failure; no output written'
            : 'interrupted; no output written';
      this.out.write(`${e.ok} ok, ${e.cached} cached, ${e.errors} failed in ${formatDuration(e.seconds)}: ${what}\n`);
    }
  }

  /** The bar's text (exposed for tests). */
  line(): string {
    // Once every task is done the rate stays that of the tasks (writing outputs is not a task).
    const elapsed = ((this.done >= this.total && this.done > 0 ? this.lastTask : this.now()) - this.t0) / 1000;
    const frac = this.total > 0 ? this.done / this.total : 1;
    const width = 24;
    const filled = Math.round(frac * width);
    const perTask = this.computed > 0 ? elapsed / this.computed : NaN;
    const rate = this.computed > 0 && elapsed > 0 ? ((this.computed / this.sequences) * 60) / elapsed : NaN;
    const eta = this.done >= this.total ? 0 : perTask * (this.total - this.done);
    const parts = [
      `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`,
      `${String(Math.floor(frac * 100)).padStart(3)}%`,
      `${this.done}/${this.total} tasks`,
      Number.isFinite(rate) ? `${rate.toFixed(1)} subjects/min` : '-- subjects/min',
      `ETA ${formatDuration(eta)}`,
    ];
    if (this.cachedDone > 0) parts.push(`${this.cachedDone} cached`);
    if (this.errors > 0) parts.push(`${this.errors} error${this.errors === 1 ? '' : 's'}`);
    return parts.join('  ');
  }

  private draw(force: boolean): void {
    const t = this.now();
    if (!force && t - this.lastDraw < 100) return;
    this.lastDraw = t;
    let text = this.line();
    const cols = this.out.columns ?? 0;
    if (cols > 0 && text.length > cols - 1) text = text.slice(0, cols - 1);
    this.out.write(`\r\x1b[2K${text}`);
  }
}

/** `auto`: the bar on a terminal, JSON lines otherwise. */
export function progressSink(mode: ProgressMode, out: WritableLike): ProgressSink {
  const m = mode === 'auto' ? (out.isTTY ? 'bar' : 'json') : mode;
  if (m === 'bar') return new BarProgress(out);
  if (m === 'json') return new JsonLinesProgress(out);
  return new NoProgress();
}
