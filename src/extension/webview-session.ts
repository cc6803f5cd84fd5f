/**
 * What the viewer and the subject view share: the page (strict CSP, fresh nonce), the webview's
 * options, and the handshake. The page posts `ready` each time it (re)loads; the host answers
 * with the init message built by the caller, and records what the page reports back.
 *
 * The first answer is prepared at once (headers, size checks, sources), while VS Code creates the
 * webview, and the page is written with its volumes' URLs to preload: the downloads then start
 * when the HTML is parsed, not after the 1 MB bundle has run and the handshake has gone round.
 * Only volumes that passed the size check are preloaded, so nothing is fetched before its header
 * was read.
 */
import * as vscode from 'vscode';
import { RgsError } from '../engine/util/errors';
import { type HostToWebviewMessage, parseWebviewMessage, urlsToPreload } from './messages';
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

/** How long the page waits for the first answer's URLs: longer only on slow (remote) file
 *  systems, where the page is then written without preloads rather than left blank. */
export const PRELOAD_WAIT_MS = 300;

export function pageHtml(extensionUri: vscode.Uri, webview: vscode.Webview, mode: WebviewMode, title: string, preloadUrls: string[] = []): string {
  const uri = (...p: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...p)).toString();
  return buildWebviewHtml({
    cspSource: webview.cspSource,
    nonce: createNonce(),
    title,
    mode,
    scriptUri: uri('dist', 'webview', 'main.js'),
    codiconsUri: uri('dist', 'webview', 'codicon.css'),
    styleUris: [uri('media', 'webview.css')],
    preloadUrls,
  });
}

/** Wire a webview to its page; dispose the result when the panel closes. */
export function startWebviewSession(o: WebviewSessionOptions): vscode.Disposable {
  const report = o.tracker.add(o.mode, o.resource);
  o.webview.options = webviewOptions(o.extensionUri);
  let disposed = false;
  // The first page load is answered with this; a reloaded page gets a fresh one.
  let early: Promise<PreparedInit> | undefined = o.prepare();
  let timer: NodeJS.Timeout | undefined;
  const waited = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), PRELOAD_WAIT_MS)));
  // The catch also marks `early`'s rejection as handled; onReady reports it.
  void Promise.race([early.catch(() => null), waited]).then((prepared) => {
    clearTimeout(timer);
    if (disposed) return;
    o.webview.html = pageHtml(o.extensionUri, o.webview, o.mode, o.title, prepared ? urlsToPreload(prepared.message) : []);
    o.tracker.update(report.id, { pageWrittenAt: Date.now() });
  });

  const onReady = async () => {
    o.tracker.update(report.id, { status: 'ready' });
    let prepared: PreparedInit;
    try {
      const pending = early ?? o.prepare();
      early = undefined;
      prepared = await pending;
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
    disposed = true;
    clearTimeout(timer);
    sub.dispose();
    o.tracker.update(report.id, { status: 'closed' });
  });
}
