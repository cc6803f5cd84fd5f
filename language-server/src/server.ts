/**
 * The language server for Radiogenomics Studio study files (`*.study.yaml`), over LSP on stdio
 * (`--stdio`), Node IPC (`--node-ipc`) or a socket (`--socket=N`), for any LSP client.
 *
 * Diagnostics come from the engine's study loader (the same analysis as `rgs validate`);
 * completion, hover, definition/references, symbols, folding, formatting and quick fixes read
 * the study schema, the feature catalogue and the files the study names. One module per feature.
 *
 * Initialization options (ms): `diagnosticsDelay` (debounce after a change before the text pass,
 * default 10) and `fileChecksDelay` (after a change's text pass, before the pass that reads the
 * files the study names, default 200; at once when a document is opened or saved). The same
 * bundle, started as a worker thread, runs the file checks (file-checks.ts).
 */
import {
  CodeActionKind,
  createConnection,
  DidChangeWatchedFilesNotification,
  ProposedFeatures,
  TextDocumentSyncKind,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { ENGINE_VERSION } from '../../src/engine/version';
import { FileFactsCache } from '../../src/engine/study/file-facts';
import { codeActions } from './code-actions';
import { completions } from './completion';
import { definitionAt, referencesAt } from './definition';
import { DiagnosticsScheduler } from './diagnostics';
import { StudyDocuments } from './documents';
import { FileChecker, isFileChecksWorker, runFileChecksWorker } from './file-checks';
import { foldingRanges } from './folding';
import { formatDocument } from './formatting';
import { hoverAt } from './hover';
import { documentSymbols } from './symbols';

const DEFAULT_DIAGNOSTICS_DELAY_MS = 10;
const DEFAULT_FILE_CHECKS_DELAY_MS = 200;

/** Sent after each diagnostics pass: `{ uri, version, phase: 'text' | 'files', ms }`. */
export const DIAGNOSTICS_PHASE_NOTIFICATION = 'rgs/diagnosticsPhase';

/** Runs a request handler; a bug in one feature is logged, not fatal for the server. */
function guarded<P, R>(connection: Connection, name: string, empty: R, handler: (params: P) => R | Promise<R>): (params: P) => Promise<R> {
  return async (params: P) => {
    try {
      return await handler(params);
    } catch (e) {
      connection.console.error(`rgs: ${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return empty;
    }
  };
}

export function startServer(): void {
  const connection = createConnection(ProposedFeatures.all);
  const docs = new StudyDocuments();
  // Completion and hover read the manifest and clinical tables through their own cache (the
  // worker has the diagnostics' one): both only re-read a file whose mtime or size changed.
  const files = new FileFactsCache();
  const checker = new FileChecker(__filename.endsWith('.js') ? __filename : null);
  let diagnostics: DiagnosticsScheduler | null = null;
  let watchDynamically = false;

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const options = (params.initializationOptions ?? {}) as { diagnosticsDelay?: unknown; fileChecksDelay?: unknown };
    const ms = (v: unknown, fallback: number): number => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : fallback);
    diagnostics = new DiagnosticsScheduler(connection, docs, checker, {
      delayMs: ms(options.diagnosticsDelay, DEFAULT_DIAGNOSTICS_DELAY_MS),
      filesDelayMs: ms(options.fileChecksDelay, DEFAULT_FILE_CHECKS_DELAY_MS),
      // For clients that show progress, tests and the benchmark: each pass of the diagnostics
      // ('text': syntax, schema, names, IBSI; 'files': with the files the study names) is done.
      onPublished: (uri, version, phase, ms) => void connection.sendNotification(DIAGNOSTICS_PHASE_NOTIFICATION, { uri, version, phase, ms }),
    });
    watchDynamically = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        completionProvider: { triggerCharacters: [':', ' ', '-', '/', '[', ',', '"', "'"], resolveProvider: false },
        hoverProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        documentSymbolProvider: true,
        foldingRangeProvider: true,
        documentFormattingProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      },
      serverInfo: { name: 'rgs-study-language-server', version: ENGINE_VERSION },
    };
  });

  connection.onInitialized(() => {
    connection.console.info(`rgs study language server ${ENGINE_VERSION}: file checks ${checker.inWorker ? 'in a worker thread' : 'on the main thread'}`);
    // The manifest, clinical tables and images a study names: re-check when they change.
    if (watchDynamically) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [{ globPattern: '**/*.{csv,nii,nii.gz}' }],
      });
    }
  });

  docs.documents.onDidOpen((e) => diagnostics?.schedule(e.document.uri, true));
  docs.documents.onDidChangeContent((e) => diagnostics?.schedule(e.document.uri));
  docs.documents.onDidSave(() => diagnostics?.recheckAll());
  docs.documents.onDidClose((e) => {
    docs.forget(e.document.uri);
    diagnostics?.close(e.document.uri);
  });
  connection.onDidChangeWatchedFiles(() => diagnostics?.recheckAll());

  connection.onCompletion(
    guarded(connection, 'completion', [], async (p) => {
      const s = docs.get(p.textDocument.uri);
      return s === undefined ? [] : completions(s, p.position, { files });
    }),
  );
  connection.onHover(
    guarded(connection, 'hover', null, (p) => {
      const s = docs.get(p.textDocument.uri);
      return s === undefined ? null : hoverAt(s, p.position, { files });
    }),
  );
  connection.onDefinition(
    guarded(connection, 'definition', [], (p) => {
      const s = docs.get(p.textDocument.uri);
      return s === undefined ? [] : definitionAt(s, p.position);
    }),
  );
  connection.onReferences(
    guarded(connection, 'references', [], (p) => {
      const s = docs.get(p.textDocument.uri);
      return s === undefined ? [] : referencesAt(s, p.position, p.context.includeDeclaration);
    }),
  );
  connection.onDocumentSymbol(
    guarded(connection, 'documentSymbol', [], (p) => {
      const s = docs.get(p.textDocument.uri);
      return s === undefined ? [] : documentSymbols(s);
    }),
  );
  connection.onFoldingRanges(
    guarded(connection, 'foldingRange', [], (p) => {
      const s = docs.get(p.textDocument.uri);
      return s === undefined ? [] : foldingRanges(s.lines);
    }),
  );
  connection.onDocumentFormatting(
    guarded(connection, 'formatting', [], (p) => {
      const s = docs.get(p.textDocument.uri);
      return s === undefined ? [] : formatDocument(s, p.options);
    }),
  );
  connection.onCodeAction(
    guarded(connection, 'codeAction', [], (p) => {
      const s = docs.get(p.textDocument.uri);
      return s === undefined ? [] : codeActions(s, p);
    }),
  );
  connection.onShutdown(() => checker.dispose());

  docs.documents.listen(connection);
  connection.listen();
}

if (isFileChecksWorker()) runFileChecksWorker();
else startServer();
