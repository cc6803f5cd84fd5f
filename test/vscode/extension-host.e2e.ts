/**
 * The runner of the integration suite in a real VS Code: code-server 4.100.3 serves the
 * workbench on 127.0.0.1, Chromium (playwright-core) opens it with the `payload` query parameter
 * that makes VS Code web load this repository as the extension under development and run
 * test/vscode/suite (bundled to out/vscode-tests/suite.js) inside its extension host. The suite's
 * exit code arrives through `codeAutomationExit`; meanwhile the runner answers the suite's probes
 * (screenshots under test-results/vscode/{dev,vsix}/, the visible webview's text and canvas
 * pixels). It runs twice: with this repository as the extension, and with the packaged .vsix
 * installed offline.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { Browser, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { writeE2eWorkspace } from './workspace-fixture';
import { RESULTS, ROOT, browserSkipReason, launchChromium } from '../webview/harness';
import { decodePng } from '../webview/png';
import { summarise } from '../webview/pixels';
import { E2E_DIR, EXTENSION_ID, codeServerSkipReason, installVsix, runExtensionTests, startCodeServer, type CodeServer } from './code-server';
import { serveFileRequests } from './file-exchange';
import type { E2eConfig, PixelCounts, ProbeRequest, ProbeResponse, SuiteResult } from './protocol';

const skip = codeServerSkipReason() ?? browserSkipReason() ?? (existsSync(join(ROOT, 'dist', 'extension.js')) ? null : 'dist/extension.js is missing: run npm run build');
const RUN = join(E2E_DIR, 'run');
const SUITE_DIR = join(ROOT, 'out', 'vscode-tests');
const SHOTS = join(RESULTS, 'vscode');

/** The page of the visible webview (editor or panel): iframe.webview > #active-frame. */
async function visibleWebview(page: Page): Promise<Frame | null> {
  for (const outer of await page.locator('iframe.webview.ready').elementHandles()) {
    if (!(await outer.isVisible())) continue;
    const host = await outer.contentFrame();
    const inner = await (await host?.$('#active-frame'))?.contentFrame();
    if (inner) return inner;
  }
  return null;
}

async function answerProbe(page: Page, req: ProbeRequest, shots: string): Promise<ProbeResponse> {
  const screenshot = join(shots, `${req.name}.png`);
  await page.screenshot({ path: screenshot });
  const frame = await visibleWebview(page);
  const canvases: Record<string, PixelCounts | null> = {};
  let webviewText: string | null = null;
  if (frame) {
    webviewText = await frame.locator('body').innerText();
    for (const sel of req.canvases ?? []) {
      const loc = frame.locator(sel);
      if ((await loc.count()) === 0) {
        canvases[sel] = null;
        continue;
      }
      const s = summarise(decodePng(await loc.screenshot({ path: join(shots, `${req.name}-${sel.replace(/[^a-z0-9-]/gi, '')}.png`) })));
      canvases[sel] = { total: s.total, ...s.counts };
    }
  }
  return { name: req.name, screenshot, webviewText, canvases };
}

/** Answer the suite's probe requests until stopped. */
function serveProbes(page: Page, exchange: string, shots: string): () => Promise<void> {
  return serveFileRequests<ProbeRequest, ProbeResponse>(exchange, 200, async (req) => {
    try {
      return await answerProbe(page, req, shots);
    } catch (e) {
      return { name: req.name, screenshot: '', webviewText: `probe failed: ${(e as Error).message}`, canvases: {} };
    }
  });
}

interface SuiteRun {
  code: number;
  result: SuiteResult | null;
  log: string[];
  seconds: number;
}

/** Open the workbench with the payload that loads `extensionDir` as the extension under
 *  development and runs the bundled suite in its extension host; wait for the exit code. */
async function runSuite(server: CodeServer, browser: Browser, config: E2eConfig, extensionDir: string, shots: string): Promise<SuiteRun> {
  rmSync(config.exchangeDir, { recursive: true, force: true });
  mkdirSync(shots, { recursive: true });
  const started = Date.now();
  const { code, log } = await runExtensionTests(server, browser, {
    workspace: config.workspace,
    extensionDir,
    testsModule: join(SUITE_DIR, 'suite.js'),
    workbenchTimeoutMs: 60_000,
    timeoutMs: 360_000,
    attach: (page) => serveProbes(page, config.exchangeDir, shots),
    beforeClose: async (page) => {
      await page.screenshot({ path: join(shots, 'final.png') });
    },
  });
  writeFileSync(join(shots, 'workbench.log'), log.join('\n'));
  const resultFile = join(config.exchangeDir, 'suite-result.json');
  const result = existsSync(resultFile) ? (JSON.parse(readFileSync(resultFile, 'utf8')) as SuiteResult) : null;
  return { code, result, log, seconds: (Date.now() - started) / 1000 };
}

