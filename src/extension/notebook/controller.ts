/**
 * The notebook controller ("kernel") of Radiogenomics notebooks, offered for `.rgnb` notebooks
 * and for Jupyter notebooks. It runs YAML cells (study fragments) and JavaScript cells (queries)
 * in one worker thread per notebook (kernel-session.ts; at the lowest priority on Linux), so the
 * editor never waits:
 *
 * - outputs stream into the cell as the kernel sends them; an output with a key replaces its
 *   previous version (live extraction progress);
 * - interrupt terminates the worker: the running cell ends as failed, the queued ones as not
 *   run; the next cell gets a fresh worker that reloads results from the results folder;
 * - the study's problems become error outputs naming the cell and line, and diagnostics on the
 *   cells (and on the files the study names) until the cell is edited or run again;
 * - nothing runs in an untrusted workspace (running a cell reads the files the study names and
 *   evaluates JavaScript): the cell output says so.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import * as vscode from 'vscode';
import type { EncodedOutput } from '../../kernel/protocol';
import type { LocatedProblem, StudyFragment } from '../../kernel/study-fragments';
import { KernelSession, type ExecuteResult } from './kernel-session';

export const CONTROLLER_LABEL = 'Radiogenomics';
export const SUPPORTED_LANGUAGES = ['yaml', 'javascript'];

export const UNTRUSTED_MESSAGE =
  'This workspace is not trusted, so the Radiogenomics kernel does not start: running a cell reads the images and tables the ' +
  'study names and evaluates JavaScript. Trust the workspace (Workspaces: Manage Workspace Trust) to run cells.';

/** The kernel already encoded the items (as NotebookCellOutputItem.json/.text would): the
 *  host only wraps the bytes, so big documents cost its event loop nothing. */
function outputItems(o: EncodedOutput): vscode.NotebookCellOutputItem[] {
  return o.items.map((it) => new vscode.NotebookCellOutputItem(it.data, it.mime));
}

/** The folder a notebook's relative paths resolve against, and its file path (saved or not). */
function notebookPath(notebook: vscode.NotebookDocument): string {
  if (notebook.uri.scheme === 'file') return notebook.uri.fsPath;
  const folder = vscode.workspace.getWorkspaceFolder(notebook.uri) ?? vscode.workspace.workspaceFolders?.[0];
  if (folder === undefined || folder.uri.scheme !== 'file') throw new Error('save the notebook in a folder first: its study paths are relative to it');
  return join(folder.uri.fsPath, basename(notebook.uri.path) || 'untitled.rgnb');
}

/** The notebook's base study file (metadata `study`, relative to the notebook), if any. */
function baseStudyPath(notebook: vscode.NotebookDocument, nbPath: string): string | null {
  const m = notebook.metadata as Record<string, unknown> | undefined;
  const nested = m?.metadata as Record<string, unknown> | undefined; // .ipynb keeps its metadata one level down
  const study = typeof m?.study === 'string' ? m.study : typeof nested?.study === 'string' ? nested.study : null;
  return study === null || study === '' ? null : resolve(dirname(nbPath), study);
}

export interface CellStudy {
  fragments: StudyFragment[];
  current: number;
  studyFile: string;
}

/** The study as of `cell`: the base study file, then the YAML cells before it (and itself, if YAML). */
export function studyAsOf(notebook: vscode.NotebookDocument, cell: vscode.NotebookCell): CellStudy {
  const nbPath = notebookPath(notebook);
  const base = baseStudyPath(notebook, nbPath);
  const fragments: StudyFragment[] = [];
  if (base !== null) {
    let text: string;
    try {
      text = readFileSync(base, 'utf8');
    } catch (e) {
      throw new Error(`the notebook's study file ${base} cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)}); fix \`study\` in the notebook metadata`);
    }
    fragments.push({ id: vscode.Uri.file(base).toString(), label: relative(dirname(nbPath), base) || base, text });
  }
  let current = -1;
  for (const c of notebook.getCells()) {
    if (c.index > cell.index) break;
    if (c.kind !== vscode.NotebookCellKind.Code || c.document.languageId !== 'yaml') continue;
    if (c.index === cell.index) current = fragments.length;
    fragments.push({ id: c.document.uri.toString(), label: `cell ${c.index + 1}`, text: c.document.getText() });
  }
  const studyFile = base ?? join(dirname(nbPath), `${basename(nbPath, extname(nbPath))}.study.yaml`);
  return { fragments, current, studyFile };
}

export class NotebookKernel implements vscode.Disposable {
  private readonly controller: vscode.NotebookController;
  private readonly sessions = new Map<string, KernelSession>();
  private readonly disposables: vscode.Disposable[] = [];
  /** Notebook -> the execution count shown next to its cells ([1], [2], ...). */
  private readonly executionOrder = new Map<string, number>();
  /** Notebook -> the URIs it has diagnostics on. */
  private readonly diagnosed = new Map<string, Set<string>>();

