/**
 * What the viewer and the subject view share: the page (strict CSP, fresh nonce), the webview's
 * options, and the handshake. The page posts `ready` each time it (re)loads; the host answers
 * with the init message built by the caller, and records what the page reports back.
 */
import * as vscode from 'vscode';
import { RgsError } from '../engine/util/errors';
import { type HostToWebviewMessage, parseWebviewMessage } from './messages';
import { buildWebviewHtml, createNonce, type WebviewMode } from './webview-html';
import type { WebviewReport, WebviewTracker } from './webview-tracker';
import { localResourceRoots } from './volume-sources';

export interface PreparedInit {
  message: HostToWebviewMessage;
  transport?: WebviewReport['transport'];
}

export interface WebviewSessionOptions {
  extensionUri: vscode.Uri;
  webview: vscode.Webview;
  mode: WebviewMode;
  title: string;
  /** Shown in the tracker's reports (file or subject). */
  resource: string;
  tracker: WebviewTracker;
  log: vscode.LogOutputChannel;
  /** Builds the answer to `ready` (size checks, sources); a thrown RgsError is shown in the page. */
  prepare: () => Promise<PreparedInit>;
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, enableCommandUris: false, localResourceRoots: localResourceRoots(extensionUri) };
}

export function pageHtml(extensionUri: vscode.Uri, webview: vscode.Webview, mode: WebviewMode, title: string): string {
  const uri = (...p: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...p)).toString();
  return buildWebviewHtml({
    cspSource: webview.cspSource,
    nonce: createNonce(),
    title,
    mode,
    scriptUri: uri('dist', 'webview', 'main.js'),
    codiconsUri: uri('dist', 'webview', 'codicon.css'),
    styleUris: [uri('media', 'webview.css')],
  });
}

/** Wire a webview to its page; dispose the result when the panel closes. */
export function startWebviewSession(o: WebviewSessionOptions): vscode.Disposable {
  const report = o.tracker.add(o.mode, o.resource);
  o.webview.options = webviewOptions(o.extensionUri);
  o.webview.html = pageHtml(o.extensionUri, o.webview, o.mode, o.title);

  const onReady = async () => {
    o.tracker.update(report.id, { status: 'ready' });
    let prepared: PreparedInit;
    try {
      prepared = await o.prepare();
    } catch (e) {
      const message = e instanceof RgsError ? e.message : `Internal error: ${e instanceof Error ? e.message : String(e)}`;
      if (!(e instanceof RgsError)) o.log.error(e instanceof Error ? e : new Error(String(e)));
      o.tracker.update(report.id, { status: 'error', message });
      await o.webview.postMessage({ type: 'show-error', message } satisfies HostToWebviewMessage);
      return;
    }
    if (prepared.message.type === 'show-error') {
      o.log.warn(`${o.resource}: ${prepared.message.message}`);
      o.tracker.update(report.id, { status: 'refused', message: prepared.message.message });
    } else {
      o.tracker.update(report.id, { transport: prepared.transport });
    }
    await o.webview.postMessage(prepared.message);
  };

  const sub = o.webview.onDidReceiveMessage((raw: unknown) => {
    const msg = parseWebviewMessage(raw);
    if (!msg) {
      o.log.warn(`${o.resource}: ignored a malformed message from the webview`);
      return;
    }
    switch (msg.type) {
      case 'ready':
        void onReady();
        break;
      case 'loaded':
        o.tracker.update(report.id, { status: 'loaded', volumes: msg.volumes, message: undefined });
        break;
      case 'error':
        o.log.warn(`${o.resource}: webview reported ${msg.code}: ${msg.message}`);
        o.tracker.update(report.id, { status: 'error', message: `${msg.code}: ${msg.message}` });
        break;
      case 'csp-violation':
        o.log.error(`${o.resource}: the webview's Content-Security-Policy blocked ${msg.blocked} (${msg.directive})`);
        o.tracker.addCspViolation(report.id, `${msg.directive}: ${msg.blocked}`);
        break;
    }
  });
  return new vscode.Disposable(() => {
    sub.dispose();
    o.tracker.update(report.id, { status: 'closed' });
  });
}
