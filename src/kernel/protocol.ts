/**
 * The messages between the extension host (src/extension/notebook/kernel-session.ts) and the
 * notebook kernel's worker thread (worker.ts). Plain structured-clone data; no vscode types, so
 * the tests drive the worker with the same messages.
 *
 * One request at a time: the host sends `execute`, the worker streams `output` messages (an
 * output with a `key` already sent replaces that output: live progress) and ends with `done`.
 * Interrupting is terminating the worker (the host starts a fresh one for the next cell; the
 * new worker reloads the results from the results folder).
 */
import type { LocatedProblem, StudyFragment } from './study-fragments';

/** Given to the worker as `workerData`. */
export interface KernelOptions {
  /** Absolute path of the notebook file (its folder holds results/ and .rgs-cache/). */
  notebookFile: string;
  /**
   * Whether the workspace is trusted. The host never starts a kernel otherwise; the worker
   * checks again before evaluating JavaScript.
   */
  trusted: boolean;
  /** Worker threads for feature extraction (0: extract in the kernel thread, one task at a time). */
  jobs: number;
  /** The cohort runner's worker script (default: worker.js next to the kernel bundle). */
  runnerWorkerScript?: string;
  /** Minimum milliseconds between two progress updates of one cell (default 200). */
  progressIntervalMs?: number;
}

export interface CellSpec {
  /** 0-based index of the cell in the notebook. */
  index: number;
  /** "yaml" (a study fragment) or "javascript". */
  language: string;
  source: string;
  /** How messages name the cell, e.g. "cell 3". */
  label: string;
}

export interface ExecuteRequest {
  type: 'execute';
  id: number;
  cell: CellSpec;
  /**
   * The study as of this cell: the notebook's base study file (if any) and every YAML cell up to
   * and including this one (for a JavaScript cell: up to the cell before it), in notebook order.
   */
  fragments: StudyFragment[];
  /** Index in `fragments` of this cell's own fragment (-1 for a JavaScript cell). */
  current: number;
  /** Path the merged study is checked under; relative paths in it resolve against its folder. */
  studyFile: string;
}

export type HostMessage = ExecuteRequest;

/** One output item: JSON data (JSON MIME types, errors) or text. */
export type KernelItem = { mime: string; json: unknown } | { mime: string; text: string };

export interface KernelOutput {
  items: KernelItem[];
}

export interface OutputMessage {
  type: 'output';
  id: number;
  /** Outputs with the same key (within one request) replace each other; none: always appended. */
  key?: string;
  output: KernelOutput;
}

export interface DoneMessage {
  type: 'done';
  id: number;
  success: boolean;
  /** Problems of the study as of this cell, located in fragments (for editor diagnostics). */
  problems: LocatedProblem[];
}

/** Sent once the worker has started (and reloaded what the results folder holds). */
export interface ReadyMessage {
  type: 'ready';
}

export type WorkerMessage = OutputMessage | DoneMessage | ReadyMessage;

export const ERROR_MIME = 'application/vnd.code.notebook.error';
export const STDOUT_MIME = 'application/vnd.code.notebook.stdout';
export const STDERR_MIME = 'application/vnd.code.notebook.stderr';

export function textItem(text: string, mime = 'text/plain'): KernelItem {
  return { mime, text };
}

export function jsonItem(mime: string, json: unknown): KernelItem {
  return { mime, json };
}

/** An error output item as VS Code's NotebookCellOutputItem.error writes it. */
export function errorItem(name: string, message: string, stack?: string): KernelItem {
  return { mime: ERROR_MIME, json: stack === undefined ? { name, message } : { name, message, stack } };
}
