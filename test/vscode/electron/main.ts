/**
 * `npm run test:electron`: the integration suite of test/vscode/suite (the one `npm run test:e2e`
 * runs in code-server 4.100.3 through Chromium) in the desktop VS Code, with
 * @vscode/test-electron 2.5.2 (the last release whose runtime fits Node 20). It downloads VS Code
 * into .vscode-test/ (once), writes the same workspace as test/vscode/extension-host.e2e.ts (the
 * subject of test/webview/fixtures.ts, sphere.nii outside the workspace), and runs the bundled
 * suite with this repository as the extension under development.
 *
 * Differences from the code-server run: no browser drives the window, so nobody answers the
 * suite's probes (screenshots, webview text, canvas pixels): the configuration says
 * `probes: false` and the tests log each on-screen check they skip. Everything the suite asserts
 * through the VS Code API (the webviews' reports, diagnostics, code lenses, notebook outputs,
 * files written) is asserted the same.
 *
 * Bundled by run.mjs into out/vscode-electron-tests/main.js and called as main(root).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ProgressReportStage, downloadAndUnzipVSCode, runTests, type ProgressReport, type ProgressReporter } from '@vscode/test-electron';
import { writeE2eWorkspace } from '../workspace-fixture';
import { TEST_USER_SETTINGS } from '../code-server';
import type { SuiteResult } from '../protocol';

/** The VS Code to test: RGS_VSCODE_VERSION ('stable', '1.101.2', ...) or the oldest version
 *  engines.vscode accepts (^1.100.0 -> 1.100.0), the one the extension promises to support. */
export function vscodeVersion(root: string): string {
  const fromEnv = process.env.RGS_VSCODE_VERSION;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { engines?: { vscode?: string } };
  const m = /(\d+)\.(\d+)\.(\d+)/.exec(pkg.engines?.vscode ?? '');
  return m ? `${m[1]}.${m[2]}.${m[3]}` : 'stable';
}

/** Quiet progress: one line when the download starts and when it is installed; keeps the errors
 *  of failed attempts for the message. */
class Reporter implements ProgressReporter {
  readonly errors: unknown[] = [];
  private downloading = false;

  report(r: ProgressReport): void {
    if (r.stage === ProgressReportStage.Downloading && !this.downloading) {
      this.downloading = true;
      console.log(`downloading ${r.url} (${(r.totalBytes / 2 ** 20).toFixed(0)} MiB) into .vscode-test/`);
    } else if (r.stage === ProgressReportStage.Retrying) {
      this.errors.push(r.error);
    } else if (r.stage === ProgressReportStage.FoundMatchingInstall || r.stage === ProgressReportStage.NewInstallComplete) {
      console.log(`VS Code: ${r.downloadedPath}`);
    }
  }

  error(err: unknown): void {
    this.errors.push(err);
  }
}

function oneLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  const cause = e instanceof Error && e.cause !== undefined ? ` (${oneLine(e.cause)})` : '';
  return `${text}${cause}`.replace(/\s+/g, ' ').trim();
}

export async function main(root: string): Promise<number> {
  const version = vscodeVersion(root);
  const run = join(root, '.vscode-test', 'run');
  const suiteDir = join(root, 'out', 'vscode-electron-tests');
  const reporter = new Reporter();

  let executable: string;
  try {
    executable = await downloadAndUnzipVSCode({ version, reporter, cachePath: join(root, '.vscode-test') });
  } catch (e) {
    // test-electron's own error after its retries only says that it failed; the attempts say why.
    const generic = e instanceof Error && /^Failed to download and unzip VS Code/.test(e.message);
    const reason = generic && reporter.errors.length > 0 ? oneLine(reporter.errors[reporter.errors.length - 1]) : oneLine(e);
    console.error(
      `could not download VS Code ${version}: ${reason}; test:electron needs a desktop with internet access; npm run test:e2e runs the same suite in code-server`,
    );
    return 1;
  }

  // The workspace of test/vscode/extension-host.e2e.ts, written by the same fixture code.
  const config = writeE2eWorkspace(run, { probes: false });
  writeFileSync(join(suiteDir, 'e2e-config.json'), JSON.stringify(config, null, 2));

  // A profile of its own, seeded like code-server's in test/vscode/code-server.ts.
  const userData = join(run, 'user-data');
  mkdirSync(join(userData, 'User'), { recursive: true });
  writeFileSync(
    join(userData, 'User', 'settings.json'),
    JSON.stringify({ ...TEST_USER_SETTINGS, 'update.mode': 'none' }, null, 2),
  );

  // A VS Code started from a VS Code terminal would otherwise run as plain Node.
  delete process.env.ELECTRON_RUN_AS_NODE;
  const started = Date.now();
  let code: number;
  try {
    code = await runTests({
      vscodeExecutablePath: executable,
      extensionDevelopmentPath: root,
      extensionTestsPath: join(suiteDir, 'suite.js'),
      launchArgs: [
        config.workspace,
        // Other installed extensions stay out of the run; built-in ones (notebook renderers,
        // YAML grammar) stay in, as in code-server.
        '--disable-extensions',
        '--disable-workspace-trust',
        '--user-data-dir',
        userData,
        '--extensions-dir',
        join(run, 'extensions'),
      ],
    });
  } catch (e) {
    console.error(`VS Code ${version}: ${oneLine(e)}`);
    code = 1;
  }
  const resultFile = join(config.exchangeDir, 'suite-result.json');
  const result = existsSync(resultFile) ? (JSON.parse(readFileSync(resultFile, 'utf8')) as SuiteResult) : null;
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result === null) {
    console.error(`test:electron: the suite wrote no result (exit code ${code} after ${seconds} s); see the VS Code output above`);
    return 1;
  }
  for (const t of result.passed) console.log(`  passed: ${t}`);
  for (const f of result.failed) console.log(`  FAILED: ${f.title}\n${f.error}`);
  console.log(`test:electron: ${result.passed.length} passed, ${result.failed.length} failed in VS Code ${version} (${seconds} s; on-screen checks skipped: no probes under Electron)`);
  return code === 0 && result.failed.length === 0 ? 0 : 1;
}
