/**
 * A minimal LSP client for the tests and the benchmark: spawns the built server
 * (`node dist/language-server.js --stdio`) as a separate process and talks JSON-RPC to it with
 * vscode-jsonrpc, keeping every published diagnostic so a test can wait for a given version.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import {
  CodeActionRequest,
  CompletionRequest,
  DefinitionRequest,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DocumentFormattingRequest,
  DocumentSymbolRequest,
  ExitNotification,
  FoldingRangeRequest,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ReferencesRequest,
  ShutdownRequest,
  type CodeAction,
  type Command,
  type CompletionItem,
  type CompletionList,
  type Diagnostic,
  type DocumentSymbol,
  type FoldingRange,
  type Hover,
  type InitializeResult,
  type Location,
  type LocationLink,
  type Position,
  type PublishDiagnosticsParams,
  type Range,
  type SymbolInformation,
  type TextEdit,
} from 'vscode-languageserver-protocol/node';

export const ROOT = join(__dirname, '..', '..');

/** Builds dist/ (the server bundle) once per test file. */
export function buildServer(): void {
  const b = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { encoding: 'utf8', cwd: ROOT });
  if (b.status !== 0) throw new Error(`build failed: ${b.stderr}`);
}

export function uriOf(path: string): string {
  return pathToFileURL(path).href;
}

/** The server's `rgs/diagnosticsPhase` notification. */
export interface PhaseDone {
  uri: string;
  version: number;
  phase: 'text' | 'files';
  ms: number;
}

type Waiter = { uri: string; version: number | null; accept: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void };

export class LspClient {
  readonly connection: MessageConnection;
  readonly published: PublishDiagnosticsParams[] = [];
  private readonly waiters: Waiter[] = [];
  readonly phases: PhaseDone[] = [];
  private readonly phaseWaiters: (Omit<PhaseDone, 'ms'> & { resolve: (p: PhaseDone) => void })[] = [];
  private readonly versions = new Map<string, number>();
  stderr = '';
  initialize: InitializeResult | null = null;

