/**
 * The HTML page of every webview of the extension, with a strict Content-Security-Policy and a
 * fresh nonce per load. No `vscode` import: the standalone-page tests build the very same page.
 *
 * Policy, directive by directive (default-src 'none' denies everything not listed):
 * - script-src 'nonce-…': only the bundle the host names runs; no inline script, no eval.
 * - style-src <cspSource> 'nonce-…': the page's stylesheets from the extension. No
 *   'unsafe-inline': @vscode-elements/elements (Lit) styles its components through constructable
 *   stylesheets (adoptedStyleSheets) and sets inline styles only through the CSSOM
 *   (element.style), neither of which CSP restricts; the standalone-page tests fail on any CSP
 *   violation, so a component that needed more would be caught.
 * - font-src <cspSource>: the codicon font (vscode-elements' icons).
 * - img-src <cspSource> blob: data:: NiiVue's bitmap font atlas and screenshots.
 * - connect-src <cspSource>: NiiVue fetches volumes from their asWebviewUri URLs (and the page
 *   preloads them: `<link rel=preload as=fetch>` falls under connect-src).
 * No worker-src: NiiVue 0.69 starts no worker for NIfTI.
 */
import { randomBytes } from 'node:crypto';

export type WebviewMode = 'viewer' | 'subject';

/** A nonce is 24 random bytes as base64url (CSP nonces should carry at least 128 bits). */
export function createNonce(): string {
  return randomBytes(24).toString('base64url');
}

/** A webview's cspSource (or a nonce) ends up inside a CSP and an attribute: refuse anything
 *  that could end a directive or an attribute instead of quoting it. */
function checkToken(what: string, value: string, pattern: RegExp): void {
  if (!pattern.test(value)) throw new Error(`webview page: invalid ${what} ${JSON.stringify(value)}`);
}

/** Host sources and the 'self' keyword (VS Code web's cspSource is "'self' https://*.<host>"). */
const CSP_SOURCE = /^(?:'self'|[A-Za-z0-9+.\-:/*_%]+)(?: (?:'self'|[A-Za-z0-9+.\-:/*_%]+))*$/;
const NONCE = /^[A-Za-z0-9+/_\-=]{16,}$/;

export interface CspOptions {
  /** `webview.cspSource` (the origin(s) the webview's resources are served from). */
  cspSource: string;
  nonce: string;
}

export function buildContentSecurityPolicy({ cspSource, nonce }: CspOptions): string {
  checkToken('cspSource', cspSource, CSP_SOURCE);
  checkToken('nonce', nonce, NONCE);
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    `img-src ${cspSource} blob: data:`,
    `connect-src ${cspSource}`,
  ].join('; ');
}

export interface WebviewPageOptions extends CspOptions {
  title: string;
  mode: WebviewMode;
  /** The webview bundle (dist/webview/main.js) as a webview URI. */
  scriptUri: string;
  /** Stylesheets (media/webview.css) as webview URIs. */
  styleUris: string[];
  /** codicon.css as a webview URI; vscode-elements finds it by the id vscode-codicon-stylesheet. */
  codiconsUri: string;
  /** Volumes the page will fetch (asWebviewUri URLs): preloaded from the moment the HTML is parsed,
   *  while the bundle still downloads and the handshake goes round. `as=fetch` with
   *  crossorigin="anonymous" is what a plain cross-origin fetch() (NiiVue's) matches. */
  preloadUrls?: string[];
  /** Scripts loaded before the bundle, with the same nonce (the standalone tests' VS Code API
   *  stand-in); none in the extension. */
  preludeScriptUris?: string[];
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function buildWebviewHtml(o: WebviewPageOptions): string {
  const csp = buildContentSecurityPolicy(o);
  const attr = escapeHtml;
  const styles = o.styleUris.map((u) => `  <link rel="stylesheet" href="${attr(u)}" nonce="${attr(o.nonce)}">`).join('\n');
  const preloads = (o.preloadUrls ?? []).map((u) => `  <link rel="preload" href="${attr(u)}" as="fetch" crossorigin="anonymous">\n`).join('');
  const preludes = (o.preludeScriptUris ?? [])
    .map((u) => `  <script nonce="${attr(o.nonce)}" src="${attr(u)}"></script>`)
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${attr(csp)}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <title>${escapeHtml(o.title)}</title>
  <link rel="stylesheet" href="${attr(o.codiconsUri)}" id="vscode-codicon-stylesheet" nonce="${attr(o.nonce)}">
${styles}
${preloads}</head>
<body data-mode="${attr(o.mode)}">
  <main id="app" aria-live="polite"><p class="status" id="status">Loading…</p></main>
${preludes}
  <script nonce="${attr(o.nonce)}" src="${attr(o.scriptUri)}"></script>
</body>
</html>
`;
}
