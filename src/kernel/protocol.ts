/**
 * The messages between the extension host (src/extension/notebook/kernel-session.ts) and the
 * notebook kernel's worker thread (worker.ts). Plain structured-clone data; no vscode types, so
 * the tests drive the worker with the same messages.
 *
 * One request at a time: the host sends `execute`, the worker streams `output` messages (an
 * output with a `key` already sent replaces that output: live progress; items travel as encoded
 * bytes, EncodedItem, so the host only wraps them) and ends with `done`.
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
  /** Worker threads for feature extraction (0: extract on the kernel's main thread, one task at a time). */
  jobs: number;
  /** The cohort runner's worker script (default: worker.js next to the kernel bundle). */
  runnerWorkerScript?: string;
  /** Milliseconds between two progress updates of one cell (default study-cell.ts's
   *  PROGRESS_INTERVAL_MS, 500; 0: one update per finished task). */
  progressIntervalMs?: number;
  /**
   * Nice value of the kernel's worker thread and the threads it starts, on Linux (default
   * process-priority.ts's KERNEL_NICE, the lowest priority), so that an extraction yields the
   * cores to the extension host and the editor.
   */
  nice?: number;
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

/**
 * An output item as it crosses to the host: the bytes VS Code stores for it, encoded on the
 * kernel (JSON as NotebookCellOutputItem.json writes it, tab-indented; text as UTF-8), so that
 * the host's event loop only wraps them (no JSON.stringify of big documents there, and bytes
 * deserialise as one copy, not as a tree of objects). `encoding` says how to read them back.
 */
export interface EncodedItem {
  mime: string;
  data: Uint8Array;
  encoding: 'json' | 'text';
}

export interface EncodedOutput {
  items: EncodedItem[];
}

export interface OutputMessage {
  type: 'output';
  id: number;
  /** Outputs with the same key (within one request) replace each other; none: always appended. */
  key?: string;
  output: EncodedOutput;
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

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The item's bytes, exactly as VS Code's NotebookCellOutputItem.json / .text would encode them. */
export function encodeItem(it: KernelItem): EncodedItem {
  const json = 'json' in it;
  const data = encoder.encode(json ? JSON.stringify(it.json, undefined, '\t') : it.text);
  return { mime: it.mime, data, encoding: json ? 'json' : 'text' };
}

/** An output encoded for the host. */
export function encodeOutput(o: KernelOutput): EncodedOutput {
  return { items: o.items.map(encodeItem) };
}

/** Back from bytes (tests, diagnostics). */
export function decodeItem(it: EncodedItem): KernelItem {
  const text = decoder.decode(it.data);
  return it.encoding === 'json' ? { mime: it.mime, json: JSON.parse(text) as unknown } : { mime: it.mime, text };
}