  private constructor(readonly process: ChildProcessWithoutNullStreams) {
    this.connection = createMessageConnection(new StreamMessageReader(process.stdout), new StreamMessageWriter(process.stdin));
    process.stderr.on('data', (d: Buffer) => {
      this.stderr += d.toString();
    });
    this.connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
      this.published.push(p);
      for (let i = this.waiters.length - 1; i >= 0; i--) {
        const w = this.waiters[i];
        if (w.uri === p.uri && (w.version === null || p.version === w.version) && w.accept(p)) {
          this.waiters.splice(i, 1);
          w.resolve(p);
        }
      }
    });
    this.connection.onNotification('rgs/diagnosticsPhase', (p: PhaseDone) => {
      this.phases.push(p);
      for (let i = this.phaseWaiters.length - 1; i >= 0; i--) {
        const w = this.phaseWaiters[i];
        if (w.uri === p.uri && w.version === p.version && w.phase === p.phase) {
          this.phaseWaiters.splice(i, 1);
          w.resolve(p);
        }
      }
    });
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onNotification('window/logMessage', (m: { message: string }) => {
      this.stderr += `${m.message}\n`;
    });
    this.connection.listen();
  }

  static async start(initializationOptions: Record<string, unknown> = {}): Promise<LspClient> {
    const child = spawn(process.execPath, [join(ROOT, 'dist', 'language-server.js'), '--stdio'], { cwd: ROOT });
    const client = new LspClient(child);
    client.initialize = await client.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: null,
      capabilities: {
        textDocument: {
          completion: { completionItem: { snippetSupport: false, labelDetailsSupport: true } },
          hover: { contentFormat: ['markdown', 'plaintext'] },
          publishDiagnostics: { versionSupport: true },
          documentSymbol: { hierarchicalDocumentSymbolSupport: true },
        },
        workspace: { didChangeWatchedFiles: { dynamicRegistration: true } },
      },
      workspaceFolders: null,
      initializationOptions,
    });
    await client.connection.sendNotification(InitializedNotification.type, {});
    return client;
  }

  /** The next diagnostics published for `uri` at `version` (or any version) that `accept` takes. */
  diagnostics(uri: string, version: number | null, accept: (p: PublishDiagnosticsParams) => boolean = () => true, timeoutMs = 20_000): Promise<Diagnostic[]> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri} v${version}; server stderr: ${this.stderr}`)), timeoutMs);
      this.waiters.push({
        uri,
        version,
        accept,
        resolve: (p) => {
          clearTimeout(timer);
          resolve(p.diagnostics);
        },
      });
    });
  }

  /** Resolves when the server has finished a diagnostics pass of `uri` at `version`. */
  phaseDone(uri: string, version: number, phase: 'text' | 'files', timeoutMs = 20_000): Promise<PhaseDone> {
    const done = this.phases.find((p) => p.uri === uri && p.version === version && p.phase === phase);
    if (done !== undefined) return Promise.resolve(done);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${phase} pass for ${uri} v${version}; server stderr: ${this.stderr}`)), timeoutMs);
      this.phaseWaiters.push({
        uri,
        version,
        phase,
        resolve: (p) => {
          clearTimeout(timer);
          resolve(p);
        },
      });
    });
  }

  /** The diagnostics most recently published for `uri` ([] when none were). */
  latest(uri: string): Diagnostic[] {
    for (let i = this.published.length - 1; i >= 0; i--) if (this.published[i].uri === uri) return this.published[i].diagnostics;
    return [];
  }

  /** Opens a document and waits until both diagnostics passes are done; returns the final diagnostics. */
  async openAndCheck(uri: string, text: string): Promise<Diagnostic[]> {
    await this.open(uri, text);
    await this.phaseDone(uri, 1, 'files');
    return this.latest(uri);
  }

  async open(uri: string, text: string): Promise<void> {
    this.versions.set(uri, 1);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'yaml', version: 1, text } });
  }

  /** Replaces `range` with `text`; returns the new version. */
  async change(uri: string, range: Range, text: string): Promise<number> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: [{ range, text }],
    });
    return version;
  }

  /** Replaces the whole text; returns the new version. */
  async replaceAll(uri: string, text: string): Promise<number> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ text }] });
    return version;
  }

  async close(uri: string): Promise<void> {
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  async completion(uri: string, position: Position): Promise<CompletionItem[]> {
    const r = (await this.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position })) as CompletionItem[] | CompletionList | null;
    return r === null ? [] : Array.isArray(r) ? r : r.items;
  }

  async hover(uri: string, position: Position): Promise<Hover | null> {
    return this.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position });
  }

  async definition(uri: string, position: Position): Promise<Location[]> {
    const r = (await this.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri }, position })) as Location | Location[] | LocationLink[] | null;
    if (r === null) return [];
    return (Array.isArray(r) ? r : [r]) as Location[];
  }

  async references(uri: string, position: Position, includeDeclaration = true): Promise<Location[]> {
    return (await this.connection.sendRequest(ReferencesRequest.type, { textDocument: { uri }, position, context: { includeDeclaration } })) ?? [];
  }

  async symbols(uri: string): Promise<DocumentSymbol[]> {
    return ((await this.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } })) ?? []) as DocumentSymbol[] | SymbolInformation[] as DocumentSymbol[];
  }

  async folding(uri: string): Promise<FoldingRange[]> {
    return (await this.connection.sendRequest(FoldingRangeRequest.type, { textDocument: { uri } })) ?? [];
  }

  async format(uri: string, tabSize = 2): Promise<TextEdit[]> {
    return (await this.connection.sendRequest(DocumentFormattingRequest.type, { textDocument: { uri }, options: { tabSize, insertSpaces: true } })) ?? [];
  }

  async codeActions(uri: string, range: Range, diagnostics: Diagnostic[]): Promise<CodeAction[]> {
    const r = ((await this.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range, context: { diagnostics } })) ?? []) as (CodeAction | Command)[];
    return r.filter((a): a is CodeAction => 'edit' in a || 'kind' in a);
  }

  async stop(): Promise<void> {
    try {
      await this.connection.sendRequest(ShutdownRequest.type);
      await this.connection.sendNotification(ExitNotification.type);
    } catch {
      // already gone
    }
    this.connection.dispose();
    await new Promise<void>((resolve) => {
      if (this.process.exitCode !== null) resolve();
      else {
        const t = setTimeout(() => {
          this.process.kill();
          resolve();
        }, 2000);
        this.process.on('exit', () => {
          clearTimeout(t);
          resolve();
        });
      }
    });
  }
}

/** Applies LSP text edits to a text (edits must not overlap). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const lines = text.split('\n');
  const offsetOf = (p: Position): number => {
    let o = 0;
    for (let i = 0; i < p.line && i < lines.length; i++) o += lines[i].length + 1;
    return o + p.character;
  };
  const sorted = [...edits].sort((a, b) => offsetOf(b.range.start) - offsetOf(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, offsetOf(e.range.start)) + e.newText + out.slice(offsetOf(e.range.end));
  return out;
}

/** The 0-based position of the `occurrence`-th match of `needle` (plus `delta` characters). */
export function positionOf(text: string, needle: string, delta = 0, occurrence = 0): Position {
  let at = -1;
  for (let i = 0; i <= occurrence; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`\`${needle}\` not found`);
  }
  const offset = at + delta;
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}
