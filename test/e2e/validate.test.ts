/**
 * `rgs validate` as a user runs it: the built CLI in a child process, on the fixture study over
 * the demo cohort's layout. Problems on standard output as `file:line:col severity message`,
 * a summary line, exit code 0 without errors (warnings allowed) and 1 with one.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cohortDir } from '../unit/study-fixtures';

const root = join(__dirname, '..', '..');
const rgs = join(root, 'bin', 'rgs');

function run(args: string[], cwd: string) {
  const r = spawnSync(rgs, args, { encoding: 'utf8', cwd });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  const b = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { encoding: 'utf8' });
  if (b.status !== 0) throw new Error(`build failed: ${b.stderr}`);
});

describe('rgs validate', () => {
  it('a valid study: the summary on standard output, exit 0', () => {
    const dir = cohortDir();
    const r = run(['validate', 'demo.study.yaml'], dir);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('demo.study.yaml: valid (3 subjects, 4 sequences, 5 ROIs, 2 outcomes)\n');
    expect(r.code).toBe(0);
  });

  it('warnings are printed, and the study is still valid (exit 0)', () => {
    const dir = cohortDir();
    const text = readFileSync(join(dir, 'demo.study.yaml'), 'utf8').replace('  resampling: { spacing: [1, 1, 1], interpolation: linear }\n', '');
    writeFileSync(join(dir, 'demo.study.yaml'), text);
    const r = run(['validate', 'demo.study.yaml'], dir);
    expect(r.stdout.split('\n')).toEqual([
      'demo.study.yaml:26:1 warning features.aggregations: 3D texture aggregations on anisotropic voxels: the first subject (GBM-001) has 1.2 x 1.2 x 4 mm voxels (longest side 3.33 times the shortest) and there is no resampling; resample to isotropic voxels (preprocessing.resampling) or use slice_wise with the 2D and 2.5D aggregations (IBSI 2.4)',
      'demo.study.yaml: valid (3 subjects, 4 sequences, 5 ROIs, 2 outcomes), 1 warning',
      '',
    ]);
    expect(r.code).toBe(0);
  });

  it('errors: every problem as file:line:col severity message (other files relative to the working directory), exit 1', () => {
    const dir = cohortDir({ skip: ['subjects/GBM-003/seg.nii.gz'] });
    const text = readFileSync(join(dir, 'demo.study.yaml'), 'utf8').replace('positive: mutant', 'positive: Mutant').replace('modality: MR', 'modalty: MR');
    writeFileSync(join(dir, 'demo.study.yaml'), text);
    const r = run(['validate', 'demo.study.yaml'], dir);
    expect(r.stdout.split('\n')).toEqual([
      `demo.study.yaml:9:13 error cohort.manifest: 1 image or mask file named in manifest.csv is missing (relative paths start at ${dir}) (line 4 of manifest.csv)`,
      'demo.study.yaml:11:3 error unknown key `modalty` in cohort; did you mean `modality`?',
      "demo.study.yaml:30:49 error outcomes.idh1.positive: `Mutant` is not a value of `idh1` in clinical.csv (rows of the cohort's subjects); did you mean `mutant`? (values: `wildtype`, `mutant`)",
      'manifest.csv:4:122 error subject GBM-003: mask not found: subjects/GBM-003/seg.nii.gz',
      '',
    ]);
    expect(r.stderr).toBe('rgs: demo.study.yaml: 4 errors\n');
    expect(r.code).toBe(1);
  });

  it('--no-files checks the study file alone', () => {
    const dir = cohortDir({ skip: ['subjects/GBM-003/seg.nii.gz'] });
    const r = run(['validate', '--no-files', 'demo.study.yaml'], dir);
    expect(r.stdout).toBe('demo.study.yaml: valid (4 sequences, 5 ROIs, 2 outcomes; files not checked)\n');
    expect(r.code).toBe(0);
  });

  it('--json prints the problems as data', () => {
    const dir = cohortDir({ skip: ['subjects/GBM-003/seg.nii.gz'] });
    const r = run(['validate', '--json', 'demo.study.yaml'], dir);
    const out = JSON.parse(r.stdout) as { valid: boolean; errors: number; warnings: number; problems: { file: string; line: number; column: number; code: string }[] };
    expect(out.valid).toBe(false);
    expect(out.errors).toBe(2);
    expect(out.problems.map((p) => [p.file, p.line, p.column, p.code])).toEqual([
      ['demo.study.yaml', 9, 13, 'missing-file'],
      ['manifest.csv', 4, 122, 'missing-file'],
    ]);
    expect(r.code).toBe(1);
  });

  it('wrong usage exits 2; a study file that cannot be read exits 1 with one line', () => {
    const dir = cohortDir();
    const none = run(['validate'], dir);
    expect(none.code).toBe(2);
    expect(none.stderr).toBe('rgs: validate needs one study file, got 0 argument(s) (see rgs help validate)\n');
    const missing = run(['validate', 'nope.study.yaml'], dir);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('rgs: cannot read study file nope.study.yaml: no such file\n');
    expect(missing.stdout).toBe('');
  });

  it('help', () => {
    const r = run(['help', 'validate'], root);
    expect(r.stdout).toMatch(/^Usage: rgs validate <study.yaml> \[options\]/);
    expect(r.code).toBe(0);
  });
});
