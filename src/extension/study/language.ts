/**
 * The language client of the study-file language server (language-server/, bundled to
 * dist/language-server.js): diagnostics, completion, hover, definitions, outline, folding,
 * formatting and quick fixes for `radiogenomics-study` documents on disk.
 *
 * The server runs in its own Node process, forked by vscode-languageclient with the extension
 * host's Node and spoken to over Node IPC (TransportKind.ipc). It is started when the first study
 * document opens, not at activation: a workspace without studies does not pay for the process.
 * The manifest, clinical tables and images a study names are watched (`**\/*.{csv,nii,nii.gz}`)
 * through the server's own dynamic registration, which vscode-languageclient turns into
 * workspace file watchers; a change re-checks the open studies.
 */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { DIAGNOSTICS_STATE_COMMAND, STUDY_LANGUAGE_ID } from './ids';

/** The server's notification after each diagnostics pass (language-server/src/server.ts; not
 *  imported from there: that module starts a server when loaded). */
const DIAGNOSTICS_PHASE_NOTIFICATION = 'rgs/diagnosticsPhase';

export interface DiagnosticsState {
  version: number;
  phase: 'text' | 'files';
}

interface PhaseParams {
  uri: string;
  version: number;
  phase: 'text' | 'files';
  ms: number;
}

export class StudyLanguageClient implements vscode.Disposable {
  private client: LanguageClient | null = null;
  private starting: Promise<void> | null = null;
  private readonly phases = new Map<string, DiagnosticsState>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly output: vscode.LogOutputChannel;

  constructor(
    private readonly serverModule: string,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.output = vscode.window.createOutputChannel('Radiogenomics Study Language Server', { log: true });
    this.disposables.push(
      this.output,
      vscode.workspace.onDidOpenTextDocument((d) => this.onOpen(d)),
      vscode.workspace.onDidCloseTextDocument((d) => this.phases.delete(d.uri.toString())),
      vscode.commands.registerCommand(DIAGNOSTICS_STATE_COMMAND, (uri: unknown) => this.phases.get(uri instanceof vscode.Uri ? uri.toString() : String(uri))),
    );
    for (const d of vscode.workspace.textDocuments) this.onOpen(d);
  }

  private onOpen(d: vscode.TextDocument): void {
    if (d.languageId === STUDY_LANGUAGE_ID && d.uri.scheme === 'file') void this.start();
  }

  /** Starts the server once; later calls wait for the same start. */
  start(): Promise<void> {
    this.starting ??= this.startClient().catch((e: unknown) => {
      this.log.error(`study language server failed to start: ${e instanceof Error ? e.message : String(e)}`);
      this.starting = null; // the next study opened tries again
      this.client = null;
    });
    return this.starting;
  }

  private async startClient(): Promise<void> {
    const node = { module: this.serverModule, transport: TransportKind.ipc };
    const serverOptions: ServerOptions = { run: node, debug: node };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [{ scheme: 'file', language: STUDY_LANGUAGE_ID }],
      outputChannel: this.output,
      initializationOptions: {},
    };
    const client = new LanguageClient('radiogenomics-study', 'Radiogenomics Study Language Server', serverOptions, clientOptions);
    this.client = client;
    client.onNotification(DIAGNOSTICS_PHASE_NOTIFICATION, (p: PhaseParams) => {
      this.phases.set(vscode.Uri.parse(p.uri).toString(), { version: p.version, phase: p.phase });
    });
    await client.start();
    this.log.info(`study language server started (${this.serverModule})`);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    const client = this.client;
    this.client = null;
    if (client !== null) void client.stop().catch(() => undefined);
  }
}
