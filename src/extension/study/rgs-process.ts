/**
 * `rgs run <study> --progress json` as a child process of the extension host: the bundled CLI
 * (dist/cli.js) started with the extension host's own Node (process.execPath; on the desktop an
 * Electron binary, hence ELECTRON_RUN_AS_NODE), its JSON progress events passed on as they
 * arrive, cancellation by SIGINT (the CLI then stops its workers and exits 130 without touching
 * the outputs), SIGKILL only if it has not exited some seconds later. No `vscode` import
 * (unit-tested with a stand-in CLI and with the real one).
 */
import { spawn } from 'node:child_process';
import { dirname } from 'node:path';
import type { RunEvent } from '../../engine/run/progress';
import { LineSplitter, parseRunEvent, RunProgress, type ProgressStep, type RunReport } from './run-events';

export interface RgsRunOptions {
  /** The Node binary (process.execPath of the extension host). */
  node: string;
  /** The bundled CLI, <extension>/dist/cli.js. */
  cli: string;
  /** Absolute path of the study file. */
  study: string;
  /** More `rgs run` options (e.g. ['--jobs', '1']). */
  args?: string[];
  /** Aborting sends SIGINT. */
  signal?: AbortSignal;
  /** Each progress event, in order, with its progress-notification step (RunProgress). */
  onEvent?: (e: RunEvent, step: ProgressStep | null) => void;
  /** Each output line that is not an event (stdout or stderr). */
  onOutput?: (line: string) => void;
  /** After SIGINT, SIGKILL if the process is still there (ms; default 15 000). */
  killAfterMs?: number;
  env?: NodeJS.ProcessEnv;
}

export interface RgsRunResult extends RunReport {
  /** The events' summary (start, end, warnings). */
  progress: RunProgress;
}

export function runRgsStudy(o: RgsRunOptions): Promise<RgsRunResult> {
  const progress = new RunProgress();
  const report = (over: Partial<RgsRunResult>): RgsRunResult => ({
    exitCode: null,
    signal: null,
    start: progress.start,
    end: progress.end,
    otherLines: [],
    cancelled: false,
    progress,
    ...over,
  });
  if (o.signal?.aborted) return Promise.resolve(report({ cancelled: true }));

  return new Promise((resolve) => {
    const otherLines: string[] = [];
    let cancelled = false;
    let killTimer: NodeJS.Timeout | null = null;
    const child = spawn(o.node, [o.cli, 'run', o.study, '--progress', 'json', ...(o.args ?? [])], {
      cwd: dirname(o.study),
      env: { ...(o.env ?? process.env), ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    const onLine = (line: string): void => {
      const e = parseRunEvent(line);
      if (e === null) {
        otherLines.push(line);
        o.onOutput?.(line);
        return;
      }
      const step = progress.update(e);
      o.onEvent?.(e, step);
    };
    const stdout = new LineSplitter(onLine);
    const stderr = new LineSplitter(onLine);
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (c: string) => stdout.push(c));
    child.stderr.on('data', (c: string) => stderr.push(c));

    const onAbort = (): void => {
      if (cancelled || child.exitCode !== null || child.signalCode !== null) return;
      cancelled = true;
      child.kill('SIGINT');
      killTimer = setTimeout(() => child.kill('SIGKILL'), o.killAfterMs ?? 15_000);
    };
    o.signal?.addEventListener('abort', onAbort, { once: true });

    let settled = false;
    const finish = (over: Partial<RgsRunResult>): void => {
      if (settled) return;
      settled = true;
      if (killTimer !== null) clearTimeout(killTimer);
      o.signal?.removeEventListener('abort', onAbort);
      stdout.end();
      stderr.end();
      resolve(report({ otherLines, cancelled, ...over }));
    };
    child.on('error', (err) => {
      otherLines.push(`cannot start ${o.node} ${o.cli}: ${err.message}`);
      finish({});
    });
    // 'close': the process has exited and its output streams are drained.
    child.on('close', (code, signal) => finish({ exitCode: code, signal }));
  });
}
