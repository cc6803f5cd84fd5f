/**
 * The "Validate" summary (src/extension/study/validation-summary.ts) and "Open subject in viewer"
 * (src/extension/study/subject-choice.ts) on the loader's real analysis of the fixture study
 * (test/fixtures/study: 3 subjects, T1/T1CE/T2/FLAIR, labels necrosis 1, oedema 2, enhancing 4,
 * 2 unions, 2 outcomes) with tiny NIfTI files written for it.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { analyseStudyText } from '../../src/engine/study/load';
import { RgsError } from '../../src/engine/util/errors';
import { cohortLabels, openSubjectArgsFor, subjectPicks } from '../../src/extension/study/subject-choice';
import { summariseValidation } from '../../src/extension/study/validation-summary';
import { parseOpenSubjectArgs } from '../../src/extension/subject-args';
import { at, cohortDir } from './study-fixtures';

function analyse(dir: string, edit: (text: string) => string = (t) => t, opts: { subjectFileSeverity?: 'error' | 'warning' } = {}) {
  const file = join(dir, 'demo.study.yaml');
  const text = edit(readFileSync(file, 'utf8'));
  return { file, text, analysis: analyseStudyText(text, file, opts) };
}

describe('summariseValidation', () => {
  it('a valid study: what it holds', () => {
    const dir = cohortDir();
    const { file, analysis } = analyse(dir);
    expect(summariseValidation('demo.study.yaml', file, dir, analysis)).toEqual({
      level: 'info',
      message: 'demo.study.yaml is valid: 3 subjects, 4 sequences, 5 ROIs, 2 outcomes.',
      errors: 0,
      warnings: 0,
      first: null,
    });
  });

  it('errors: their number and the first, at its line and column', () => {
    const dir = cohortDir();
    const { file, text, analysis } = analyse(dir, (t) => t.replace('interpolation: linear', 'interpolaton: linear').replace('bin_count: 32', 'bin_count: 0'));
    const s = summariseValidation('demo.study.yaml', file, dir, analysis);
    expect(s.level).toBe('error');
    expect(s.errors).toBe(2);
    expect(s.message).toBe(
      `demo.study.yaml: 2 errors. First: demo.study.yaml:${at(text, 'interpolaton')} unknown key \`interpolaton\` in preprocessing.resampling; did you mean \`interpolation\`?`,
    );
    expect(s.first?.path).toBe('preprocessing.resampling');
  });

  it('names a problem in another file relative to the study folder', () => {
    const dir = cohortDir({ skip: ['subjects/GBM-002/t2.nii.gz'] });
    const { file, analysis } = analyse(dir);
    const s = summariseValidation('demo.study.yaml', file, dir, analysis);
    expect(s.errors).toBe(2);
    // The study file's problem comes first (cohort.manifest, line 9); the manifest cell's second.
    expect(s.message).toMatch(/^demo\.study\.yaml: 2 errors\. First: demo\.study\.yaml:9:13 cohort\.manifest: 1 image or mask file named in manifest\.csv is missing/);
    const other = analysis.problems[1];
    expect(summariseValidation('demo.study.yaml', file, dir, { study: null, problems: [other] }).message).toBe(
      'demo.study.yaml: 1 error. First: manifest.csv:3:65 subject GBM-002: T2 image not found: subjects/GBM-002/t2.nii.gz',
    );
  });

  it('warnings only: valid, a warning level, the first warning', () => {
    const dir = cohortDir();
    const { file, analysis } = analyse(dir);
    const warning = { file, line: 4, column: 3, endLine: 4, endColumn: 9, severity: 'warning' as const, message: 'a warning', path: 'study.id' };
    const s = summariseValidation('demo.study.yaml', file, dir, { study: analysis.study, problems: [warning, { ...warning, line: 5 }] });
    expect(s).toMatchObject({ level: 'warning', errors: 0, warnings: 2, first: warning });
    expect(s.message).toBe('demo.study.yaml is valid: 3 subjects, 4 sequences, 5 ROIs, 2 outcomes; 2 warnings. First: demo.study.yaml:4:3 a warning');
  });
});

describe('Open subject from a study', () => {
  it('the quick pick lists the subjects with their site and manifest line', () => {
    const dir = cohortDir();
    const { analysis } = analyse(dir);
    const study = analysis.study;
    if (study === null) throw new Error('the fixture study should load');
    expect(subjectPicks(study)).toEqual([
      { label: 'GBM-001', description: 'site-A', detail: 'manifest line 2: T1, T1CE, T2, FLAIR and mask' },
      { label: 'GBM-002', description: 'site-B', detail: 'manifest line 3: T1, T1CE, T2, FLAIR and mask' },
      { label: 'GBM-003', description: 'site-A', detail: 'manifest line 4: T1, T1CE, T2, FLAIR and mask' },
    ]);
  });

  it('builds openSubject arguments that the subject view accepts: four sequences, the mask, the label names', () => {
    const dir = cohortDir();
    const { analysis } = analyse(dir);
    const study = analysis.study;
    if (study === null) throw new Error('the fixture study should load');
    const labels = cohortLabels(analysis.parsed.doc);
    expect(labels).toEqual({ necrosis: 1, oedema: 2, enhancing: 4 });
    const args = openSubjectArgsFor(study, 'GBM-002', labels);
    expect(args.baseDir).toBe(dir);
    const req = parseOpenSubjectArgs(args);
    expect(req.title).toBe('GBM-002');
    expect(req.sequences).toEqual(
      ['T1', 'T1CE', 'T2', 'FLAIR'].map((name) => ({ name, path: join(dir, 'subjects', 'GBM-002', `${name.toLowerCase()}.nii.gz`) })),
    );
    expect(req.maskPath).toBe(join(dir, 'subjects', 'GBM-002', 'seg.nii.gz'));
    expect([...req.labelNames]).toEqual([
      [1, 'necrosis'],
      [2, 'oedema'],
      [4, 'enhancing'],
    ]);
    expect(dirname(req.maskPath)).toBe(join(dir, 'subjects', 'GBM-002'));
  });

  it('takes the label names from cohort.labels even when cohort.rois leaves labels out', () => {
    const dir = cohortDir();
    const { analysis } = analyse(dir, (t) => t.replace('rois: [necrosis, oedema, enhancing, tumour_core, whole_tumour]', 'rois: [whole_tumour]'));
    if (analysis.study === null) throw new Error(JSON.stringify(analysis.problems));
    expect(analysis.study.rois.map((r) => r.name)).toEqual(['whole_tumour']);
    expect(openSubjectArgsFor(analysis.study, 'GBM-001', cohortLabels(analysis.parsed.doc)).labels).toEqual({ necrosis: 1, oedema: 2, enhancing: 4 });
  });

  it('a subject with a missing file still loads as a warning, so the others can be opened', () => {
    const dir = cohortDir({ skip: ['subjects/GBM-002/t2.nii.gz'] });
    const { analysis } = analyse(dir, (t) => t, { subjectFileSeverity: 'warning' });
    expect(analysis.study?.subjects.map((s) => s.id)).toEqual(['GBM-001', 'GBM-002', 'GBM-003']);
  });

  it('an unknown subject is a user error; odd label values are left out of the legend names', () => {
    const dir = cohortDir();
    const { analysis } = analyse(dir);
    if (analysis.study === null) throw new Error('the fixture study should load');
    expect(() => openSubjectArgsFor(analysis.study as NonNullable<typeof analysis.study>, 'GBM-999', {})).toThrow(RgsError);
    expect(() => openSubjectArgsFor(analysis.study as NonNullable<typeof analysis.study>, 'GBM-999', {})).toThrow(/no subject `GBM-999`/);
    expect(cohortLabels(parseDocument('cohort:\n  labels: { a: 1, b: 0, c: 2.5, d: x, e: [1], f: 3 }\n'))).toEqual({ a: 1, f: 3 });
    expect(cohortLabels(parseDocument('cohort: 3\n'))).toEqual({});
    expect(cohortLabels(parseDocument('- 1\n'))).toEqual({});
  });
});
