/**
 * The one channel from the webview to the extension host. Inside VS Code, `acquireVsCodeApi` is
 * defined by the webview's host page; it may be called only once per page.
 */
import type { WebviewToHostMessage } from '../../src/extension/messages';

interface VsCodeApi {
  postMessage(message: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

let api: VsCodeApi | undefined;

function vscodeApi(): VsCodeApi {
  if (!api) {
    api =
      typeof acquireVsCodeApi === 'function'
        ? acquireVsCodeApi()
        : // Opened as a plain page (no host): messages go nowhere, the page still works.
          { postMessage: () => undefined };
  }
  return api;
}

export function postToHost(message: WebviewToHostMessage): void {
  vscodeApi().postMessage(message);
}
