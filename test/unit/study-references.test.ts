/**
 * The checks of the files a study names, on small cohorts in temporary directories (CSV
 * inline, tiny NIfTI images written by the test): each problem in the file and at the cell or
 * line it concerns, with the summaries at the study file's key that names the file.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyseStudyText } from '../../src/engine/study/load';
import { at, cohortDir, formatIn, within, writeImage, type CohortOptions } from './study-fixtures';

const HEADER = 'subject_id,t1,t1ce,t2,flair,mask,site';
const row = (id: string, site = 'site-A') =>
  [id, ...['t1', 't1ce', 't2', 'flair', 'seg'].map((f) => `subjects/${id}/${f}.nii.gz`), site].join(',');
const MANIFEST = [HEADER, row('GBM-001'), row('GBM-002', 'site-B'), row('GBM-003')].join('\n') + '\n';
const CLINICAL = [
  'subject_id,age,sex,idh1,mgmt,codeletion_1p19q,egfrviii,survival_months,death',
  'GBM-001,61,M,wildtype,unmethylated,intact,positive,11.2,1',
  'GBM-002,38,F,mutant,methylated,intact,negative,41.7,0',
  'GBM-003,57,F,wildtype,methylated,intact,negative,15.0,1',
].join('\n') + '\n';

/** Analyses the fixture study (optionally edited) in a fresh cohort directory. */
function run(opts: CohortOptions & { edit?: (text: string) => string } = {}) {
  const dir = cohortDir(opts);
  const file = join(dir, 'demo.study.yaml');
  let text = readFileSync(file, 'utf8');
  if (opts.edit !== undefined) text = opts.edit(text);
  writeFileSync(file, text);
  const analysis = analyseStudyText(text, file);
  return { dir, text, study: analysis.study, problems: analysis.problems, lines: analysis.problems.map((p) => formatIn(dir, p)) };
}

