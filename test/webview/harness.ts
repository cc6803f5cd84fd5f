/**
 * Running the webview app as a standalone page in Chromium: a loopback HTTP server serves the
 * very page the extension builds (buildWebviewHtml, same CSP, with the server's origin as the
 * webview's cspSource), the bundles from dist/ and media/, the test volumes, and a stand-in for
 * VS Code's `acquireVsCodeApi` that records what the page posts. The test plays the host's part
 * by posting messages into the page.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { buildWebviewHtml, createNonce, type WebviewMode } from '../../src/extension/webview-html';
import { decodePng, type RgbaImage } from './png';

export const ROOT = join(__dirname, '..', '..');
export const CHROMIUM = '/usr/bin/chromium';
export const RESULTS = join(ROOT, 'test-results');

/**
 * The flags from the project's notes on running Chromium here (no network, fresh profile), and
 * SwiftShader for WebGL2 without a GPU. Not `--use-angle=swiftshader`: that flag makes Chromium
 * treat SwiftShader as a GPU and composite every frame of every page through it, which no user's
 * browser does: with a GPU it composites on the GPU, and without one in software (chrome://gpu:
 * "Compositing: Software only"), as it does here without the flag. Measured here, a page with one
 * looping CSS animation like VS Code's progress bar: 0.37 cores with the flag, 0.04 composited in
 * software; on 2 cores that load starved the extension host's event loop in the benchmark.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--enable-unsafe-swiftshader',
];

/** Why the browser tests cannot run here, or null. */
export function browserSkipReason(): string | null {
  if (!existsSync(CHROMIUM)) return `${CHROMIUM} is missing: run npm run setup:e2e`;
  if (!existsSync(join(ROOT, 'dist', 'webview', 'main.js'))) return 'dist/webview/main.js is missing: run npm run build';
  return null;
}

export async function launchChromium(opts: { webgl: boolean }): Promise<Browser> {
  // playwright-core gives every launch a fresh temporary profile (--user-data-dir).
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: opts.webgl ? CHROMIUM_ARGS : [...CHROMIUM_ARGS, '--disable-3d-apis'],
  });
}

/** Records posted messages and CSP violations; defines acquireVsCodeApi like VS Code does. */
const STUB = `
window.__rgsPosted = [];
window.__rgsViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__rgsViolations.push({ directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample });
});
window.acquireVsCodeApi = () => ({ postMessage: (m) => { window.__rgsPosted.push(m); } });
`;

const TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.ttf': 'font/ttf',
  '.gz': 'application/gzip',
  '.nii': 'application/octet-stream',
};

export interface PageServer {
  origin: string;
  /** URL of the page for a mode (path of a data file: `${origin}/data/<name>`). */
  pageUrl(mode: WebviewMode): string;
  dataUrl(fileName: string): string;
  close(): Promise<void>;
}

/** Serve `ROOT/dist`, `ROOT/media` and `dataDir` (as /data) on 127.0.0.1, on a free port. */
export async function startPageServer(dataDir: string): Promise<PageServer> {
  const roots: Record<string, string> = { dist: join(ROOT, 'dist'), media: join(ROOT, 'media'), data: dataDir };
  let origin = '';
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const send = (status: number, type: string, body: string | Buffer) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    if (url.pathname === '/test-stub.js') return send(200, TYPES['.js'], STUB);
    const page = /^\/page\/(viewer|subject)$/.exec(url.pathname);
    if (page) {
      const html = buildWebviewHtml({
        cspSource: origin,
        nonce: createNonce(),
        title: `standalone ${page[1]}`,
        mode: page[1] as WebviewMode,
        scriptUri: `${origin}/dist/webview/main.js`,
        codiconsUri: `${origin}/dist/webview/codicon.css`,
        styleUris: [`${origin}/media/webview.css`],
        preludeScriptUris: [`${origin}/test-stub.js`],
      });
      return send(200, 'text/html; charset=utf-8', html);
    }
    const [, top, ...rest] = url.pathname.split('/');
    const base = roots[top];
    if (!base) return send(404, 'text/plain', 'not found');
    const file = normalize(join(base, ...rest.map(decodeURIComponent)));
    if (!file.startsWith(base + sep) || !existsSync(file) || !statSync(file).isFile()) return send(404, 'text/plain', 'not found');
    send(200, TYPES[extname(file)] ?? 'application/octet-stream', readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    pageUrl: (mode) => `${origin}/page/${mode}`,
    dataUrl: (name) => `${origin}/data/${encodeURIComponent(name)}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// ---- talking to the page ----------------------------------------------------------------------

interface PageGlobals {
  __rgsPosted: { type: string; code?: string; message?: string; volumes?: { name: string; dims: number[] }[] }[];
  __rgsViolations: { directive: string; blocked: string; sample: string }[];
  postMessage(message: unknown, targetOrigin: string): void;
}

export function posted(page: Page): Promise<PageGlobals['__rgsPosted']> {
  return page.evaluate(() => (globalThis as unknown as PageGlobals).__rgsPosted);
}

export function cspViolations(page: Page): Promise<PageGlobals['__rgsViolations']> {
  return page.evaluate(() => (globalThis as unknown as PageGlobals).__rgsViolations);
}

export async function waitForPosted(page: Page, type: string, timeout = 60_000): Promise<void> {
  await page.waitForFunction((t) => (globalThis as unknown as PageGlobals).__rgsPosted.some((m) => m.type === t), type, {
    timeout,
  });
}

/** Post a (JSON-serialisable) message into the page, as the host would. */
export async function postToPage(page: Page, message: unknown): Promise<void> {
  await page.evaluate((m) => (globalThis as unknown as PageGlobals).postMessage(m, '*'), message);
}

/** Post a message whose `volume` carries the bytes of `url`, fetched inside the page (as the host
 *  posts an ArrayBuffer for files outside the workspace). */
export async function postWithBytes(page: Page, message: Record<string, unknown>, name: string, url: string): Promise<void> {
  await page.evaluate(
    async ({ m, n, u }) => {
      const data = await (await fetch(u)).arrayBuffer();
      (globalThis as unknown as PageGlobals).postMessage({ ...m, volume: { kind: 'bytes', name: n, data } }, '*');
    },
    { m: message, n: name, u: url },
  );
}

export async function screenshot(target: Locator, file: string): Promise<RgbaImage> {
  return decodePng(await target.screenshot({ path: join(RESULTS, file) }));
}

/** Screenshot `target` until `accept` holds (rendering follows a control change by a frame or
 *  two), returning the last image; the caller asserts on it. */
export async function screenshotUntil(
  target: Locator,
  file: string,
  accept: (img: RgbaImage) => boolean,
  timeout = 15_000,
): Promise<RgbaImage> {
  const end = Date.now() + timeout;
  for (;;) {
    const img = await screenshot(target, file);
    if (accept(img) || Date.now() > end) return img;
    await new Promise((r) => setTimeout(r, 250));
  }
}
