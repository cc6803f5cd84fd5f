/**
 * Small synthetic cohorts for the cohort-runner tests: per subject a 16x16x8 mask with labels
 * 1 (necrosis: a 4x4x2 block), 2 (oedema: a shell around it) and 4 (enhancing: a 3x3x2 block),
 * and one integer-valued image per sequence (values 0..63 from a per-subject, per-sequence hash
 * so every subject and sequence differs). Written as NIfTI into a temporary folder, with the
 * Study object the study loader would produce and the matching study YAML and manifest.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeNifti } from '../../src/engine/io/nifti';
import { diagonalAffine, type Vec3 } from '../../src/engine/image/volume';
import { presetByName } from '../../src/engine/settings/presets';
import type { ExtractionSettings } from '../../src/engine/settings/types';
import type { RoiSpec, SequenceSpec, Study, SubjectRow } from '../../src/engine/study/types';

export const DIMS: Vec3 = [16, 16, 8];
export const SPACING: Vec3 = [1, 1, 2];

/** Fast settings: a handful of families, FBN 16 (texture on 16 grey levels). */
export function fastSettings(): ExtractionSettings {
  const s = presetByName('default');
  s.features.families = ['morph', 'stat', 'ih', 'cm', 'szm'];
  s.features.discretisation = { method: 'fbn', binCount: 16 };
  return s;
}

function hash32(a: number): number {
  let x = a | 0;
  x = Math.imul(x ^ (x >>> 16), 0x45d9f3b);
  x = Math.imul(x ^ (x >>> 16), 0x45d9f3b);
  return (x ^ (x >>> 16)) >>> 0;
}

export function labelAt(i: number, j: number, k: number): number {
  if (k >= 3 && k <= 4 && i >= 5 && i <= 8 && j >= 5 && j <= 8) return 1;
  if (k >= 3 && k <= 4 && i >= 9 && i <= 11 && j >= 5 && j <= 7) return 4;
  if (k >= 2 && k <= 5 && i >= 3 && i <= 12 && j >= 3 && j <= 10) return 2;
  return 0;
}

export interface SubjectFiles {
  id: string;
  images: Record<string, string>;
  mask: string;
}

export interface CohortSpec {
  dir: string;
  subjects: string[];
  sequences?: string[];
  /** Mask label function per subject (default labelAt). */
  maskLabel?: (subject: string) => (i: number, j: number, k: number) => number;
}

export function writeImage(path: string, seed: number, dims: Vec3 = DIMS): void {
  const n = dims[0] * dims[1] * dims[2];
  const data = new Float64Array(n);
  for (let v = 0; v < n; v++) data[v] = hash32(seed * 7919 + v) % 64;
  writeNifti(path, { dims, spacing: SPACING, affine: diagonalAffine(SPACING), data }, { datatype: 'int16' });
}

export function writeMask(path: string, label: (i: number, j: number, k: number) => number, dims: Vec3 = DIMS): void {
  const data = new Float64Array(dims[0] * dims[1] * dims[2]);
  for (let k = 0; k < dims[2]; k++) for (let j = 0; j < dims[1]; j++) for (let i = 0; i < dims[0]; i++) data[i + dims[0] * (j + dims[1] * k)] = label(i, j, k);
  writeNifti(path, { dims, spacing: SPACING, affine: diagonalAffine(SPACING), data }, { datatype: 'uint8' });
}

/** Write the subjects' files; returns their paths. */
export function writeCohort(spec: CohortSpec): SubjectFiles[] {
  const sequences = spec.sequences ?? ['T1', 'FLAIR'];
  mkdirSync(join(spec.dir, 'data'), { recursive: true });
  return spec.subjects.map((id, si) => {
    const images: Record<string, string> = {};
    sequences.forEach((seq, qi) => {
      const p = join(spec.dir, 'data', `${id}_${seq}.nii.gz`);
      writeImage(p, 1000 * (si + 1) + qi);
      images[seq] = p;
    });
    const mask = join(spec.dir, 'data', `${id}_mask.nii.gz`);
    writeMask(mask, spec.maskLabel ? spec.maskLabel(id) : labelAt);
    return { id, images, mask };
  });
}

export const ROIS: RoiSpec[] = [
  { name: 'necrosis', labels: [1] },
  { name: 'enhancing', labels: [4] },
  { name: 'core', labels: [1, 4] },
];

/** The Study the loader would produce for these files. */
export function makeStudy(dir: string, files: SubjectFiles[], opts: { sequences?: string[]; settings?: Record<string, ExtractionSettings>; rois?: RoiSpec[]; sha256?: string } = {}): Study {
  const names = opts.sequences ?? Object.keys(files[0]?.images ?? { T1: '', FLAIR: '' });
  const base = fastSettings();
  const sequences: SequenceSpec[] = names.map((name) => ({ name, column: name.toLowerCase(), settings: opts.settings?.[name] ?? fastSettings(), overrides: {} }));
  const subjects: SubjectRow[] = files.map((f, i) => ({ id: f.id, images: f.images, mask: f.mask, site: null, line: i + 2, external: false }));
  return {
    file: join(dir, 'synth.study.yaml'),
    sha256: opts.sha256 ?? 'a'.repeat(64),
    info: { id: 'synth', title: 'Synthetic cohort', question: 'Does the runner work?' },
    manifestFile: join(dir, 'manifest.csv'),
    subjects,
    sequences,
    rois: opts.rois ?? ROIS,
    clinical: [],
    outcomes: [],
    settings: base,
    analysis: null,
    report: null,
  };
}

export function writeText(path: string, text: string): void {
  writeFileSync(path, text);
}