describe('the manifest', () => {
  it('does not exist: an error at the `manifest` value, resolved against the study file', () => {
    const r = run({ edit: (t) => t.replace('manifest: manifest.csv', 'manifest: tables/manifest.csv') });
    expect(r.lines).toEqual([
      `demo.study.yaml:${at(r.text, 'tables/manifest.csv')} error cohort.manifest: file not found: tables/manifest.csv (${join(r.dir, 'tables/manifest.csv')})`,
    ]);
    expect(r.study).toBeNull();
  });

  it('is not valid CSV: the error at its line, and a summary at the `manifest` value', () => {
    const r = run({ manifest: `${HEADER}\nGBM-001,"subjects/x.nii.gz,b,c,d,e,f\n` });
    expect(r.lines).toEqual([
      `demo.study.yaml:${within(r.text, 'manifest: manifest.csv', 'manifest.csv')} error cohort.manifest: manifest.csv is not valid CSV: line 2: unterminated quoted field (a \`"\` opens it here and none closes it)`,
      'manifest.csv:2:9 error unterminated quoted field (a `"` opens it here and none closes it)',
    ]);
  });

  it('lacks a column: at the setting naming it, with did-you-mean (a quick-fix replacement)', () => {
    const r = run({
      edit: (t) => t.replace('T1: { column: t1 }', 'T1: { column: T1 }').replace('subject_column: subject_id', 'subject_column: subject').replace('site_column: site', 'site_column: centre'),
    });
    const columns = '(columns: `subject_id`, `t1`, `t1ce`, `t2`, `flair`, `mask`, `site`)';
    expect(r.lines).toEqual([
      `demo.study.yaml:${at(r.text, 'subject\n')} error cohort.subject_column: manifest.csv has no column \`subject\`; did you mean \`subject_id\`? ${columns}`,
      `demo.study.yaml:${at(r.text, 'T1 }')} error cohort.sequences.T1.column: manifest.csv has no column \`T1\`; did you mean \`t1\`? ${columns}`,
      `demo.study.yaml:${at(r.text, 'centre')} error cohort.site_column: manifest.csv has no column \`centre\` ${columns}`,
    ]);
    expect(r.problems[1]).toMatchObject({ code: 'unknown-column', data: { replacement: 't1' }, path: 'cohort.sequences.T1.column' });
  });

  it('lacks a column the study does not name (a default): at the `manifest` value, naming the default', () => {
    const r = run({ edit: (t) => t.replace('  mask_column: mask\n', ''), manifest: MANIFEST.replace(',mask,', ',seg,') });
    expect(r.lines).toEqual([
      `demo.study.yaml:${within(r.text, 'manifest: manifest.csv', 'manifest.csv')} error cohort.manifest: manifest.csv has no column \`mask\` (the masks, the default of cohort.mask_column) (columns: \`subject_id\`, \`t1\`, \`t1ce\`, \`t2\`, \`flair\`, \`seg\`, \`site\`)`,
    ]);
  });

  it('a duplicate subject id: an error at the second, naming both lines, and a summary', () => {
    const r = run({ manifest: [HEADER, row('GBM-001'), row('GBM-002'), row('GBM-001'), row('GBM-003')].join('\n') + '\n' });
    expect(r.lines).toEqual([
      `demo.study.yaml:${within(r.text, 'manifest: manifest.csv', 'manifest.csv')} error cohort.manifest: 1 duplicate subject id in manifest.csv (line 4 of manifest.csv)`,
      'manifest.csv:4:1 error subject `GBM-001` is listed twice, on lines 2 and 4',
    ]);
    expect(r.problems[1]).toMatchObject({ code: 'duplicate-subject', endLine: 4, endColumn: 8, path: '' });
  });

  it('missing image and mask files: one error per file at its manifest cell, and a summary', () => {
    const r = run({ skip: ['subjects/GBM-002/t2.nii.gz', 'subjects/GBM-002/seg.nii.gz', 'subjects/GBM-003/flair.nii.gz'] });
    const manifest = MANIFEST;
    expect(r.lines).toEqual([
      `demo.study.yaml:${within(r.text, 'manifest: manifest.csv', 'manifest.csv')} error cohort.manifest: 3 image or mask files named in manifest.csv are missing (relative paths start at ${r.dir}) (lines 3, 4 of manifest.csv)`,
      `manifest.csv:${at(manifest, 'subjects/GBM-002/t2.nii.gz')} error subject GBM-002: T2 image not found: subjects/GBM-002/t2.nii.gz`,
      `manifest.csv:${at(manifest, 'subjects/GBM-002/seg.nii.gz')} error subject GBM-002: mask not found: subjects/GBM-002/seg.nii.gz`,
      `manifest.csv:${at(manifest, 'subjects/GBM-003/flair.nii.gz')} error subject GBM-003: FLAIR image not found: subjects/GBM-003/flair.nii.gz`,
    ]);
    const missing = r.problems[1];
    // The whole cell is underlined: `subjects/GBM-002/t2.nii.gz` is 26 characters from column 65.
    expect(missing).toMatchObject({ line: 3, column: 65, endLine: 3, endColumn: 91, code: 'missing-file', data: { path: join(r.dir, 'subjects/GBM-002/t2.nii.gz') } });
    expect(r.study).toBeNull();
  });

  it('an empty cell', () => {
    const r = run({ manifest: [HEADER, row('GBM-001'), row('GBM-002').replace('subjects/GBM-002/t1.nii.gz', ''), row('GBM-003')].join('\n') + '\n' });
    expect(r.lines).toEqual([
      `demo.study.yaml:${within(r.text, 'manifest: manifest.csv', 'manifest.csv')} error cohort.manifest: 1 empty cell in manifest.csv (line 3 of manifest.csv)`,
      'manifest.csv:3:9 error subject GBM-002: no T1 image (column `t1` is empty)',
    ]);
  });

  it('an image and its mask on different grids: an error on that manifest line naming both files', () => {
    const r = run({ dims: { 'subjects/GBM-002/seg.nii.gz': [4, 4, 3] }, edit: (t) => t.replace(/ {4}(T1CE|T2|FLAIR): .*\n/g, '') });
    expect(r.lines).toEqual([
      `demo.study.yaml:${within(r.text, 'manifest: manifest.csv', 'manifest.csv')} error cohort.manifest: 1 image named in manifest.csv does not lie on the grid of its subject's mask (line 3 of manifest.csv)`,
      `manifest.csv:${at(MANIFEST, 'subjects/GBM-002/t1.nii.gz')} error subject GBM-002: subjects/GBM-002/seg.nii.gz does not lie on the grid of subjects/GBM-002/t1.nii.gz: dimensions 4x4x2 vs 4x4x3`,
    ]);
    expect(r.problems[1].code).toBe('grid-mismatch');
  });

  it('a file that is not NIfTI', () => {
    const dir = cohortDir();
    writeFileSync(join(dir, 'subjects/GBM-001/seg.nii.gz'), 'text, not an image');
    const text = readFileSync(join(dir, 'demo.study.yaml'), 'utf8');
    const problems = analyseStudyText(text, join(dir, 'demo.study.yaml')).problems.map((p) => formatIn(dir, p));
    expect(problems[0]).toBe(`demo.study.yaml:${within(text, 'manifest: manifest.csv', 'manifest.csv')} error cohort.manifest: 1 image or mask file named in manifest.csv is not readable NIfTI (line 2 of manifest.csv)`);
    expect(problems[1]).toMatch(/^manifest\.csv:2:122 error subject GBM-001: the mask is not a readable NIfTI file: /);
    expect(problems).toHaveLength(2);
  });

  it('subjects without a site: a warning at `site_column`', () => {
    const r = run({ manifest: [HEADER, row('GBM-001'), row('GBM-002', ''), row('GBM-003')].join('\n') + '\n' });
    expect(r.lines).toEqual([
      `demo.study.yaml:${at(r.text, 'site\n')} warning cohort.site_column: 1 subject of manifest.csv has no site (GBM-002); harmonisation and site-stratified splits need one for every subject`,
    ]);
    expect(r.study?.subjects[1].site).toBeNull();
  });
});

