/** `rgs demo [DIR]`: writes the synthetic glioblastoma demo cohort (deterministic from a seed). */
import { resolve } from 'node:path';
import { UsageError } from '../usage-error';
import { parseCommandArgs } from '../parse-command-args';
import { DEFAULT_DEMO_SEED, DEFAULT_DEMO_SUBJECTS, generateDemoCohort } from '../../engine/demo/cohort';
import { writeDemoStudy } from '../../engine/demo/study-file';
import { writeDemoExpression } from '../../engine/demo/expression';
import { generateCohortTable } from '../../engine/demo/genotype';

export const DEMO_HELP = `Usage: rgs demo [DIR] [options]

Writes a synthetic glioblastoma cohort (default ./demo): T1, T1CE, T2 and FLAIR volumes of a
procedurally generated head with a tumour (BraTS labels 1 necrosis, 2 oedema, 4 enhancing), a
manifest, a clinical/genomic table (IDH1, MGMT, 1p/19q, EGFRvIII, survival) and demo.study.yaml.
The same seed gives the same bytes. The generative model: docs/demo-cohort.md.

Options:
  --subjects N   number of subjects (default ${DEFAULT_DEMO_SUBJECTS})
  --seed S       seed (default ${DEFAULT_DEMO_SEED})
`;

function wholeNumber(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const v = Number(text);
  if (!Number.isSafeInteger(v) || v < 0) throw new UsageError(`demo: --${name} must be a whole number, got \`${text}\``);
  return v;
}

export async function runDemo(argv: string[]): Promise<void> {
  const parsed = parseCommandArgs('demo', argv, { subjects: { type: 'string' }, seed: { type: 'string' } });
  if (parsed.positionals.length > 1) throw new UsageError('demo takes at most one folder');
  const dir = resolve(parsed.positionals[0] ?? 'demo');
  const subjects = wholeNumber('subjects', parsed.values.subjects, DEFAULT_DEMO_SUBJECTS);
  const seed = wholeNumber('seed', parsed.values.seed, DEFAULT_DEMO_SEED);
  const tty = process.stderr.isTTY === true;
  const summary = generateDemoCohort(dir, {
    seed,
    subjects,
    onProgress: (done, total) => {
      if (tty) process.stderr.write(`\rrgs demo: ${done}/${total} subjects`);
    },
  });
  if (tty) process.stderr.write('\n');
  writeDemoExpression(dir, generateCohortTable(seed, subjects), seed);
  const study = writeDemoStudy(dir, subjects);
  const mb = (summary.bytesWritten / 2 ** 20).toFixed(0);
  process.stdout.write(
    `rgs demo: ${summary.subjects} subjects (${summary.dims.join('x')} voxels of ${summary.spacing.join('x')} mm, ${mb} MB) in ${dir}\n` +
      `  IDH1 mutant ${summary.counts.idhMutant}, MGMT methylated ${summary.counts.mgmtMethylated}, EGFRvIII positive ${summary.counts.egfrviiiPositive}, deaths ${summary.counts.deaths}\n` +
      `  study file: ${study}\n`,
  );
}
