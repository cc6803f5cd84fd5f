/**
 * A small synthetic cohort for the workbench UI test: N subjects of one tiny T1 volume
 * (16 x 16 x 8, 1.5 mm voxels) with a two-label mask (core 1, rim 2), a clinical table whose
 * binary outcome `grade` (high / low) follows the tumour's intensity, a study file naming them
 * (cohort.study.yaml: study, cohort and outcomes) and a Radiogenomics notebook (.rgnb) over that
 * study whose cells extract first-order features and run a cross-validated logistic model, so
 * that its outputs include a feature table and a ROC curve.
 *
 * Deterministic (a seeded generator): the same cohort on every run. Small enough that the
 * extraction and the analysis take seconds, big enough (>= 30 subjects, balanced classes) for
 * 3-fold cross-validation of a fixed-lambda lasso.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { diagonalAffine, type Vec3 } from '../../../src/engine/image/volume';
import { writeNifti } from '../../../src/engine/io/nifti';
import { serialiseRgnb, type RgnbNotebook } from '../../../src/extension/notebook/rgnb-format';
import { labelCounts, volumeOf } from '../../webview/fixtures';

export const COHORT_DIMS: Vec3 = [16, 16, 8];
export const COHORT_SPACING: Vec3 = [1.5, 1.5, 1.5];
const CENTRE: Vec3 = [7.5, 7.5, 3.5];
/** Outer radii (voxels) of the core (label 1) and the rim (label 2). */
const CORE_RADIUS = 2.6;
const RIM_RADIUS = 4.6;

export const STUDY_ID = 'ui-e2e';
export const STUDY_FILE = 'cohort.study.yaml';
export const NOTEBOOK_FILE = 'analysis.rgnb';
export const OUTCOME = 'grade';
/** The mask's labels as cohort.labels names them. */
export const LABELS = { core: 1, rim: 2 } as const;

export interface Cohort {
  dir: string;
  subjects: string[];
  studyFile: string;
  notebookFile: string;
  /** High-grade subjects (the positive class). */
  positives: number;
}

/** Park-Miller minimal standard generator: deterministic, uniform in (0, 1). */
function generator(seed: number): () => number {
  let s = seed % 2147483647;
  if (s <= 0) s += 2147483646;
  return () => {
    s = (s * 16807) % 2147483647;
    return (s - 1) / 2147483646;
  };
}

function radiusAt(i: number, j: number, k: number): number {
  return Math.hypot(i - CENTRE[0], j - CENTRE[1], k - CENTRE[2]);
}

function maskVolume(): Uint8Array {
  return volumeOf(COHORT_DIMS, Uint8Array, (i, j, k) => {
    const r = radiusAt(i, j, k);
    return r < CORE_RADIUS ? 1 : r < RIM_RADIUS ? 2 : 0;
  });
}

/** Voxels per mask label (the same mask for every subject), counted here from the data written. */
export function maskVoxels(): Map<number, number> {
  return labelCounts(maskVolume());
}

/** mL of a label: voxels x voxel volume (mm^3) / 1000. */
export function maskMillilitres(label: number): number {
  return ((maskVoxels().get(label) ?? 0) * COHORT_SPACING[0] * COHORT_SPACING[1] * COHORT_SPACING[2]) / 1000;
}

/** One subject's T1: brain-like background, tumour brighter by `shift`, uniform noise. */
function imageVolume(shift: number, rnd: () => number): Int16Array {
  // volumeOf visits i fastest, then j, then k: the noise draws come in the same order as before.
  return volumeOf(COHORT_DIMS, Int16Array, (i, j, k) => {
    const r = radiusAt(i, j, k);
    const base = r < CORE_RADIUS ? 700 + shift : r < RIM_RADIUS ? 500 + 0.6 * shift : 250;
    return Math.round(base + 120 * (rnd() - 0.5));
  });
}

