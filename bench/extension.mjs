// `npm run bench:extension`, and the last step of `npm run bench`: the extension's benchmark —
// the subject view's first frame (four 240x240x155 volumes and their mask), the extension host's
// event loop while the notebook kernel extracts the demo cohort, and the .vsix's size — in a real
// VS Code (code-server 4.100.3 and Chromium, from npm run setup:e2e). Writes
// bench/results/extension.{md,json}. Bundles bench/extension/runner.ts (run here) and
// bench/extension/suite.ts (run inside the extension host) into out/bench-extension/ (two levels
// below the repository, as the test helpers it bundles expect of their __dirname).
// Environment: RGS_BENCH_EXT_RUNS (timed openings, default 7, at least 5),
// RGS_BENCH_EXT_SUBJECT=0 / RGS_BENCH_EXT_EVENT_LOOP=0 (skip the subject view / the notebook run),
// RGS_BENCH_EXT_RESOLUTION_MS (monitorEventLoopDelay resolution, default 2); diagnostics only:
// RGS_BENCH_EXT_PROFILE=<file.cpuprofile> (profile the extension host during the notebook run),
// RGS_BENCH_EXT_SETTINGS=<JSON> (extra VS Code user settings).
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const buildDir = join(root, 'out', 'bench-extension');
mkdirSync(buildDir, { recursive: true });
const common = { absWorkingDir: root, outdir: buildDir, bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning' };
await build({ ...common, entryPoints: { suite: 'bench/extension/suite.ts' }, external: ['vscode'] });
await build({ ...common, entryPoints: { runner: 'bench/extension/runner.ts' }, external: ['esbuild', 'playwright-core'] });

const { main } = createRequire(import.meta.url)(join(buildDir, 'runner.js'));
process.exitCode = await main(root, buildDir);
