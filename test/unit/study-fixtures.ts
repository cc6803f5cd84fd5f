/**
 * Helpers of the study tests: a temporary copy of test/fixtures/study (the synthetic demo
 * cohort's layout: manifest.csv, clinical.csv, demo.study.yaml) with tiny NIfTI images written
 * for every file the manifest names, and problem formatting for assertions.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { diagonalAffine, type Vec3 } from '../../src/engine/image/volume';
import { writeNifti } from '../../src/engine/io/nifti';
import { parseCsv } from '../../src/engine/study/csv';
import type { StudyProblem } from '../../src/engine/study/types';

export const FIXTURE_DIR = join(__dirname, '..', 'fixtures', 'study');

export interface CohortOptions {
  /** Voxel size of every image (default the demo's 1.2 x 1.2 x 4 mm). */
  spacing?: Vec3;
  /** Manifest paths (as written in the manifest) not to create. */
  skip?: string[];
  /** Manifest path -> other dimensions for that file (default 4 x 4 x 2). */
  dims?: Record<string, Vec3>;
  /** Replace the fixture's manifest / clinical table. */
  manifest?: string;
  clinical?: string;
}

/** A temporary directory holding the fixture study with its images; returns the directory. */
export function cohortDir(opts: CohortOptions = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'rgs-study-'));
  cpSync(FIXTURE_DIR, dir, { recursive: true });
  if (opts.manifest !== undefined) writeFileSync(join(dir, 'manifest.csv'), opts.manifest);
  if (opts.clinical !== undefined) writeFileSync(join(dir, 'clinical.csv'), opts.clinical);
  const spacing = opts.spacing ?? [1.2, 1.2, 4];
  let table;
  try {
    table = parseCsv(readFileSync(join(dir, 'manifest.csv'), 'utf8'), 'manifest.csv');
  } catch {
    return dir; // a deliberately broken manifest names no images
  }
  const fileColumns = ['t1', 't1ce', 't2', 'flair', 'mask'].map((c) => table.columns.indexOf(c)).filter((i) => i >= 0);
  for (const row of table.rows) {
    for (const i of fileColumns) {
      const rel = row.cells[i];
      if (rel === '' || opts.skip?.includes(rel)) continue;
      writeImage(join(dir, rel), opts.dims?.[rel] ?? [4, 4, 2], spacing);
    }
  }
  return dir;
}

/** A small image: labels 1, 2, 4 in a few voxels (a valid mask), or intensities. */
export function writeImage(path: string, dims: Vec3, spacing: Vec3): void {
  mkdirSync(dirname(path), { recursive: true });
  const data = new Uint8Array(dims[0] * dims[1] * dims[2]);
  data[0] = 1;
  data[1] = 2;
  data[2] = 4;
  writeNifti(path, { dims, spacing, affine: diagonalAffine(spacing), data });
}

/** "file:line:col severity message" with the file relative to `dir` (or its base name). */
export function formatIn(dir: string, p: StudyProblem): string {
  const file = p.file.startsWith('/') ? relative(dir, p.file) : p.file;
  return `${file}:${p.line}:${p.column} ${p.severity} ${p.message}`;
}

/** "line:column" of the `occurrence`-th (1-based) occurrence of `needle` in `text`. */
export function at(text: string, needle: string, occurrence = 1): string {
  let index = -1;
  for (let k = 0; k < occurrence; k++) {
    index = text.indexOf(needle, index + 1);
    if (index < 0) throw new Error(`\`${needle}\` occurs fewer than ${occurrence} times`);
  }
  const before = text.slice(0, index);
  const line = before.split('\n').length;
  const column = index - before.lastIndexOf('\n');
  return `${line}:${column}`;
}

/** "line:column" of `needle` inside the first occurrence of `context` (e.g. a value after its key). */
export function within(text: string, context: string, needle: string): string {
  const start = text.indexOf(context);
  if (start < 0) throw new Error(`\`${context}\` does not occur`);
  const offset = context.indexOf(needle);
  if (offset < 0) throw new Error(`\`${needle}\` is not in \`${context}\``);
  const index = start + offset;
  const before = text.slice(0, index);
  return `${before.split('\n').length}:${index - before.lastIndexOf('\n')}`;
}
