/**
 * A real study on disk for the language-server tests: test/fixtures/lsp/ (study file, manifest,
 * clinical table) copied to a temporary folder, plus the tiny NIfTI images and masks the
 * manifest names, written with the engine's writer.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diagonalAffine, type Vec3 } from '../../src/engine/image/volume';
import { writeNifti } from '../../src/engine/io/nifti';

export const FIXTURE_DIR = join(__dirname, '..', 'fixtures', 'lsp');
export const SUBJECTS = ['S01', 'S02', 'S03', 'S04'];
export const IMAGE_DIMS: Vec3 = [6, 6, 4];
export const IMAGE_SPACING: Vec3 = [1, 1, 1];

export interface StudyFixture {
  dir: string;
  studyFile: string;
  studyText: string;
}

/** A 6x6x4 image (int16, 1 mm voxels) and a mask with labels 1, 2 and 4 per subject. */
export function writeStudyFixture(prefix = 'rgs-lsp-'): StudyFixture {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cpSync(FIXTURE_DIR, dir, { recursive: true });
  mkdirSync(join(dir, 'images'), { recursive: true });
  const [nx, ny, nz] = IMAGE_DIMS;
  const n = nx * ny * nz;
  SUBJECTS.forEach((id, s) => {
    for (const seq of ['t1ce', 'flair']) {
      const data = new Int16Array(n);
      for (let v = 0; v < n; v++) data[v] = ((v * 7 + s * 3 + seq.length) % 17) * 10;
      writeNifti(join(dir, 'images', `${id}_${seq}.nii.gz`), { dims: IMAGE_DIMS, spacing: IMAGE_SPACING, affine: diagonalAffine(IMAGE_SPACING), data });
    }
    const mask = new Uint8Array(n);
    for (let k = 1; k < nz - 1; k++) {
      for (let j = 1; j < ny - 1; j++) {
        for (let i = 1; i < nx - 1; i++) mask[i + nx * (j + ny * k)] = i < 3 ? 1 : i < 4 ? 4 : 2;
      }
    }
    writeNifti(join(dir, 'images', `${id}_seg.nii.gz`), { dims: IMAGE_DIMS, spacing: IMAGE_SPACING, affine: diagonalAffine(IMAGE_SPACING), data: mask });
  });
  const studyFile = join(dir, 'glioma.study.yaml');
  return { dir, studyFile, studyText: readFileSync(studyFile, 'utf8') };
}

/** Writes a variant of the study next to the fixture's and returns its path. */
export function writeVariant(fx: StudyFixture, name: string, text: string): string {
  const file = join(fx.dir, name);
  writeFileSync(file, text);
  return file;
}

/**
 * A generated study of about `lines` lines: the fixture's cohort with many sequences (each with
 * its own preprocessing block), labels, unions and outcomes, for the latency benchmark.
 */
export function largeStudyText(lines: number): string {
  const out: string[] = [
    '# A generated study for latency measurements.',
    'study:',
    '  id: large-study',
    '  title: Generated study',
    'cohort:',
    '  manifest: manifest.csv',
    '  subject_column: subject_id',
    '  mask_column: mask',
    '  site_column: site',
    '  clinical:',
    '    - file: clinical.csv',
    '  sequences:',
  ];
  const budget = Math.max(0, lines - 60);
  const sequences = Math.max(2, Math.floor((budget * 0.6) / 14));
  for (let s = 0; s < sequences; s++) {
    out.push(
      `    SEQ${s}:   # sequence ${s}`,
      `      column: ${s % 2 === 0 ? 't1ce' : 'flair'}`,
      '      preprocessing:',
      '        resampling:',
      '          spacing: [1, 1, 1]',
      '          interpolation: linear',
      '          mask_threshold: 0.5',
      '        normalisation:',
      '          method: percentile',
      '          lower: 1',
      '          upper: 99',
      '        resegmentation:',
      `          outlier_sigma: ${3 + (s % 3)}`,
      '',
    );
  }
  const labels = Math.max(3, Math.floor((budget * 0.2) / 1));
  out.push('  labels:');
  for (let l = 0; l < labels; l++) out.push(`    region${l}: ${l + 1}`);
  out.push('  unions:');
  const unions = Math.max(1, Math.floor((budget * 0.1) / 1));
  for (let u = 0; u < unions; u++) out.push(`    union${u}: [region${u % labels}, region${(u + 1) % labels}]`);
  out.push(
    'preprocessing:',
    '  resampling: { spacing: [1, 1, 1], interpolation: linear }',
    '  normalisation: { method: zscore, reference: roi }',
    'features:',
    '  families: [stat, ih, cm, rlm, szm]',
    '  discretisation: { method: fbn, bin_count: 32 }',
    'outcomes:',
  );
  const outcomes = Math.max(1, lines - out.length - 1);
  for (let o = 0; out.length < lines - 4 && o < outcomes; o++) {
    out.push(`  idh${o}:`, '    type: binary', '    column: idh1', '    positive: mutant');
  }
  return `${out.join('\n')}\n`;
}