function check(run: SuiteRun, server: CodeServer): void {
  const report = [
    `exit code ${run.code} after ${run.seconds.toFixed(1)} s`,
    ...(run.result?.passed ?? []).map((t) => `  passed: ${t}`),
    ...(run.result?.failed ?? []).map((f) => `  FAILED: ${f.title}\n${f.error}`),
  ].join('\n');
  console.log(report);
  if (run.code !== 0 || !run.result || run.result.failed.length > 0) {
    console.log(`--- workbench log ---\n${run.log.slice(-80).join('\n')}\n--- code-server ---\n${server.output.join('').slice(-6000)}`);
  }
  expect(run.result, 'the suite wrote no result (did it run at all?)').not.toBeNull();
  expect(run.result?.failed).toEqual([]);
  // extension.tests.ts 5, study.test.ts 8, notebook.test.ts 2.
  expect(run.result?.passed).toHaveLength(15);
  expect(run.code).toBe(0);
}

describe.skipIf(skip !== null)('the extension inside VS Code (code-server 4.100.3)', () => {
  const servers: CodeServer[] = [];
  let browser: Browser | undefined;
  let config: E2eConfig;

  beforeAll(async () => {
    config = writeE2eWorkspace(RUN);
    // The suite runs in the extension host as CommonJS; vscode and mocha come from the host and
    // from the repository's node_modules at run time.
    await build({
      absWorkingDir: ROOT,
      entryPoints: { suite: 'test/vscode/suite/index.ts' },
      outdir: SUITE_DIR,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      sourcemap: 'inline',
      external: ['vscode', 'mocha'],
      logLevel: 'warning',
    });
    writeFileSync(join(SUITE_DIR, 'e2e-config.json'), JSON.stringify(config, null, 2));
    browser = await launchChromium({ webgl: true });
  });

  afterAll(async () => {
    await browser?.close();
    for (const s of servers) await s.stop();
    // Generated JavaScript (the suite bundle, the installed extension) would otherwise be linted
    // by `eslint .`; the run's data, logs and screenshots stay.
    rmSync(SUITE_DIR, { recursive: true, force: true });
    rmSync(join(RUN, 'code-server-vsix', 'extensions'), { recursive: true, force: true });
  });

  test('the mocha suite passes in the extension host, with this repository as the extension', async () => {
    if (!browser) throw new Error('not started');
    const server = await startCodeServer({ dataDir: join(RUN, 'code-server-dev'), workspace: config.workspace });
    servers.push(server);
    try {
      check(await runSuite(server, browser, config, ROOT, join(SHOTS, 'dev')), server);
    } finally {
      await server.stop();
    }
  });

  test('the packaged .vsix holds only the bundles, installs offline, and passes the same suite', async () => {
    if (!browser) throw new Error('not started');
    const vsix = join(RUN, 'radiogenomics-studio.vsix');
    const pkg = spawnSync(
      process.execPath,
      [join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--out', vsix],
      { cwd: ROOT, encoding: 'utf8', timeout: 120_000 },
    );
    expect(pkg.status, `${pkg.stdout}${pkg.stderr}`).toBe(0);
    const dataDir = join(RUN, 'code-server-vsix');
    const install = installVsix(dataDir, vsix);
    expect(install.status, install.output).toBe(0);
    const installed = join(dataDir, 'extensions', `${EXTENSION_ID}-${JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version}`);
    // What the .vsix holds: bundles, media, manifest, readme; no sources, maps or node_modules.
    expect(readdirSync(installed).sort()).toEqual(expect.arrayContaining(['dist', 'media', 'package.json']));
    for (const f of ['node_modules', 'src', 'webview', 'test', 'tsconfig.json']) expect(existsSync(join(installed, f)), f).toBe(false);
    for (const f of ['dist/extension.js', 'dist/webview/main.js', 'dist/webview/codicon.css', 'dist/webview/codicon.ttf', 'media/webview.css']) {
      expect(existsSync(join(installed, f)), f).toBe(true);
    }
    expect(readdirSync(join(installed, 'dist', 'webview')).filter((f) => f.endsWith('.map'))).toEqual([]);

    const server = await startCodeServer({ dataDir, workspace: config.workspace });
    servers.push(server);
    try {
      // The installed copy is the extension under test (loaded as the development extension, so
      // the test runner can start).
      check(await runSuite(server, browser, config, installed, join(SHOTS, 'vsix')), server);
    } finally {
      await server.stop();
    }
  });
});
