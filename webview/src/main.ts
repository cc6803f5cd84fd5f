/**
 * Entry point of the webview bundle (dist/webview/main.js), shared by the NIfTI viewer and the
 * subject view (the page's body says which: data-mode="viewer" | "subject").
 *
 * Handshake: the page checks WebGL2, posts `ready`, and the host answers with `init-viewer` or
 * `init-subject` (or `show-error`). The page then loads the volumes and posts `loaded`, or
 * `error` with what went wrong. `document.body.dataset.state` mirrors the stage for tests.
 */
import { parseHostMessage, type HostToWebviewMessage } from '../../src/extension/messages';
import { showMessage } from './dom';
import './elements';
import { startSubject } from './subject-app';
import { startViewer } from './viewer-app';
import { postToHost } from './vscode-api';
import { WEBGL2_UNAVAILABLE_DETAIL, WEBGL2_UNAVAILABLE_TITLE, webgl2Available } from './webgl';

type State = 'starting' | 'ready' | 'loading' | 'loaded' | 'error' | 'no-webgl2';

function setState(s: State): void {
  document.body.dataset.state = s;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

async function handle(app: HTMLElement, mode: string, msg: HostToWebviewMessage): Promise<void> {
  if (msg.type === 'show-error') {
    showMessage(app, 'Cannot show this volume', msg.message);
    setState('error');
    return;
  }
  if ((msg.type === 'init-viewer') !== (mode === 'viewer')) {
    postToHost({ type: 'error', code: 'bad-message', message: `a ${msg.type} message reached the ${mode} page` });
    return;
  }
  setState('loading');
  try {
    const volumes = msg.type === 'init-viewer' ? await startViewer(app, msg) : await startSubject(app, msg);
    setState('loaded');
    postToHost({ type: 'loaded', volumes });
  } catch (e) {
    const message = `Could not load the volumes: ${errorText(e)}`;
    showMessage(app, 'Loading failed', message);
    setState('error');
    postToHost({ type: 'error', code: 'load-failed', message });
  }
}

function main(): void {
  const app = document.getElementById('app');
  if (!app) return;
  // A blocked resource means the page's policy and the bundle disagree: tell the host (it logs it;
  // the tests fail on it) rather than failing silently.
  document.addEventListener('securitypolicyviolation', (e: SecurityPolicyViolationEvent) => {
    postToHost({ type: 'csp-violation', directive: e.effectiveDirective, blocked: e.blockedURI.slice(0, 2000) });
  });
  const mode = document.body.dataset.mode === 'subject' ? 'subject' : 'viewer';
  setState('starting');
  if (!webgl2Available()) {
    showMessage(app, WEBGL2_UNAVAILABLE_TITLE, WEBGL2_UNAVAILABLE_DETAIL);
    setState('no-webgl2');
    postToHost({ type: 'error', code: 'webgl2-unavailable', message: WEBGL2_UNAVAILABLE_TITLE });
    return;
  }
  let started = false;
  window.addEventListener('message', (event: MessageEvent) => {
    const msg = parseHostMessage(event.data);
    if (!msg) {
      postToHost({ type: 'error', code: 'bad-message', message: 'the webview received a malformed message' });
      return;
    }
    // One init per page load: the host answers each `ready` once.
    if (msg.type !== 'show-error') {
      if (started) return;
      started = true;
    }
    void handle(app, mode, msg);
  });
  setState('ready');
  postToHost({ type: 'ready' });
}

main();