describe('the external test cohort', () => {
  const external = (ids: string[]) => [HEADER, ...ids.map((id) => row(id, 'site-C'))].join('\n') + '\n';

  it('its subjects are marked external and need clinical rows too', () => {
    const dir = cohortDir();
    writeFileSync(join(dir, 'external.csv'), external(['EXT-001']));
    for (const f of ['t1', 't1ce', 't2', 'flair', 'seg']) writeImage(join(dir, `subjects/EXT-001/${f}.nii.gz`), [4, 4, 2], [1.2, 1.2, 4]);
    const file = join(dir, 'demo.study.yaml');
    const text = readFileSync(file, 'utf8').replace('    - { file: clinical.csv, subject_column: subject_id }', '    - { file: clinical.csv, subject_column: subject_id }\n  external: { manifest: external.csv }');
    const r = analyseStudyText(text, file);
    expect(r.problems.map((p) => formatIn(dir, p))).toEqual([
      `demo.study.yaml:${within(text, 'file: clinical.csv', 'clinical.csv')} warning cohort.clinical[0].file: 1 subject of 4 has no row in clinical.csv (EXT-001); its outcomes and covariates from it are missing`,
    ]);
    expect(r.study?.subjects.map((s) => [s.id, s.external, s.site])).toEqual([
      ['GBM-001', false, 'site-A'],
      ['GBM-002', false, 'site-B'],
      ['GBM-003', false, 'site-A'],
      ['EXT-001', true, 'site-C'],
    ]);
  });

  it('a subject in both cohorts is an error in the external manifest', () => {
    const dir = cohortDir();
    writeFileSync(join(dir, 'external.csv'), external(['GBM-002']));
    const file = join(dir, 'demo.study.yaml');
    const text = readFileSync(file, 'utf8').replace('  site_column: site', '  site_column: site\n  external: { manifest: external.csv }');
    const lines = analyseStudyText(text, file).problems.map((p) => formatIn(dir, p));
    expect(lines).toEqual([
      `demo.study.yaml:${at(text, 'external.csv')} error cohort.external.manifest: 1 duplicate subject id in external.csv (line 2 of external.csv)`,
      'external.csv:2:1 error subject `GBM-002` is also in the main cohort (manifest.csv line 3); an external test subject must not be used for training',
    ]);
  });

  it('a column missing from the external manifest is reported at its `manifest` value', () => {
    const dir = cohortDir();
    writeFileSync(join(dir, 'external.csv'), 'subject_id,t1,t1ce,t2,mask,site\n');
    const file = join(dir, 'demo.study.yaml');
    const text = readFileSync(file, 'utf8').replace('  site_column: site', '  site_column: site\n  external: { manifest: external.csv }');
    const lines = analyseStudyText(text, file).problems.map((p) => formatIn(dir, p));
    expect(lines).toEqual([
      `demo.study.yaml:${at(text, 'external.csv')} error cohort.external.manifest: external.csv has no column \`flair\` (the FLAIR images, cohort.sequences.FLAIR.column) (columns: \`subject_id\`, \`t1\`, \`t1ce\`, \`t2\`, \`mask\`, \`site\`)`,
      `demo.study.yaml:${at(text, 'external.csv')} error cohort.external.manifest: external.csv has no subjects (only a header row)`,
    ]);
  });
});

