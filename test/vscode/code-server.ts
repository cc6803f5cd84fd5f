/**
 * Starting and stopping code-server 4.100.3 (installed into .e2e/ by scripts/setup-e2e.sh) on
 * 127.0.0.1 without authentication, with every file it writes inside the run folder: --config,
 * --user-data-dir and --extensions-dir (a bare run writes ~/.config/code-server/config.yaml).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';

export const E2E_DIR = join(__dirname, '..', '..', '.e2e');
export const CODE_SERVER_BIN = join(E2E_DIR, 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');

export function codeServerSkipReason(): string | null {
  return existsSync(CODE_SERVER_BIN) ? null : `code-server is not installed in .e2e/: run npm run setup:e2e`;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export interface CodeServer {
  port: number;
  origin: string;
  /** Everything it printed (stdout and stderr), for failure reports. */
  output: string[];
  stop(): Promise<void>;
}

export interface CodeServerOptions {
  /** Folder for its config, user data and extensions. */
  dataDir: string;
  /** The folder it opens. */
  workspace: string;
  /** User settings (merged over the defaults below). */
  settings?: Record<string, unknown>;
  env?: Record<string, string>;
  startTimeoutMs?: number;
}

/** Install a .vsix into an extensions folder, offline (`code-server --install-extension`). */
export function installVsix(dataDir: string, vsix: string): { status: number | null; output: string } {
  const extensions = join(dataDir, 'extensions');
  const config = join(dataDir, 'config.yaml');
  mkdirSync(extensions, { recursive: true });
  writeFileSync(config, 'auth: none\ncert: false\n');
  const r = spawnSync(
    process.execPath,
    [CODE_SERVER_BIN, '--config', config, '--user-data-dir', join(dataDir, 'user-data'), '--extensions-dir', extensions, '--install-extension', vsix],
    { encoding: 'utf8', env: { ...process.env, EXTENSIONS_GALLERY: '{}' }, timeout: 120_000 },
  );
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

/** The user settings every test profile starts from (code-server here, desktop VS Code in
 *  test/vscode/electron/main.ts): no start page, tips, telemetry, updates or trust prompts. */
export const TEST_USER_SETTINGS: Readonly<Record<string, unknown>> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'security.workspace.trust.enabled': false,
  // The run folder is inside the project's git repository: no prompt about it.
  'git.openRepositoryInParentFolders': 'never',
};

export async function startCodeServer(o: CodeServerOptions): Promise<CodeServer> {
  const userData = join(o.dataDir, 'user-data');
  const extensions = join(o.dataDir, 'extensions');
  mkdirSync(join(userData, 'User'), { recursive: true });
  mkdirSync(extensions, { recursive: true });
  const config = join(o.dataDir, 'config.yaml');
  writeFileSync(config, 'auth: none\ncert: false\n');
  writeFileSync(
    join(userData, 'User', 'settings.json'),
    JSON.stringify({ ...TEST_USER_SETTINGS, ...o.settings }, null, 2),
  );
  const port = await freePort();
  const args = [
    CODE_SERVER_BIN,
    '--config', config,
    '--user-data-dir', userData,
    '--extensions-dir', extensions,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    o.workspace,
  ];
  const child: ChildProcess = spawn(process.execPath, args, {
    // Its own process group, so stop() ends it and the extension host it forks, and nothing else.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, EXTENSIONS_GALLERY: '{}', ...o.env },
  });
  const output: string[] = [];
  const origin = `http://127.0.0.1:${port}`;
  const listening = new Promise<void>((resolve, reject) => {
    const onData = (d: Buffer) => {
      const text = d.toString();
      output.push(text);
      if (text.includes('HTTP server listening on')) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`code-server exited (${code}) before listening:\n${output.join('')}`)));
  });
  const timeout = o.startTimeoutMs ?? 60_000;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    listening,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`code-server did not listen within ${timeout} ms:\n${output.join('')}`)), timeout);
    }),
  ]).finally(() => clearTimeout(timer));
  const health = await fetch(`${origin}/healthz`);
  if (health.status !== 200) throw new Error(`code-server /healthz answered ${health.status}`);

  const stop = async () => {
    if (child.exitCode !== null || child.pid === undefined) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return;
    }
    const t = setTimeout(() => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }, 5000);
    await exited;
    clearTimeout(t);
  };
  return { port, origin, output, stop };
}

/** The extension's identifier (package.json publisher.name). */
export const EXTENSION_ID = 'radiogenomics.radiogenomics-studio';

/**
 * The workbench URL that opens `folder` with `extensionDir` as the extension under development
 * and, when given, `testsModule` as the extension-test module its extension host runs (the
 * `payload` query parameter VS Code web reads; paths on the server's machine).
 */
export function workbenchUrl(server: CodeServer, folder: string, extensionDir: string, testsModule?: string): string {
  const remote = (p: string) => `vscode-remote://127.0.0.1:${server.port}${p}`;
  const payload = [['extensionDevelopmentPath', remote(extensionDir)], ...(testsModule !== undefined ? [['extensionTestsPath', remote(testsModule)]] : [])];
  return `${server.origin}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

export interface ExtensionTestsOptions {
  workspace: string;
  extensionDir: string;
  /** The bundled extension-test module; it reports its exit code through `codeAutomationExit`. */
  testsModule: string;
  /** How long the workbench may take to appear. */
  workbenchTimeoutMs: number;
  /** How long the tests may take once it has (then the code is -1). */
  timeoutMs: number;
  /** Starts what the run needs beside the page (e.g. a file-exchange server); returns its stop. */
  attach?: (page: Page) => () => Promise<void>;
  /** Each line the workbench logs through `codeAutomationLog`. */
  onLog?: (line: string) => void;
  /** Runs after the tests ended, before the page closes (e.g. a screenshot). */
  beforeClose?: (page: Page) => Promise<void>;
}

/**
 * Run an extension-test module in code-server's extension host through the workbench in a new
 * browser context: resolves with the exit code it reported (-1 on timeout) and the workbench's
 * log (its automation log and console errors).
 */
export async function runExtensionTests(server: CodeServer, browser: Browser, o: ExtensionTestsOptions): Promise<{ code: number; log: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const log: string[] = [];
  let exit: (code: number) => void = () => undefined;
  const exited = new Promise<number>((resolve) => {
    exit = resolve;
  });
  await context.exposeFunction('codeAutomationExit', (code: number) => exit(code));
  await context.exposeFunction('codeAutomationLog', (level: string, message: string) => {
    log.push(`[${level}] ${message}`);
    o.onLog?.(message);
  });
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') log.push(`[console.error] ${m.text()}`);
  });
  const stop = o.attach?.(page);
  try {
    await page.goto(workbenchUrl(server, o.workspace, o.extensionDir, o.testsModule));
    await page.waitForSelector('div.monaco-workbench', { timeout: o.workbenchTimeoutMs });
    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([exited, new Promise<number>((resolve) => (timer = setTimeout(() => resolve(-1), o.timeoutMs)))]).finally(() =>
      clearTimeout(timer),
    );
    await o.beforeClose?.(page);
    return { code, log };
  } finally {
    await stop?.();
    await context.close();
  }
}