  constructor(
    id: string,
    notebookType: string,
    private readonly workerScript: string,
    private readonly diagnostics: vscode.DiagnosticCollection,
  ) {
    this.controller = vscode.notebooks.createNotebookController(id, notebookType, CONTROLLER_LABEL);
    this.controller.supportedLanguages = SUPPORTED_LANGUAGES;
    this.controller.supportsExecutionOrder = true;
    this.controller.description = 'study cells (YAML) and queries (JavaScript), run in a worker thread';
    this.controller.executeHandler = (cells, notebook) => this.executeCells(cells, notebook);
    this.controller.interruptHandler = (notebook) => this.sessions.get(notebook.uri.toString())?.interrupt();
    this.disposables.push(
      this.controller,
      vscode.workspace.onDidCloseNotebookDocument((nb) => {
        const key = nb.uri.toString();
        void this.sessions.get(key)?.dispose();
        this.sessions.delete(key);
        this.executionOrder.delete(key);
      }),
      // An edited cell's diagnostics are stale until it runs again.
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.uri.scheme === 'vscode-notebook-cell' && e.contentChanges.length > 0) this.diagnostics.delete(e.document.uri);
      }),
    );
  }

  dispose(): void {
    for (const s of this.sessions.values()) void s.dispose();
    this.sessions.clear();
    for (const d of this.disposables) d.dispose();
  }

  private session(notebook: vscode.NotebookDocument): KernelSession {
    const key = notebook.uri.toString();
    let s = this.sessions.get(key);
    if (s === undefined) {
      s = new KernelSession({
        workerScript: this.workerScript,
        kernel: {
          notebookFile: notebookPath(notebook),
          trusted: vscode.workspace.isTrusted,
          // Leave one core to the editor and the extension host.
          jobs: Math.max(1, availableParallelism() - 1),
        },
      });
      this.sessions.set(key, s);
    }
    return s;
  }

  private async executeCells(cells: vscode.NotebookCell[], notebook: vscode.NotebookDocument): Promise<void> {
    // Every execution is created first so the queued cells show as pending.
    const executions = cells.map((cell) => ({ cell, exec: this.controller.createNotebookCellExecution(cell) }));
    let stopped = false;
    for (const { cell, exec } of executions) {
      if (stopped || exec.token.isCancellationRequested) {
        exec.start(Date.now());
        exec.end(undefined, Date.now());
        continue;
      }
      const result = await this.executeCell(cell, notebook, exec);
      if (result === 'interrupted') stopped = true;
    }
  }

  private async executeCell(cell: vscode.NotebookCell, notebook: vscode.NotebookDocument, exec: vscode.NotebookCellExecution): Promise<'ok' | 'failed' | 'interrupted'> {
    const order = (this.executionOrder.get(notebook.uri.toString()) ?? 0) + 1;
    this.executionOrder.set(notebook.uri.toString(), order);
    exec.executionOrder = order;
    exec.start(Date.now());
    await exec.clearOutput();
    const fail = async (name: string, message: string) => {
      await exec.appendOutput(new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.error({ name, message })]));
      exec.end(false, Date.now());
      return 'failed' as const;
    };
    if (!vscode.workspace.isTrusted) return fail('Workspace not trusted', UNTRUSTED_MESSAGE);
    if (!SUPPORTED_LANGUAGES.includes(cell.document.languageId)) {
      return fail('Not a kernel language', `cell ${cell.index + 1} is ${cell.document.languageId}: this kernel runs study cells (yaml) and queries (javascript)`);
    }
    let study: CellStudy;
    try {
      study = studyAsOf(notebook, cell);
    } catch (e) {
      return fail('Cannot run the cell', e instanceof Error ? e.message : String(e));
    }
    const keyed = new Map<string, vscode.NotebookCellOutput>();
    const session = this.session(notebook);
    const result: ExecuteResult = await session.execute(
      { cell: { index: cell.index, language: cell.document.languageId, source: cell.document.getText(), label: `cell ${cell.index + 1}` }, ...study },
      {
        output(o, key) {
          const items = outputItems(o);
          const existing = key !== undefined ? keyed.get(key) : undefined;
          if (existing !== undefined) {
            void exec.replaceOutputItems(items, existing);
            return;
          }
          const out = new vscode.NotebookCellOutput(items);
          if (key !== undefined) keyed.set(key, out);
          void exec.appendOutput(out);
        },
      },
    );
    if (result.status === 'done') {
      if (cell.document.languageId === 'yaml' || result.problems.length > 0) this.showProblems(notebook, study, result.problems);
      exec.end(result.success, Date.now());
      return result.success ? 'ok' : 'failed';
    }
    if (result.status === 'interrupted') {
      await exec.appendOutput(
        new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.stderr('Interrupted: the kernel was stopped. The next cell starts a fresh kernel, which reloads the saved results.\n')]),
      );
      exec.end(false, Date.now());
      return 'interrupted';
    }
    return fail('Kernel stopped', `${result.message}. The next cell starts a fresh kernel.`);
  }

  /** Replace the notebook's diagnostics with `problems` (located in fragments or other files). */
  private showProblems(notebook: vscode.NotebookDocument, study: CellStudy, problems: readonly LocatedProblem[]): void {
    const key = notebook.uri.toString();
    for (const uri of this.diagnosed.get(key) ?? []) this.diagnostics.delete(vscode.Uri.parse(uri));
    const byUri = new Map<string, vscode.Diagnostic[]>();
    for (const p of problems) {
      const uri = p.fragment !== null ? study.fragments[p.fragment]?.id : p.file !== null ? vscode.Uri.file(p.file).toString() : undefined;
      if (uri === undefined) continue;
      const range = new vscode.Range(p.line - 1, p.column - 1, p.endLine - 1, Math.max(p.endColumn - 1, p.endLine === p.line ? p.column : 0));
      const severity = p.severity === 'error' ? vscode.DiagnosticSeverity.Error : p.severity === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information;
      const d = new vscode.Diagnostic(range, p.message, severity);
      d.source = 'radiogenomics';
      if (p.code !== undefined) d.code = p.code;
      const list = byUri.get(uri) ?? [];
      list.push(d);
      byUri.set(uri, list);
    }
    for (const [uri, list] of byUri) this.diagnostics.set(vscode.Uri.parse(uri), list);
    this.diagnosed.set(key, new Set(byUri.keys()));
  }
}
