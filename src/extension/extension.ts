/**
 * The VS Code extension's entry point (package.json "main": ./dist/extension.js).
 *
 * The extension is assembled from features, each registering its providers and commands when
 * the extension activates. Two are here: the NIfTI viewer and the subject view. The others are
 * built separately and plug in the same way, by adding an ExtensionFeature to FEATURES:
 * - the study-file language client (src/extension/language-client.ts, to be written: start a
 *   vscode-languageclient LanguageClient on dist/language-server.js and return it as the
 *   feature's disposable),
 * - the notebook serializer, controller and renderer messaging.
 * A feature gets the shared context (log, tracker, subject views) so, e.g., the study file's code
 * lens can call `radiogenomics.openSubject` with OpenSubjectArgs.
 */
import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { SubjectViewManager } from './subject-view';
import { NiftiViewerProvider } from './viewer-provider';
import { type WebviewReport, WebviewTracker } from './webview-tracker';
import { studyFiles } from './study/feature';

export interface FeatureContext {
  extension: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  tracker: WebviewTracker;
  subjects: SubjectViewManager;
}

export interface ExtensionFeature {
  /** Shown in the log when the feature starts or fails. */
  id: string;
  activate(ctx: FeatureContext): vscode.Disposable[] | Promise<vscode.Disposable[]>;
}

const niftiViewer: ExtensionFeature = {
  id: 'nifti-viewer',
  activate: (ctx) => [NiftiViewerProvider.register(ctx.extension.extensionUri, ctx.tracker, ctx.log)],
};

const subjectView: ExtensionFeature = {
  id: 'subject-view',
  activate: (ctx) => registerCommands(ctx.subjects),
};

/** The features started on activation, in order. Add the language client and notebooks here. */
export const FEATURES: ExtensionFeature[] = [niftiViewer, subjectView, studyFiles];

/** What activate() returns (`vscode.extensions.getExtension(id).exports`): used by the
 *  integration tests, and by other extensions that want to know when a view is on screen. */
export interface RadiogenomicsStudioApi {
  /** The webviews open now, with their state ('waiting', 'loaded', 'refused', ...). */
  webviews(): WebviewReport[];
  /** Fires on every change of a webview's state. */
  onDidChangeWebview: vscode.Event<WebviewReport>;
}

export async function activate(context: vscode.ExtensionContext): Promise<RadiogenomicsStudioApi> {
  const log = vscode.window.createOutputChannel('Radiogenomics Studio', { log: true });
  const tracker = new WebviewTracker();
  const subjects = new SubjectViewManager(context.extensionUri, tracker, log);
  context.subscriptions.push(log, tracker, subjects);
  const ctx: FeatureContext = { extension: context, log, tracker, subjects };
  for (const f of FEATURES) {
    try {
      context.subscriptions.push(...(await f.activate(ctx)));
    } catch (e) {
      // One feature failing (e.g. the language server binary missing) must not take the others down.
      log.error(`feature ${f.id} failed to start: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  context.subscriptions.push(...(await import('./notebook/index')).registerNotebooks(context));
  return { webviews: () => tracker.list(), onDidChangeWebview: tracker.onDidChange };
}

export function deactivate(): void {
  // Everything is in context.subscriptions, which VS Code disposes.
}
