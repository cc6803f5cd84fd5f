/**
 * The extension-test module code-server's extension host loads (`extensionTestsPath` in the
 * payload; the desktop's --extensionTestsPath takes the same module). It runs the mocha suite
 * and resolves, or rejects on any failure, which VS Code turns into the exit code it hands to
 * `codeAutomationExit`. Results also go to a JSON file the runner reads, with each failure's
 * message.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';
import type { SuiteResult } from '../protocol';
import { loadConfig } from './config';
import { registerExtensionTests } from './extension.tests';
import { registerStudyTests } from './study.test';
import { registerNotebookTests } from './notebook.test';

export async function run(): Promise<void> {
  const config = loadConfig();
  const mocha = new Mocha({ ui: 'bdd', timeout: 120_000, color: false, reporter: 'spec' });
  // Defines describe/it/before... on the global object before the tests are declared.
  mocha.suite.emit('pre-require', globalThis, 'extension.tests', mocha);
  registerExtensionTests(config);
  registerStudyTests(config);
  registerNotebookTests(config);
  const result: SuiteResult = { passed: [], failed: [] };
  const failures = await new Promise<number>((resolve) => {
    const runner = mocha.run((n) => resolve(n));
    runner.on('pass', (t) => result.passed.push(t.fullTitle()));
    runner.on('fail', (t, err: unknown) => result.failed.push({ title: t.fullTitle(), error: err instanceof Error ? err.stack ?? err.message : String(err) }));
  });
  mkdirSync(config.exchangeDir, { recursive: true });
  writeFileSync(join(config.exchangeDir, 'suite-result.json'), JSON.stringify(result, null, 2));
  if (failures > 0) throw new Error(`${failures} extension test(s) failed`);
}