function studyYaml(): string {
  return [
    '# Synthetic cohort of the workbench UI test (test/vscode/ui/cohort.ts).',
    'study:',
    `  id: ${STUDY_ID}`,
    '  title: Workbench UI test cohort',
    'cohort:',
    '  manifest: manifest.csv',
    '  subject_column: subject_id',
    '  modality: MR',
    '  sequences:',
    '    T1: { column: t1 }',
    '  mask_column: mask',
    `  labels: { ${Object.entries(LABELS).map(([k, v]) => `${k}: ${v}`).join(', ')} }`,
    '  unions:',
    '    tumour: [core, rim]',
    '  rois: [tumour]',
    '  clinical:',
    '    - { file: clinical.csv, subject_column: subject_id }',
    'outcomes:',
    `  ${OUTCOME}: { type: binary, column: ${OUTCOME}, positive: high }`,
    '',
  ].join('\n');
}

/** The notebook: a title, the features cell (feature table), the analysis cell (ROC, ...). */
export function notebook(): RgnbNotebook {
  const code = (source: string) => ({ kind: 'code' as const, language: 'yaml', source, metadata: {}, outputs: [] });
  return {
    metadata: { study: STUDY_FILE },
    cells: [
      { kind: 'markdown', language: 'markdown', source: '# Workbench UI test\n\nFirst-order features, then a cross-validated lasso.', metadata: {}, outputs: [] },
      code('features:\n  families: [stat]\n  discretisation: { method: fbn, bin_count: 16 }\n'),
      code(
        [
          'analysis:',
          '  seed: 11',
          `  outcomes: [${OUTCOME}]`,
          '  features: { families: [stat] }',
          '  validation: { method: repeated_cv, folds: 3, repeats: 1, stratify: outcome }',
          '  scaling: { method: zscore }',
          '  filters:',
          '    - { method: near_zero_variance }',
          '  models:',
          '    - { type: logistic, alpha: 1, lambda: 0.05 }',
          '  bootstrap_replicates: 100',
          '',
        ].join('\n'),
      ),
    ],
  };
}

/** Write the cohort, its study file and its notebook into `dir`. */
export function writeCohort(dir: string, subjects = 32): Cohort {
  const rnd = generator(20260101);
  const grid = { dims: COHORT_DIMS, spacing: COHORT_SPACING, affine: diagonalAffine(COHORT_SPACING) };
  const mask = maskVolume();
  const manifest = ['subject_id,t1,mask'];
  const clinical = ['subject_id,grade'];
  const ids: string[] = [];
  let positives = 0;
  for (let n = 1; n <= subjects; n++) {
    const id = `S${String(n).padStart(3, '0')}`;
    const high = n % 2 === 0;
    if (high) positives++;
    // The classes overlap a little (AUC below 1): high grade is brighter on average.
    const shift = (high ? 260 : 0) + 300 * (rnd() - 0.5);
    const sub = join(dir, 'subjects', id);
    mkdirSync(sub, { recursive: true });
    writeNifti(join(sub, 't1.nii.gz'), { ...grid, data: imageVolume(shift, rnd) });
    writeNifti(join(sub, 'mask.nii.gz'), { ...grid, data: mask });
    manifest.push(`${id},subjects/${id}/t1.nii.gz,subjects/${id}/mask.nii.gz`);
    clinical.push(`${id},${high ? 'high' : 'low'}`);
    ids.push(id);
  }
  writeFileSync(join(dir, 'manifest.csv'), manifest.join('\n') + '\n');
  writeFileSync(join(dir, 'clinical.csv'), clinical.join('\n') + '\n');
  const studyFile = join(dir, STUDY_FILE);
  writeFileSync(studyFile, studyYaml());
  const notebookFile = join(dir, NOTEBOOK_FILE);
  writeFileSync(notebookFile, serialiseRgnb(notebook()));
  return { dir, subjects: ids, studyFile, notebookFile, positives };
}

/** The notebook's cells as one study file (base study + its YAML cells), for checking the
 *  cohort with the CLI outside VS Code. */
export function mergedStudyYaml(): string {
  return studyYaml() + notebook().cells.filter((c) => c.kind === 'code').map((c) => c.source).join('');
}
