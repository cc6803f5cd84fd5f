// `node bench/analysis.mjs`: times the analysis pipeline on the reference workload of the
// brief: 120 subjects x 2,000 seeded standard-normal features with a random binary label,
// repeated 5 x 5-fold nested cross-validation (5 inner folds) with LASSO selection (lambda.1se by
// inner CV) and a penalised logistic model (lambda by inner CV), plus the final model and the
// evaluation (DeLong, calibration, 2,000-replicate ROC band). Prints the median of 3 runs (after
// one warm-up) and the AUC, which must be near 0.5 on noise. Target: under 30 s.
// The engine is bundled on the fly with esbuild (a dev dependency), so no build step is needed.
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = Number(process.env.RGS_BENCH_RUNS ?? 3);

const entry = `
import { computeAnalysis } from './src/engine/analysis/pipeline/run-analysis';
import { Rng } from './src/engine/analysis/random';
import { presetByName } from './src/engine/settings/presets';

export function workload() {
  const n = 120, p = 2000;
  const rng = new Rng(20240501);
  const columns = Array.from({ length: p }, (_, j) => 'T1CE.enhancing.stat.f' + String(j).padStart(4, '0'));
  const subjects = Array.from({ length: n }, (_, i) => 'S' + String(i).padStart(4, '0'));
  const rows = subjects.map(() => Float64Array.from({ length: p }, () => rng.normal()));
  const clinical = new Map(subjects.map((id) => [id, { subject_id: id, idh: rng.nextFloat() < 0.5 ? 'mutant' : 'wildtype' }]));
  const settings = presetByName('default');
  const study = {
    file: '/bench/noise.study.yaml', sha256: '0'.repeat(64),
    info: { id: 'bench-noise', title: 'Noise benchmark', question: '' },
    manifestFile: '/bench/manifest.csv',
    subjects: subjects.map((id, i) => ({ id, images: { T1CE: '/bench/' + id + '.nii.gz' }, mask: '/bench/' + id + '-seg.nii.gz', site: null, line: i + 2, external: false })),
    sequences: [{ name: 'T1CE', column: 't1ce', settings, overrides: {} }],
    rois: [{ name: 'enhancing', labels: [4] }],
    clinical: [{ file: '/bench/clinical.csv', subjectColumn: 'subject_id', columns: ['subject_id', 'idh'], rows: clinical }],
    outcomes: [{ name: 'idh', type: 'binary', column: 'idh', positive: 'mutant' }],
    settings,
    analysis: {
      seed: 1,
      validation: { method: 'nested_cv', folds: 5, repeats: 5, inner_folds: 5 },
      selection: { method: 'lasso', lambda: '1se' },
      models: [{ type: 'logistic' }],
    },
    report: {},
  };
  return { study, features: { file: '/bench/features.csv', sha256: 'f'.repeat(64), columns, subjects, rows } };
}

export function run(w) {
  const t0 = process.hrtime.bigint();
  const r = computeAnalysis(w.study, w.features, { write: false });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const m = r.results.outcomes[0].models[0];
  return { seconds, auc: m.cv.mean, pooled: m.evaluation.binary.auc.estimate, folds: m.folds.length };
}
`;

const work = mkdtempSync(join(tmpdir(), 'rgs-bench-analysis-'));
try {
  const outfile = join(work, 'bench-analysis.cjs');
  await build({
    stdin: { contents: entry, resolveDir: root, loader: 'ts', sourcefile: 'bench-analysis-entry.ts' },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile,
    logLevel: 'warning',
  });
  const mod = createRequire(import.meta.url)(outfile);
  const w = mod.workload();
  const times = [];
  let last;
  for (let r = 0; r <= RUNS; r++) {
    last = mod.run(w);
    if (r === 0) continue; // warm-up (JIT)
    times.push(last.seconds);
    console.log(`run ${r}: ${last.seconds.toFixed(2)} s`);
  }
  const sorted = [...times].sort((a, b) => a - b);
  const median = sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  console.log(
    `analysis: 120 x 2000 noise, nested CV 5 x 5 folds (inner 5), LASSO selection + penalised logistic: ` +
      `median ${median.toFixed(2)} s of ${times.length} (min ${sorted[0].toFixed(2)}, max ${sorted[sorted.length - 1].toFixed(2)}); ` +
      `${last.folds} outer folds; fold-mean AUC ${last.auc.toFixed(3)}, averaged out-of-fold AUC ${last.pooled.toFixed(3)}; ` +
      `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Node ${process.version}`,
  );
  if (median > 30) process.exitCode = 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
