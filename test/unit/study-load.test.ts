/**
 * Loading a valid study over the synthetic demo cohort's layout (test/fixtures/study): the
 * resolved Study (subjects, sequences with their merged settings, unions expanded to label
 * values, clinical tables, outcomes), loadStudy's one-line error, the file-facts cache and
 * checkFiles: false.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateDemoCohort } from '../../src/engine/demo/cohort';
import { PRESETS } from '../../src/engine/settings/presets';
import { analyseStudyText, FileFactsCache, loadStudy } from '../../src/engine/study/load';
import { formatProblem } from '../../src/engine/study/problems';
import { RgsError } from '../../src/engine/util/errors';
import { cohortDir, FIXTURE_DIR, formatIn } from './study-fixtures';

function fixtureText(dir: string): string {
  return readFileSync(join(dir, 'demo.study.yaml'), 'utf8');
}

describe('a valid study over the demo cohort layout', () => {
  const dir = cohortDir();
  const file = join(dir, 'demo.study.yaml');
  const text = fixtureText(dir);
  const { study, problems } = analyseStudyText(text, file);

  it('has no problem', () => {
    expect(problems.map((p) => formatIn(dir, p))).toEqual([]);
    expect(study).not.toBeNull();
  });

  it('study info, file, text hash, manifest', () => {
    expect(study?.info).toEqual({
      id: 'demo-gbm',
      title: 'Radiogenomics of glioblastoma (synthetic demo)',
      question: 'IDH1 mutation status and overall survival from pre-operative MRI',
    });
    expect(study?.file).toBe(file);
    expect(study?.sha256).toBe(createHash('sha256').update(text).digest('hex'));
    expect(study?.manifestFile).toBe(join(dir, 'manifest.csv'));
  });

  it('subjects resolved: absolute paths (relative to the manifest), site, manifest line', () => {
    expect(study?.subjects).toHaveLength(3);
    expect(study?.subjects[1]).toEqual({
      id: 'GBM-002',
      images: {
        T1: join(dir, 'subjects/GBM-002/t1.nii.gz'),
        T1CE: join(dir, 'subjects/GBM-002/t1ce.nii.gz'),
        T2: join(dir, 'subjects/GBM-002/t2.nii.gz'),
        FLAIR: join(dir, 'subjects/GBM-002/flair.nii.gz'),
      },
      mask: join(dir, 'subjects/GBM-002/seg.nii.gz'),
      site: 'site-B',
      line: 3,
      external: false,
    });
    expect(study?.subjects.map((s) => s.id)).toEqual(['GBM-001', 'GBM-002', 'GBM-003']);
  });

  it('sequences: the study settings, with T2\'s normalisation override merged over them', () => {
    expect(study?.sequences.map((s) => [s.name, s.column])).toEqual([
      ['T1', 't1'],
      ['T1CE', 't1ce'],
      ['T2', 't2'],
      ['FLAIR', 'flair'],
    ]);
    const studyWide = study?.settings;
    expect(studyWide?.preprocessing.normalisation).toEqual({ method: 'percentile', lower: 1, upper: 99, reference: 'roi' });
    expect(studyWide?.preprocessing.resampling).toEqual({
      spacing: [1, 1, 1],
      interpolation: 'linear',
      roundIntensities: false,
      maskInterpolation: 'linear',
      maskThreshold: 0.5,
    });
    expect(studyWide?.features.discretisation).toEqual({ method: 'fbn', binCount: 32 });
    // Defaults the file leaves out: the `default` preset's.
    expect(studyWide?.features.families).toEqual(PRESETS.default.features.families);
    expect(studyWide?.features.directionalAggregations).toEqual(['3D, averaged', '3D, merged']);

    const t1 = study?.sequences[0];
    expect(t1?.settings).toEqual(studyWide);
    expect(t1?.overrides).toEqual({});
    const t2 = study?.sequences[2];
    expect(t2?.overrides).toEqual({ normalisation: { method: 'zscore', reference: 'roi' } });
    expect(t2?.settings.preprocessing).toEqual({ ...studyWide?.preprocessing, normalisation: { method: 'zscore', reference: 'roi' } });
    expect(t2?.settings.features).toEqual(studyWide?.features);
    // The sequences' settings are their own objects.
    expect(t2?.settings).not.toBe(study?.sequences[3].settings);
  });

  it('ROIs: the labels, and the unions expanded to their label values', () => {
    expect(study?.rois).toEqual([
      { name: 'necrosis', labels: [1] },
      { name: 'oedema', labels: [2] },
      { name: 'enhancing', labels: [4] },
      { name: 'tumour_core', labels: [1, 4] },
      { name: 'whole_tumour', labels: [1, 2, 4] },
    ]);
  });

  it('the clinical table and the outcomes', () => {
    expect(study?.clinical).toHaveLength(1);
    const c = study?.clinical[0];
    expect(c?.file).toBe(join(dir, 'clinical.csv'));
    expect(c?.subjectColumn).toBe('subject_id');
    expect(c?.columns).toEqual(['subject_id', 'age', 'sex', 'idh1', 'mgmt', 'codeletion_1p19q', 'egfrviii', 'survival_months', 'death']);
    expect(c?.rows.get('GBM-002')).toMatchObject({ idh1: 'mutant', survival_months: '41.7', death: '0' });
    expect(study?.outcomes).toEqual([
      { name: 'idh1', type: 'binary', column: 'idh1', positive: 'mutant' },
      { name: 'survival', type: 'survival', time: 'survival_months', event: 'death', unit: 'months' },
    ]);
    expect(study?.analysis).toEqual({});
    expect(study?.report).toEqual({});
  });
});

describe('per-sequence overrides', () => {
  it('a sequence processed slice-wise gets the 2D and 2.5D aggregations unless the study lists its own', () => {
    const dir = cohortDir();
    const text = fixtureText(dir)
      .replace("T1: { column: t1 }", "T1: { column: t1, preprocessing: { slice_wise: true, resampling: { spacing: [1, 1, null], interpolation: linear } } }");
    const { study, problems } = analyseStudyText(text, join(dir, 'demo.study.yaml'));
    expect(problems).toEqual([]);
    const t1 = study?.sequences[0];
    expect(t1?.settings.preprocessing.sliceWise).toBe(true);
    expect(t1?.settings.features.directionalAggregations).toEqual(['2D, averaged', '2D, slice-merged', '2.5D, direction-merged', '2.5D, merged']);
    expect(t1?.overrides.resampling?.spacing).toEqual([1, 1, null]);
    const listed = text.replace('  discretisation: { method: fbn, bin_count: 32 }', "  discretisation: { method: fbn, bin_count: 32 }\n  aggregations: ['3D, merged', '2D']");
    const t1Listed = analyseStudyText(listed, join(dir, 'demo.study.yaml')).study?.sequences[0];
    expect(t1Listed?.settings.features.directionalAggregations).toEqual(['3D, merged']);
    expect(t1Listed?.settings.features.zoneAggregations).toEqual(['2D']);
  });

  it('a reference mask in an override is resolved against the study file', () => {
    const dir = cohortDir();
    const text = fixtureText(dir).replace('reference: roi', 'reference: { mask: brain.nii.gz, label: 1 }');
    const { study } = analyseStudyText(text, join(dir, 'demo.study.yaml'));
    expect(study?.sequences[2].settings.preprocessing.normalisation).toEqual({
      method: 'zscore',
      reference: { mask: join(dir, 'brain.nii.gz'), label: 1 },
    });
  });
});

describe('loadStudy', () => {
  it('returns the study; warnings go to onWarning', () => {
    const dir = cohortDir({ clinical: 'subject_id,idh1,survival_months,death\nGBM-001,wildtype,11.2,1\nGBM-002,mutant,41.7,0\n' });
    const warnings: string[] = [];
    const study = loadStudy(join(dir, 'demo.study.yaml'), { onWarning: (p) => warnings.push(formatIn(dir, p)) });
    expect(study.subjects).toHaveLength(3);
    expect(warnings).toEqual([
      'demo.study.yaml:23:15 warning cohort.clinical[0].file: 1 subject of 3 has no row in clinical.csv (GBM-003); its outcomes and covariates from it are missing',
    ]);
  });

  it('throws one line "file:line:col message (and N more errors)" naming the first error', () => {
    const dir = cohortDir();
    const path = join(dir, 'demo.study.yaml');
    writeFileSync(path, fixtureText(dir).replace('modality: MR', 'modality: PET').replace('positive: mutant', 'positive: Mutant'));
    let error: unknown;
    try {
      loadStudy(path);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RgsError);
    expect((error as RgsError).message).toBe(`${path}:11:13 cohort.modality: expected one of \`MR\`, \`CT\`, got "PET"; did you mean \`CT\`? (and 1 more error)`);
    expect((error as RgsError).field).toBe('cohort.modality');
  });

  it('a study file that does not exist', () => {
    expect(() => loadStudy('/nonexistent/x.study.yaml')).toThrow(/^cannot read study file \/nonexistent\/x\.study\.yaml: no such file$/);
  });
});

describe('the file-facts cache', () => {
  it('reuses what it read while a file is unchanged, and re-reads a file that changed', () => {
    const dir = cohortDir();
    const manifest = join(dir, 'manifest.csv');
    const cache = new FileFactsCache();
    const first = cache.csv(manifest);
    expect(first.ok).toBe(true);
    expect(cache.csv(manifest)).toBe(first);
    const header = cache.nifti(join(dir, 'subjects/GBM-001/t1.nii.gz'));
    // NIfTI-1 stores the spacing as float32.
    expect(header).toMatchObject({ ok: true, grid: { dims: [4, 4, 2], spacing: [Math.fround(1.2), Math.fround(1.2), 4] } });
    expect(cache.nifti(join(dir, 'subjects/GBM-001/t1.nii.gz'))).toBe(header);

    const file = join(dir, 'demo.study.yaml');
    const text = fixtureText(dir);
    expect(analyseStudyText(text, file, { fileCache: cache }).problems).toEqual([]);
    // Duplicate a subject: the manifest's size changes, so the cache reads it again.
    const lines = readFileSync(manifest, 'utf8').split('\n');
    writeFileSync(manifest, [...lines.slice(0, 3), lines[1], ...lines.slice(3)].join('\n'));
    const again = analyseStudyText(text, file, { fileCache: cache });
    expect(again.problems.map((p) => formatIn(dir, p))).toContain('manifest.csv:4:1 error subject `GBM-001` is listed twice, on lines 2 and 4');
    expect(cache.csv(manifest)).not.toBe(first);
  });

  it('says what is wrong with a file it cannot use', () => {
    const dir = cohortDir();
    const cache = new FileFactsCache();
    expect(cache.csv(join(dir, 'none.csv'))).toEqual({ ok: false, missing: true, error: 'file not found' });
    expect(cache.csv(dir)).toEqual({ ok: false, missing: false, error: 'not a file' });
    writeFileSync(join(dir, 'bad.nii'), 'not a nifti file');
    const bad = cache.nifti(join(dir, 'bad.nii'));
    expect(bad.ok).toBe(false);
  });

  it('keeps at most maxEntries entries (least recently used go first)', () => {
    const dir = cohortDir();
    const cache = new FileFactsCache({ maxEntries: 1 });
    const a = cache.csv(join(dir, 'manifest.csv'));
    cache.csv(join(dir, 'clinical.csv'));
    expect(cache.csv(join(dir, 'manifest.csv'))).not.toBe(a);
  });
});

describe('checkFiles: false', () => {
  it('reads no file: a missing manifest is not reported, the study has no subjects or tables', () => {
    const dir = cohortDir();
    const text = fixtureText(dir).replace('manifest: manifest.csv', 'manifest: elsewhere.csv');
    const { study, problems } = analyseStudyText(text, join(dir, 'demo.study.yaml'), { checkFiles: false });
    expect(problems).toEqual([]);
    expect(study?.subjects).toEqual([]);
    expect(study?.clinical).toEqual([]);
    expect(study?.manifestFile).toBe(join(dir, 'elsewhere.csv'));
    expect(study?.outcomes).toHaveLength(2);
    // With files it is an error at the manifest value.
    const checked = analyseStudyText(text, join(dir, 'demo.study.yaml'));
    expect(checked.problems.map((p) => formatIn(dir, p))).toEqual([
      `demo.study.yaml:9:13 error cohort.manifest: file not found: elsewhere.csv (${join(dir, 'elsewhere.csv')})`,
    ]);
    expect(checked.problems[0]).toMatchObject({ code: 'missing-file', endLine: 9, endColumn: 26 });
  });
});

describe('formatProblem', () => {
  it('is "file:line:col severity message"', () => {
    expect(
      formatProblem({ file: 'a.study.yaml', line: 3, column: 5, endLine: 3, endColumn: 9, severity: 'warning', message: 'x: y', path: 'x' }),
    ).toBe('a.study.yaml:3:5 warning x: y');
  });
});

describe('the synthetic demo cohort', () => {
  it('the fixture study validates over what the demo generator writes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rgs-demo-study-'));
    // A small, coarse cohort: the files and their layout matter here, not the images.
    generateDemoCohort(dir, { subjects: 4, spacing: [6, 6, 12] });
    copyFileSync(join(FIXTURE_DIR, 'demo.study.yaml'), join(dir, 'demo.study.yaml'));
    const file = join(dir, 'demo.study.yaml');
    const { study, problems } = analyseStudyText(readFileSync(file, 'utf8'), file);
    expect(problems.map((p) => formatIn(dir, p))).toEqual([]);
    expect(study?.subjects.map((s) => s.id)).toEqual(['GBM-001', 'GBM-002', 'GBM-003', 'GBM-004']);
    expect(study?.clinical[0].rows.size).toBe(4);
  });
});
