/**
 * Diagnostics as you type, from the engine's study loader (analyseStudyText), so that the
 * editor and `rgs validate` report the same problems with the same ranges and messages.
 *
 * Per document: a change (re)starts a short debounce; then
 *  1. the checks that need only the text (YAML syntax, schema, settings, names, IBSI
 *     consistency) run and are published at once, together with the previous file-check
 *     findings moved along with the edit, so that they do not flicker off and on while typing;
 *  2. the checks that read the files the study names run in the file-checks worker (FileFactsCache:
 *     only changed files are re-read) and, if the result differs, are published again.
 * A newer version cancels what is pending for an older one: its timer is cleared and a late
 * worker result is dropped. Problems inside other files (a manifest cell) are published on those
 * files' URIs, merged over all open studies.
 */
import type { Connection, Diagnostic } from 'vscode-languageserver/node';
import { DiagnosticSeverity } from 'vscode-languageserver/node';
import { analyseStudyText } from '../../src/engine/study/load';
import type { StudyProblem } from '../../src/engine/study/types';
import type { StudyDocuments, StudySnapshot } from './documents';
import { pathToUri } from './documents';
import type { FileChecker, FileCheckResult } from './file-checks';

export const DIAGNOSTIC_SOURCE = 'rgs';

/** What a diagnostic carries for the quick fixes (code-actions.ts). */
export interface DiagnosticData {
  /** The loader's problem code, e.g. 'unknown-key', 'unknown-label'. */
  code?: string;
  /** Dotted path of the setting in the study file. */
  path: string;
  /** The loader's data, e.g. `{ replacement }`. */
  data?: unknown;
}

export function toDiagnostic(p: StudyProblem): Diagnostic {
  const data: DiagnosticData = { path: p.path, ...(p.code === undefined ? {} : { code: p.code }), ...(p.data === undefined ? {} : { data: p.data }) };
  return {
    range: {
      start: { line: Math.max(0, p.line - 1), character: Math.max(0, p.column - 1) },
      end: { line: Math.max(0, p.endLine - 1), character: Math.max(0, p.endColumn - 1) },
    },
    severity: p.severity === 'error' ? DiagnosticSeverity.Error : p.severity === 'warning' ? DiagnosticSeverity.Warning : DiagnosticSeverity.Information,
    message: p.message,
    source: DIAGNOSTIC_SOURCE,
    ...(p.code === undefined ? {} : { code: p.code }),
    data,
  };
}

/** A file-check finding in the study file, kept as offsets to move it along with later edits. */
interface Carried {
  problem: StudyProblem;
  start: number;
  end: number;
}

interface DocState {
  /** The debounce of the text pass. */
  timer: NodeJS.Timeout | null;
  /** The delay before the file pass. */
  filesTimer: NodeJS.Timeout | null;
  /** The last published diagnostics of the study itself (JSON, to skip identical republishing). */
  published: string;
  /** The text pass's problems of recent versions: what the file pass adds is the difference. */
  textProblems: Map<number, StudyProblem[]>;
  /** File-check findings of the latest finished file pass, with the text they were found in. */
  carried: { text: string; items: Carried[] } | null;
  /** A file pass is running for this document. */
  checking: boolean;
  /** A newer version's file pass waits for the running one to finish. */
  recheck: boolean;
}

export interface DiagnosticsOptions {
  /** Debounce after a change before the text pass, ms. */
  delayMs: number;
  /**
   * Delay after a change's text pass before its file pass, ms: while typing, the previous file
   * findings are shown (moved with the edits) and the worker is not kept busy with every keystroke.
   */
  filesDelayMs: number;
  /** Called after each pass (for clients that show progress, tests and the benchmark). */
  onPublished?: (uri: string, version: number, phase: 'text' | 'files', ms: number) => void;
}

/** Text-pass results kept per document (versions whose file pass may still be running). */
const KEPT_VERSIONS = 8;

export class DiagnosticsScheduler {
  private readonly states = new Map<string, DocState>();
  /** Other file URI -> study URI -> diagnostics in that file. */
  private readonly others = new Map<string, Map<string, Diagnostic[]>>();

  constructor(
    private readonly connection: Connection,
    private readonly documents: StudyDocuments,
    private readonly files: FileChecker,
    private readonly options: DiagnosticsOptions,
  ) {}