describe('clinical tables', () => {
  it('does not exist', () => {
    const r = run({ edit: (t) => t.replace('file: clinical.csv', 'file: clinic.csv') });
    expect(r.lines).toEqual([
      `demo.study.yaml:${at(r.text, 'clinic.csv')} error cohort.clinical[0].file: file not found: clinic.csv (${join(r.dir, 'clinic.csv')})`,
    ]);
  });

  it('without the subject column', () => {
    const r = run({ clinical: CLINICAL.replace('subject_id,', 'patient,'), edit: (t) => t.replace(', subject_column: subject_id }', ' }') });
    expect(r.lines[0]).toBe(
      `demo.study.yaml:${within(r.text, 'file: clinical.csv', 'clinical.csv')} error cohort.clinical[0].file: clinical.csv has no column \`subject_id\` (the subject column; set cohort.clinical[0].subject_column if it has another name) (columns: \`patient\`, \`age\`, \`sex\`, \`idh1\`, \`mgmt\`, \`codeletion_1p19q\`, \`egfrviii\`, \`survival_months\`, \`death\`)`,
    );
  });

  it('a subject with two rows; subjects without a row (a warning with the count)', () => {
    const lines = CLINICAL.trim().split('\n');
    const r = run({ clinical: [lines[0], lines[1], lines[2], lines[2].replace('38', '39')].join('\n') + '\n' });
    expect(r.lines).toEqual([
      `demo.study.yaml:${within(r.text, 'file: clinical.csv', 'clinical.csv')} warning cohort.clinical[0].file: 1 subject of 3 has no row in clinical.csv (GBM-003); its outcomes and covariates from it are missing`,
      'clinical.csv:4:1 error subject `GBM-002` has two rows, on lines 3 and 4',
    ]);
    expect(r.problems[0]).toMatchObject({ code: 'missing-clinical-row', data: { subjects: ['GBM-003'] } });
  });
});

