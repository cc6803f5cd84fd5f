/**
 * The webview page and its Content-Security-Policy: the policy is exactly the strict one the
 * extension promises (no 'unsafe-inline', no 'unsafe-eval', nothing beyond the webview's own
 * resource origin), every script and stylesheet carries the per-load nonce, and values that
 * could break out of the policy or an attribute are refused or escaped.
 */
import { describe, expect, test } from 'vitest';
import { buildContentSecurityPolicy, buildWebviewHtml, createNonce, escapeHtml } from '../../src/extension/webview-html';

const cspSource = "'self' https://*.vscode-cdn.net";
const nonce = 'AbCdEfGhIjKlMnOpQrStUvWx';

function directives(csp: string): Map<string, string[]> {
  return new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
}

describe('buildContentSecurityPolicy', () => {
  test('is default-deny with nonce scripts and the webview origin for the rest', () => {
    const d = directives(buildContentSecurityPolicy({ cspSource, nonce }));
    expect(d.get('default-src')).toEqual(["'none'"]);
    expect(d.get('script-src')).toEqual([`'nonce-${nonce}'`]);
    expect(d.get('style-src')).toEqual(["'self'", 'https://*.vscode-cdn.net', `'nonce-${nonce}'`]);
    expect(d.get('font-src')).toEqual(["'self'", 'https://*.vscode-cdn.net']);
    expect(d.get('img-src')).toEqual(["'self'", 'https://*.vscode-cdn.net', 'blob:', 'data:']);
    expect(d.get('connect-src')).toEqual(["'self'", 'https://*.vscode-cdn.net']);
    expect([...d.keys()].sort()).toEqual(['connect-src', 'default-src', 'font-src', 'img-src', 'script-src', 'style-src']);
  });

  test('never allows inline code or eval', () => {
    const csp = buildContentSecurityPolicy({ cspSource, nonce });
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|wasm-unsafe-eval|\*(?!\.)/);
  });

  test.each([
    ["a cspSource that adds a directive", "https://x.net; script-src 'unsafe-inline'"],
    ['a cspSource with a quote', 'https://x.net"'],
    ['an empty cspSource', ''],
  ])('refuses %s', (_what, bad) => {
    expect(() => buildContentSecurityPolicy({ cspSource: bad, nonce })).toThrow(/invalid cspSource/);
  });

  test('refuses short or quoted nonces', () => {
    expect(() => buildContentSecurityPolicy({ cspSource, nonce: 'abc' })).toThrow(/invalid nonce/);
    expect(() => buildContentSecurityPolicy({ cspSource, nonce: "abcdefghijklmnop' 'unsafe-eval" })).toThrow(/invalid nonce/);
  });
});

describe('createNonce', () => {
  test('is 24 random bytes in base64url (32 characters), different every time', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const n = createNonce();
      expect(n).toMatch(/^[A-Za-z0-9_-]{32}$/);
      seen.add(n);
    }
    expect(seen.size).toBe(200);
  });
});

describe('buildWebviewHtml', () => {
  const page = buildWebviewHtml({
    cspSource,
    nonce,
    title: 'sub-01 <T1> & "FLAIR"',
    mode: 'subject',
    scriptUri: 'https://x.vscode-cdn.net/ext/dist/webview/main.js',
    styleUris: ['https://x.vscode-cdn.net/ext/media/webview.css'],
    codiconsUri: 'https://x.vscode-cdn.net/ext/dist/webview/codicon.css',
  });

  test('puts the policy in a meta tag before any resource', () => {
    const meta = page.indexOf('http-equiv="Content-Security-Policy"');
    expect(meta).toBeGreaterThan(0);
    expect(meta).toBeLessThan(page.indexOf('<link'));
    expect(meta).toBeLessThan(page.indexOf('<script'));
    expect(page).toContain(`content="default-src &#39;none&#39;; script-src &#39;nonce-${nonce}&#39;`);
  });

  test('gives every script and stylesheet the nonce, and has no inline script or style', () => {
    const scripts = page.match(/<script[^>]*>/g) ?? [];
    expect(scripts).toHaveLength(1);
    for (const s of scripts) expect(s).toMatch(new RegExp(`nonce="${nonce}" src="https://`));
    expect(page).not.toMatch(/<script[^>]*>[^<]/); // no inline script body
    expect(page).not.toMatch(/<style|style="/);
    const links = page.match(/<link[^>]*>/g) ?? [];
    expect(links).toHaveLength(2);
    for (const l of links) expect(l).toContain(`nonce="${nonce}"`);
    // vscode-elements finds the codicon font by this id.
    expect(page).toContain('id="vscode-codicon-stylesheet"');
  });

  test('escapes the title and tells the bundle its mode', () => {
    expect(page).toContain('<title>sub-01 &#60;T1&#62; &#38; &#34;FLAIR&#34;</title>');
    expect(page).toContain('<body data-mode="subject">');
  });

  test('loads prelude scripts before the bundle, with the nonce', () => {
    const p = buildWebviewHtml({ cspSource, nonce, title: 't', mode: 'viewer', scriptUri: 'm.js', styleUris: [], codiconsUri: 'c.css', preludeScriptUris: ['stub.js'] });
    expect(p.indexOf(`<script nonce="${nonce}" src="stub.js">`)).toBeLessThan(p.indexOf(`<script nonce="${nonce}" src="m.js">`));
  });

  test('preloads the volumes it is given as cross-origin fetches, escaped, before the bundle', () => {
    const url = 'https://file+.vscode-resource.vscode-cdn.net/work/sub-01/t1.nii.gz?a=1&b="2"';
    const p = buildWebviewHtml({ cspSource, nonce, title: 't', mode: 'subject', scriptUri: 'm.js', styleUris: [], codiconsUri: 'c.css', preloadUrls: [url, 'https://x/mask.nii.gz'] });
    const preloads = p.match(/<link rel="preload"[^>]*>/g) ?? [];
    expect(preloads).toEqual([
      '<link rel="preload" href="https://file+.vscode-resource.vscode-cdn.net/work/sub-01/t1.nii.gz?a=1&#38;b=&#34;2&#34;" as="fetch" crossorigin="anonymous">',
      '<link rel="preload" href="https://x/mask.nii.gz" as="fetch" crossorigin="anonymous">',
    ]);
    expect(p.indexOf('rel="preload"')).toBeLessThan(p.indexOf('</head>'));
    expect(p.indexOf('rel="preload"')).toBeLessThan(p.indexOf('<script'));
    // None unless asked: the page above has only its two stylesheets.
    expect(page).not.toContain('rel="preload"');
  });

  test('escapeHtml leaves no markup characters', () => {
    expect(escapeHtml(`<img src=x onerror="a('b')">&`)).toBe('&#60;img src=x onerror=&#34;a(&#39;b&#39;)&#34;&#62;&#38;');
  });
});