  /** A document was opened or changed: analyse it after the debounce (at once, files too, when `immediate`). */
  schedule(uri: string, immediate = false): void {
    const state = this.state(uri);
    if (state.timer !== null) clearTimeout(state.timer);
    if (state.filesTimer !== null) clearTimeout(state.filesTimer);
    state.filesTimer = null;
    state.timer = setTimeout(
      () => {
        state.timer = null;
        this.run(uri, immediate ? 0 : this.options.filesDelayMs);
      },
      immediate ? 0 : this.options.delayMs,
    );
  }

  /** A document was closed: its diagnostics go, here and in the files it named. */
  close(uri: string): void {
    const state = this.states.get(uri);
    if (state?.timer) clearTimeout(state.timer);
    if (state?.filesTimer) clearTimeout(state.filesTimer);
    this.states.delete(uri);
    void this.connection.sendDiagnostics({ uri, diagnostics: [] });
    for (const [target, bySource] of this.others) {
      if (bySource.delete(uri)) this.publishOther(target);
      if (bySource.size === 0) this.others.delete(target);
    }
  }

  /** Re-check every open document (e.g. a file it names changed on disk). */
  recheckAll(): void {
    for (const s of this.documents.all()) this.schedule(s.uri, true);
  }

  private state(uri: string): DocState {
    let s = this.states.get(uri);
    if (s === undefined) {
      s = { timer: null, filesTimer: null, published: '', textProblems: new Map(), carried: null, checking: false, recheck: false };
      this.states.set(uri, s);
    }
    return s;
  }

  /** The text pass, published at once; then the file pass after `filesDelay`. */
  private run(uri: string, filesDelay: number): void {
    const snapshot = this.documents.get(uri);
    if (snapshot === undefined) return;
    const state = this.state(uri);
    const t0 = performance.now();
    const analysis = analyseStudyText(snapshot.text, snapshot.file, { checkFiles: false });
    snapshot.adoptParse(analysis.parsed);
    const own = analysis.problems.filter((p) => p.file === snapshot.file);
    state.textProblems.set(snapshot.version, own);
    for (const v of state.textProblems.keys()) if (v <= snapshot.version - KEPT_VERSIONS) state.textProblems.delete(v);
    const carried = snapshot.onDisk ? this.carryOver(state, snapshot) : [];
    this.publish(snapshot, [...own, ...carried], 'text', t0);
    if (!snapshot.onDisk) return;
    state.filesTimer = setTimeout(() => {
      state.filesTimer = null;
      this.checkFiles(uri);
    }, filesDelay);
  }

  /** Starts the file pass of the current version, or marks it to run after the one in flight. */
  private checkFiles(uri: string): void {
    const state = this.state(uri);
    if (state.checking) {
      state.recheck = true;
      return;
    }
    const snapshot = this.documents.get(uri);
    if (snapshot === undefined) return;
    state.checking = true;
    state.recheck = false;
    const t0 = performance.now();
    this.files.check(snapshot.text, snapshot.file).then(
      (result) => this.filesChecked(uri, snapshot, result, t0),
      (e: unknown) => {
        state.checking = false;
        this.connection.console.error(`rgs: file checks of ${snapshot.file} failed: ${e instanceof Error ? e.message : String(e)}`);
      },
    );
  }

  private filesChecked(uri: string, snapshot: StudySnapshot, result: FileCheckResult, t0: number): void {
    const state = this.states.get(uri);
    if (state === undefined) return; // closed meanwhile
    state.checking = false;
    const own = result.problems.filter((p) => p.file === snapshot.file);
    // What the files add: kept even when stale, the next text pass moves it along with the edits.
    const textOnly = state.textProblems.get(snapshot.version);
    if (textOnly !== undefined) {
      const known = new Set(textOnly.map(problemKey));
      state.carried = {
        text: snapshot.text,
        items: own.filter((p) => !known.has(problemKey(p))).map((p) => ({ problem: p, start: snapshot.offset(lspStart(p)), end: snapshot.offset(lspEnd(p)) })),
      };
    }
    const current = this.documents.get(uri);
    if (current === undefined) return;
    if (current.version === snapshot.version) {
      // Other files first: the study's publication ends the pass (onPublished).
      this.publishOthers(uri, snapshot, result.problems);
      this.publish(snapshot, own, 'files', t0);
    }
    // A newer version's file pass asked to run while this one did.
    if (state.recheck && state.timer === null && state.filesTimer === null) this.checkFiles(uri);
  }

