// `npm run bench`: times `./bin/rgs extract` as a whole process (spawn to exit) on the IBSI CT
// phantom, reports the median of repeated runs and the peak resident memory the process itself
// measured (getrusage maxRSS), and writes them with the machine's description to
// bench/results/. Medians and ratios only: these machines are noisy.
import { spawnSync } from 'node:child_process';
import { buildSync } from 'esbuild';
import { mkdirSync, writeFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { describeMachine } from './machine.mjs';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const shared = resolve(process.env.RGS_SHARED_DIR ?? join(root, '..', 'shared'));
const ct = { image: join(shared, 'ibsi', 'ct_phantom', 'image.nii.gz'), mask: join(shared, 'ibsi', 'ct_phantom', 'mask.nii.gz') };
const RUNS = Number(process.env.RGS_BENCH_RUNS ?? 7);

if (!existsSync(ct.image)) {
  console.error(`bench: the IBSI CT phantom is not at ${ct.image} (set RGS_SHARED_DIR)`);
  process.exit(1);
}

const work = mkdtempSync(join(tmpdir(), 'rgs-bench-'));

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function timeCommand(name, args) {
  const times = [];
  const rss = [];
  for (let r = 0; r < RUNS + 1; r++) {
    const t0 = process.hrtime.bigint();
    const p = spawnSync(join(root, 'bin', 'rgs'), args, { env: { ...process.env, RGS_REPORT_RUSAGE: '1' }, encoding: 'utf8' });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (p.status !== 0) {
      console.error(`bench: ${name} failed (exit ${p.status}): ${p.stderr}`);
      process.exit(1);
    }
    const m = /rgs-rusage: (\{.*\})/.exec(p.stderr);
    if (r === 0) continue; // warm-up: file cache
    times.push(ms);
    if (m) rss.push(JSON.parse(m[1]).maxRSS_kB / 1024);
  }
  const result = { name, args: args.join(' '), runs: RUNS, median_s: median(times) / 1000, min_s: Math.min(...times) / 1000, max_s: Math.max(...times) / 1000, peak_rss_mb: Math.max(...rss) };
  console.log(`${name.padEnd(48)} median ${result.median_s.toFixed(3)} s  (min ${result.min_s.toFixed(3)}, max ${result.max_s.toFixed(3)})  peak RSS ${result.peak_rss_mb.toFixed(0)} MB`);
  return result;
}

const out = (n) => join(work, `${n}.json`);
// Each CT case twice: with a helper thread computing about half of the feature families
// (--threads 2) and on one thread (--threads 1); "(default)" marks what `rgs extract` chooses
// without --threads on this machine (its diagnostics.threads).
const ctCases = [
  ['CT phantom, whole IBSI set, no preprocessing, 3D', 'all', []],
  ['CT phantom, PyRadiomics-comparable subset, 3D', 'pyr', ['--features', 'pyradiomics']],
  ['CT phantom, config A (2D, FBS 25), whole set', 'A', ['--preset', 'ibsi-A']],
  ['CT phantom, config C (2 mm, FBS 25), whole set', 'C', ['--preset', 'ibsi-C']],
];
function defaultThreads(extra, key) {
  const file = out(`${key}-default`);
  const p = spawnSync(join(root, 'bin', 'rgs'), ['extract', ct.image, ct.mask, ...extra, '--out', file], { encoding: 'utf8' });
  if (p.status !== 0) {
    console.error(`bench: rgs extract ${extra.join(' ')} failed: ${p.stderr}`);
    process.exit(1);
  }
  return JSON.parse(readFileSync(file, 'utf8')).diagnostics.threads;
}
const cases = ctCases.flatMap(([name, key, extra]) => {
  const dflt = defaultThreads(extra, key);
  const mark = (n) => (n === dflt ? ' (default)' : '');
  return [
    [`${name}, 2 threads${mark(2)}`, ['extract', ct.image, ct.mask, ...extra, '--threads', '2', '--out', out(`${key}2`)]],
    [`${name}, 1 thread${mark(1)}`, ['extract', ct.image, ct.mask, ...extra, '--threads', '1', '--out', out(`${key}1`)]],
  ];
});

// Generated inputs (kept in bench/.data between runs; never committed).
const data = join(root, 'bench', '.data');
const prepare = join(data, 'prepare.js');
mkdirSync(data, { recursive: true });
buildSync({ entryPoints: [join(root, 'bench', 'prepare.ts')], bundle: true, platform: 'node', outfile: prepare, logLevel: 'error' });
function prepareInput(what) {
  const dir = join(data, what);
  const r = spawnSync(process.execPath, [prepare, what, dir], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(1);
  return dir;
}
const glioma = join(prepareInput('glioma'), 'glioma.study.yaml');
cases.push(
  ['Glioma case (4 x 240x240x155, 5 ROIs, all families, 3D), 1 worker', ['run', glioma, '--jobs', '1', '--no-cache', '--progress', 'none', '--out', join(work, 'g1')]],
  ['Glioma case (4 x 240x240x155, 5 ROIs, all families, 3D), 2 workers', ['run', glioma, '--jobs', '2', '--no-cache', '--progress', 'none', '--out', join(work, 'g2')]],
);

const machine = {
  ...describeMachine(),
  // Other work on the machine when the bench started (1-minute load average).
  load_average_1min: +loadavg()[0].toFixed(2),
};
console.log(`machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memory_gb} GiB, Node ${machine.node}`);
const results = cases.map(([name, args]) => timeCommand(name, args));

// The demo cohort (issue 5): whole-cohort throughput with 1 and 2 workers, and a cached re-run.
if (process.env.RGS_BENCH_COHORT !== '0') {
  const demoStudy = join(prepareInput('demo'), 'bench.study.yaml');
  const once = (name, args) => {
    const t0 = process.hrtime.bigint();
    const p = spawnSync(join(root, 'bin', 'rgs'), args, { env: { ...process.env, RGS_REPORT_RUSAGE: '1' }, encoding: 'utf8' });
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    if (p.status !== 0) {
      console.error(`bench: ${name} failed: ${p.stderr}`);
      process.exit(1);
    }
    const m = /rgs-rusage: (\{.*\})/.exec(p.stderr);
    const r = { name, args: args.join(' '), runs: 1, median_s: s, min_s: s, max_s: s, peak_rss_mb: m ? JSON.parse(m[1]).maxRSS_kB / 1024 : NaN };
    console.log(`${name.padEnd(48)} ${s.toFixed(1)} s`);
    return r;
  };
  const cacheDir = join(work, 'cohort-cache');
  const subjects = 120;
  const r1 = once('Demo cohort, 1 worker, no cache', ['run', demoStudy, '--jobs', '1', '--no-cache', '--progress', 'none', '--out', join(work, 'c1')]);
  const r2 = once('Demo cohort, 2 workers, filling the cache', ['run', demoStudy, '--jobs', '2', '--cache', cacheDir, '--progress', 'none', '--out', join(work, 'c2')]);
  const r3 = once('Demo cohort, 2 workers, fully cached re-run', ['run', demoStudy, '--jobs', '2', '--cache', cacheDir, '--progress', 'none', '--out', join(work, 'c3')]);
  for (const r of [r1, r2]) r.subjects_per_minute = +(subjects / (r.median_s / 60)).toFixed(1);
  results.push(r1, r2, r3);
}
rmSync(work, { recursive: true, force: true });

const stamp = new Date().toISOString();
const doc = { date: stamp, machine, results };
mkdirSync(join(root, 'bench', 'results'), { recursive: true });
writeFileSync(join(root, 'bench', 'results', 'latest.json'), JSON.stringify(doc, null, 2) + '\n');
const md = [
  `# Benchmark results (${stamp})`,
  '',
  `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memory_gb} GiB, Linux ${machine.kernel}, Node ${machine.node}; load average ${machine.load_average_1min} when the bench started.`,
  `Whole process (\`./bin/rgs extract …\`, spawn to exit), median of ${RUNS} runs after one warm-up; peak RSS from getrusage in the process.`,
  '',
  '| case | runs | median (s) | min (s) | max (s) | peak RSS (MB) | subjects/min |',
  '| --- | --- | --- | --- | --- | --- | --- |',
  ...results.map(
    (r) =>
      `| ${r.name} | ${r.runs} | ${r.median_s.toFixed(3)} | ${r.min_s.toFixed(3)} | ${r.max_s.toFixed(3)} | ${Number.isFinite(r.peak_rss_mb) ? r.peak_rss_mb.toFixed(0) : ''} | ${r.subjects_per_minute ?? ''} |`,
  ),
  '',
];
writeFileSync(join(root, 'bench', 'results', 'latest.md'), md.join('\n'));
console.log('written: bench/results/latest.json, bench/results/latest.md');

// The extension's benchmark (bench/extension.mjs: the subject view's first frame, the extension
// host's event loop while the notebook kernel extracts the demo cohort, the .vsix's size), written
// to bench/results/extension.{md,json}; RGS_BENCH_EXTENSION=0 leaves it out.
if (process.env.RGS_BENCH_EXTENSION !== '0' && spawnSync(process.execPath, [join(root, 'bench', 'extension.mjs')], { stdio: 'inherit' }).status !== 0) process.exitCode = 1;
