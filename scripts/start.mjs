// `npm start`: the main job on the bundled demo data. Builds (done by the npm script), writes the
// synthetic demo cohort into ./demo if it is not there, validates and runs its study, and says
// where the outputs are. Everything goes through ./bin/rgs, exactly as a user would run it.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const rgs = join(root, 'bin', 'rgs');
const demo = join(root, 'demo');
const study = join(demo, 'demo.study.yaml');

function step(title, args) {
  console.log(`\n== ${title}: rgs ${args.join(' ')}`);
  const r = spawnSync(rgs, args, { stdio: 'inherit', cwd: root });
  if (r.status !== 0) {
    console.error(`npm start: \`rgs ${args[0]}\` failed (exit ${r.status})`);
    process.exit(r.status ?? 1);
  }
}

if (!existsSync(study)) step('Writing the synthetic demo cohort (once)', ['demo', demo]);
else console.log(`Demo cohort present: ${demo} (delete it to regenerate)`);
step('Validating the study', ['validate', study]);
step('Running the study', ['run', study]);
console.log(`\nOutputs: ${join(demo, 'results', 'demo-gbm')} (features.csv, features.parquet, status.csv, provenance.json)`);