  /** The last file-check findings, moved to where they are in the current text. */
  private carryOver(state: DocState, snapshot: StudySnapshot): StudyProblem[] {
    const c = state.carried;
    if (c === null || c.items.length === 0) return [];
    const { from, to, delta } = changedRegion(c.text, snapshot.text);
    const move = (o: number): number => (o <= from ? o : o >= to ? o + delta : from);
    return c.items.map(({ problem, start, end }) => {
      const s = snapshot.position(move(start));
      const e = snapshot.position(Math.max(move(start), move(end)));
      return { ...problem, line: s.line + 1, column: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1 };
    });
  }

  private publish(snapshot: StudySnapshot, problems: StudyProblem[], phase: 'text' | 'files', t0: number): void {
    const state = this.state(snapshot.uri);
    const diagnostics = sortProblems(problems).map(toDiagnostic);
    const json = JSON.stringify(diagnostics);
    if (json !== state.published || phase === 'text') {
      state.published = json;
      void this.connection.sendDiagnostics({ uri: snapshot.uri, version: snapshot.version, diagnostics });
    }
    this.options.onPublished?.(snapshot.uri, snapshot.version, phase, performance.now() - t0);
  }

  private publishOthers(source: string, snapshot: StudySnapshot, problems: StudyProblem[]): void {
    const byFile = new Map<string, Diagnostic[]>();
    for (const p of problems) {
      if (p.file === snapshot.file) continue;
      const uri = pathToUri(p.file);
      let list = byFile.get(uri);
      if (list === undefined) byFile.set(uri, (list = []));
      list.push(toDiagnostic(p));
    }
    const touched = new Set<string>(byFile.keys());
    for (const [target, bySource] of this.others) if (bySource.has(source)) touched.add(target);
    for (const target of touched) {
      let bySource = this.others.get(target);
      if (bySource === undefined) this.others.set(target, (bySource = new Map()));
      const next = byFile.get(target);
      const before = JSON.stringify(bySource.get(source) ?? []);
      if (next === undefined) bySource.delete(source);
      else bySource.set(source, next);
      if (JSON.stringify(next ?? []) !== before) this.publishOther(target);
      if (bySource.size === 0) this.others.delete(target);
    }
  }

  private publishOther(target: string): void {
    const all: Diagnostic[] = [];
    for (const list of this.others.get(target)?.values() ?? []) all.push(...list);
    void this.connection.sendDiagnostics({ uri: target, diagnostics: all });
  }
}

function problemKey(p: StudyProblem): string {
  return `${p.line}:${p.column}:${p.endLine}:${p.endColumn}\0${p.severity}\0${p.code ?? ''}\0${p.message}`;
}

function lspStart(p: StudyProblem): { line: number; character: number } {
  return { line: p.line - 1, character: p.column - 1 };
}

function lspEnd(p: StudyProblem): { line: number; character: number } {
  return { line: p.endLine - 1, character: p.endColumn - 1 };
}

/** Source order, as the loader sorts them (text-only problems and carried ones are merged here). */
function sortProblems(ps: StudyProblem[]): StudyProblem[] {
  return [...ps].sort((a, b) => a.line - b.line || a.column - b.column || a.endLine - b.endLine || a.endColumn - b.endColumn);
}

/**
 * Where two versions of a text differ: old offsets in [from, to) were replaced, offsets from `to`
 * on moved by `delta`. One common prefix and suffix: exact for a single edit, conservative for more.
 */
export function changedRegion(before: string, after: string): { from: number; to: number; delta: number } {
  const n = Math.min(before.length, after.length);
  let p = 0;
  while (p < n && before.charCodeAt(p) === after.charCodeAt(p)) p++;
  let s = 0;
  while (s < n - p && before.charCodeAt(before.length - 1 - s) === after.charCodeAt(after.length - 1 - s)) s++;
  return { from: p, to: before.length - s, delta: after.length - before.length };
}