describe('outcomes', () => {
  it('a column that no clinical table has (did you mean)', () => {
    const r = run({ edit: (t) => t.replace('column: idh1', 'column: idh').replace('event: death', 'event: dead') });
    const columns = '(columns of clinical.csv: `subject_id`, `age`, `sex`, `idh1`, `mgmt`, `codeletion_1p19q`, `egfrviii`, `survival_months`, `death`)';
    expect(r.lines).toEqual([
      `demo.study.yaml:${at(r.text, 'idh,')} error outcomes.idh1.column: no clinical table has a column \`idh\`; did you mean \`idh1\`? ${columns}`,
      `demo.study.yaml:${at(r.text, 'dead')} error outcomes.survival.event: no clinical table has a column \`dead\`; did you mean \`death\`? ${columns}`,
    ]);
  });

  it('no clinical table at all', () => {
    const r = run({ edit: (t) => t.replace('  clinical:\n    - { file: clinical.csv, subject_column: subject_id }\n', '') });
    expect(r.lines[0]).toBe(
      `demo.study.yaml:${at(r.text, 'idh1,')} error outcomes.idh1.column: no clinical table to read \`idh1\` from; add one under cohort.clinical`,
    );
  });

  it('a binary column with more than two values lists them', () => {
    const r = run({ clinical: CLINICAL.replace('GBM-003,57,F,wildtype', 'GBM-003,57,F,unknown') });
    expect(r.lines).toEqual([
      `demo.study.yaml:${at(r.text, 'idh1,')} error outcomes.idh1.column: a binary outcome needs exactly two distinct values, but \`idh1\` in clinical.csv (rows of the cohort's subjects) has 3 distinct values: \`wildtype\`, \`mutant\`, \`unknown\`; leave unknown cells empty or write NA`,
    ]);
  });

  it('a binary column with one value; empty and NA cells are missing values, not classes', () => {
    const r = run({ clinical: CLINICAL.replace('GBM-002,38,F,mutant', 'GBM-002,38,F,NA').replace('GBM-003,57,F,wildtype', 'GBM-003,57,F,') });
    expect(r.lines).toEqual([
      `demo.study.yaml:${at(r.text, 'idh1,')} error outcomes.idh1.column: a binary outcome needs exactly two distinct values, but \`idh1\` in clinical.csv (rows of the cohort's subjects) has only one value: \`wildtype\``,
      `demo.study.yaml:${at(r.text, 'mutant')} error outcomes.idh1.positive: \`mutant\` is not a value of \`idh1\` in clinical.csv (rows of the cohort's subjects) (values: \`wildtype\`)`,
    ]);
  });

  it('a positive class that is not a value (did you mean, with the values found)', () => {
    const r = run({ edit: (t) => t.replace('positive: mutant', 'positive: Mutant') });
    expect(r.lines).toEqual([
      `demo.study.yaml:${at(r.text, 'Mutant')} error outcomes.idh1.positive: \`Mutant\` is not a value of \`idh1\` in clinical.csv (rows of the cohort's subjects); did you mean \`mutant\`? (values: \`wildtype\`, \`mutant\`)`,
    ]);
    expect(r.problems[0]).toMatchObject({ code: 'positive-not-found', data: { values: ['wildtype', 'mutant'], replacement: 'mutant' } });
  });

  it('a numeric positive class is compared as written', () => {
    const r = run({
      clinical: 'subject_id,progressed,survival_months,death\nGBM-001,1,3,1\nGBM-002,0,4,0\nGBM-003,1,5,1\n',
      edit: (t) => t.replace('  idh1: { type: binary, column: idh1, positive: mutant }', '  prog: { type: binary, column: progressed, positive: 1 }'),
    });
    expect(r.lines).toEqual([]);
    expect(r.study?.outcomes[0]).toEqual({ name: 'prog', type: 'binary', column: 'progressed', positive: '1' });
  });

  it('survival times that are not numbers >= 0 and events other than 0/1: at the clinical cell, named, with a summary', () => {
    const clinical = CLINICAL.replace('11.2,1', '-3,1').replace('41.7,0', 'NA,yes').replace('15.0,1', '15 months,1');
    const r = run({ clinical });
    expect(r.lines).toEqual([
      `demo.study.yaml:${at(r.text, 'survival_months')} error outcomes.survival.time: 2 values of \`survival_months\` in clinical.csv are not numbers >= 0 (lines 2, 4)`,
      `demo.study.yaml:${at(r.text, 'death')} error outcomes.survival.event: 1 value of \`death\` in clinical.csv is not 0 or 1 (line 3)`,
      `clinical.csv:${at(clinical, '-3')} error survival_months: \`-3\` is not a survival time (a number >= 0; it is negative)`,
      `clinical.csv:${at(clinical, 'yes')} error death: \`yes\` is not an event indicator (1 = event observed, 0 = censored)`,
      `clinical.csv:${at(clinical, '15 months')} error survival_months: \`15 months\` is not a survival time (a number >= 0)`,
    ]);
    expect(r.problems.filter((p) => p.code === 'bad-event').map((p) => p.file)).toEqual([join(r.dir, 'demo.study.yaml'), join(r.dir, 'clinical.csv')]);
  });

  it('only the cohort\'s subjects count: a bad value in a row of another subject is ignored', () => {
    const r = run({ clinical: `${CLINICAL}OTHER-9,40,M,unknown,x,x,x,-1,maybe\n` });
    expect(r.lines).toEqual([]);
  });
});
