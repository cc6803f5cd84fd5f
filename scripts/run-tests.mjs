// Runs the vitest suite and ends with the plain summary line CI reads:
// "tests: N passed, N failed, N skipped". Extra arguments go to vitest (e.g. a file filter).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'test-results', 'vitest.json');
mkdirSync(dirname(out), { recursive: true });
rmSync(out, { force: true });
const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
const r = spawnSync(
  process.execPath,
  [vitest, 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`, ...process.argv.slice(2)],
  { cwd: root, stdio: 'inherit' },
);
let summary = null;
try {
  const j = JSON.parse(readFileSync(out, 'utf8'));
  summary = { passed: j.numPassedTests, failed: j.numFailedTests, skipped: j.numPendingTests + (j.numTodoTests ?? 0) };
} catch {
  // no report: vitest itself failed before running tests
}
if (summary) console.log(`tests: ${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped`);
else console.log('tests: 0 passed, 1 failed (vitest produced no report)');
process.exit(r.status === 0 && summary && summary.failed === 0 && summary.passed > 0 ? 0 : 1);
