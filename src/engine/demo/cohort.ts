/**
 * The synthetic glioblastoma demo cohort: orchestration and files (docs/demo-cohort.md).
 *
 * For each subject: table row (genotype.ts) -> head anatomy (head-phantom.ts) -> tumour placed by
 * its phenotype (tumour.ts), with its mass effect on the anatomy -> tissue map and BraTS labels
 * -> noise-free T1, T1CE, T2, FLAIR (mr-contrast.ts) -> bias field, Rician noise, site gain,
 * int16 (noise.ts) -> NIfTI files. Every step reads its own seeded stream, so the whole output is
 * a deterministic function of the seed.
 *
 * Layout written under `dir`:
 *   subjects/<id>/{t1,t1ce,t2,flair}.nii.gz   int16
 *   subjects/<id>/seg.nii.gz                  uint8, 0 / 1 necrosis / 2 oedema / 4 enhancing
 *   manifest.csv   subject_id,t1,t1ce,t2,flair,mask,site   (paths relative to dir)
 *   clinical.csv   subject_id,age,sex,idh1,mgmt,codeletion_1p19q,egfrviii,survival_months,death
 *   labels.yaml    the BraTS labels and the tumour-core / whole-tumour unions
 * Each file is written atomically; the tables and labels are written last, so a manifest only
 * exists once all its images do.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Grid, type Vec3, type Volume, diagonalAffine } from '../image/volume';
import { constants as zlibConstants, gzipSync } from 'node:zlib';
import { type NiftiWriteOptions, encodeNifti } from '../io/nifti';
import { writeFileAtomic } from '../util/atomic-write';
import { RgsError } from '../util/errors';
import { type DemoSubject, clinicalCsv, generateCohortTable, generateSubject } from './genotype';
import { type HeadAnatomy, maxShapeFactor, renderHead, sampleHeadAnatomy, scalpOuterMm } from './head-phantom';
import { SEQUENCE_NAMES, type SequenceName, buildSubjectContrast, renderCleanImages } from './mr-contrast';
import { acquire, drawBiasPolynomial } from './noise';
import { gaussianRandomField } from './random-field';
import { Rng } from './rng';
import { SITE_PROFILES } from './sites';
import {
  type TumourGeometry,
  coreBox,
  makeTumourFields,
  placeTumour,
  renderTumour,
  tumourBox,
  tumourMassEffect,
} from './tumour';

/** Field of view of the demo grid (mm): the largest head the anatomy model draws, plus air. */
export const DEMO_FOV_MM: Vec3 = [184, 220, 168];
/** Default voxel size (mm): a clinical 2D axial protocol, 1.2 mm in plane, 4 mm slices. */
export const DEMO_SPACING_MM: Vec3 = [1.2, 1.2, 4];
export const DEFAULT_DEMO_SEED = 2026;
export const DEFAULT_DEMO_SUBJECTS = 120;

/** Kernel sd (mm) of the normal-tissue texture and of the rim's gadolinium patchiness. */
const NORMAL_TEXTURE_MM = 5;
const GADOLINIUM_PATCH_MM = 4;

export const LABELS_YAML =
  [
    '# BraTS labels of seg.nii.gz and the unions analysed as regions of interest',
    'necrosis: 1',
    'oedema: 2',
    'enhancing: 4',
    'tumour_core: [1, 4]',
    'whole_tumour: [1, 2, 4]',
  ].join('\n') + '\n';

export interface DemoCohortOptions {
  /** Seed of the whole cohort (a safe integer); default 2026. */
  seed?: number;
  /** Number of subjects; default 120. */
  subjects?: number;
  /** Voxel size in mm; default 1.2 x 1.2 x 4 (coarser grids make quick tests). */
  spacing?: Vec3;
  /** Called after each subject is written. */
  onProgress?: (done: number, total: number) => void;
}

export interface DemoCohortSummary {
  dir: string;
  seed: number;
  subjects: number;
  ids: string[];
  dims: Vec3;
  spacing: Vec3;
  voxelsPerVolume: number;
  /** Bytes of all files written. */
  bytesWritten: number;
  manifest: string;
  clinical: string;
  labels: string;
  counts: {
    idhMutant: number;
    mgmtMethylated: number;
    codeleted: number;
    egfrviiiPositive: number;
    deaths: number;
    perSite: Record<string, number>;
  };
}

/** One rendered subject, in memory. */
export interface RenderedSubject {
  grid: Grid;
  /** Tissue class per voxel (tissue.ts). */
  tissue: Uint8Array;
  /** BraTS labels per voxel. */
  seg: Uint8Array;
  images: Record<SequenceName, Int16Array>;
  anatomy: HeadAnatomy;
  tumour: TumourGeometry;
}

/** A grid of the given size and spacing centred on the head (world origin), RAS axes. */
export function centredGrid(dims: Vec3, spacing: Vec3): Grid {
  const origin: Vec3 = [0, 1, 2].map((a) => (-(dims[a] - 1) / 2) * spacing[a]) as Vec3;
  return { dims: [dims[0], dims[1], dims[2]], spacing: [spacing[0], spacing[1], spacing[2]], affine: diagonalAffine(spacing, origin) };
}

/** The demo grid for a voxel size: the field of view DEMO_FOV_MM, rounded to whole voxels. */
export function demoGrid(spacing: Vec3 = DEMO_SPACING_MM): Grid {
  const dims = [0, 1, 2].map((a) => Math.max(1, Math.round(DEMO_FOV_MM[a] / spacing[a]))) as Vec3;
  return centredGrid(dims, spacing);
}

/** Render one subject of the cohort with this seed on `grid` (nothing is written). */
export function renderSubject(seed: number, s: DemoSubject, grid: Grid): RenderedSubject {
  const i = s.index;
  const anatomy = sampleHeadAnatomy(new Rng(seed, 'anatomy', i), s.age, s.sex);
  const tumourRng = new Rng(seed, 'tumour', i);
  const tumour = placeTumour(tumourRng, s.phenotype, anatomy);
  const tumourFields = makeTumourFields(tumourRng, tumour);

  const fieldRng = new Rng(seed, 'fields', i);
  // Boxes around the cranial cavity and the whole head.
  const grow = maxShapeFactor(anatomy);
  const brainMax = anatomy.radii.map((r) => grow * r) as Vec3;
  const headMax = anatomy.radii.map((r) => grow * r + scalpOuterMm(anatomy)) as Vec3;
  const negate = (v: Vec3) => v.map((x) => -x) as Vec3;
  const folding = gaussianRandomField(fieldRng, negate(brainMax), brainMax, anatomy.foldingLengthMm);
  const tissue = renderHead(grid, anatomy, folding, tumourMassEffect(tumour));
  const seg = renderTumour(grid, tumour, tumourFields, tissue);

  const box = tumourBox(tumour);
  const core = coreBox(tumour);
  const fields = {
    normal: gaussianRandomField(fieldRng, negate(headMax), headMax, NORMAL_TEXTURE_MM),
    tumour: gaussianRandomField(fieldRng, box.min, box.max, s.phenotype.textureLengthMm),
    gadolinium: gaussianRandomField(fieldRng, core.min, core.max, GADOLINIUM_PATCH_MM),
  };
  const site = SITE_PROFILES[s.site];
  const contrast = buildSubjectContrast(new Rng(seed, 'contrast', i), site, s.phenotype);
  const clean = renderCleanImages(grid, tissue, contrast, fields);

  const sharedBias = drawBiasPolynomial(new Rng(seed, 'bias', i), site.biasSd);
  const images = {} as Record<SequenceName, Int16Array>;
  SEQUENCE_NAMES.forEach((seq, q) => {
    images[seq] = acquire(
      clean[q],
      grid,
      { sharedBias, biasSd: site.biasSd, noiseSd: site.noiseFraction * contrast.whiteMatter[q], gain: site.gain },
      new Rng(seed, 'scanner', i, seq),
    );
  });
  return { grid, tissue, seg, images, anatomy, tumour };
}

function checkSeed(seed: number): void {
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new RgsError(`demo cohort: seed must be a non-negative integer (got ${seed})`, { field: 'seed' });
  }
}

function checkSpacing(spacing: Vec3): void {
  if (spacing.length !== 3 || !spacing.every((s) => Number.isFinite(s) && s > 0)) {
    throw new RgsError(`demo cohort: spacing must be three positive numbers in mm (got ${spacing.join(', ')})`, {
      field: 'spacing',
    });
  }
}

function ensureDir(path: string): void {
  try {
    mkdirSync(path, { recursive: true });
  } catch (e) {
    throw new RgsError(`${path}: cannot create the folder (${(e as Error).message})`, { file: path, cause: e });
  }
}

/**
 * Encode with the project's NIfTI writer and gzip with the run-length strategy: the low byte of
 * a noisy int16 voxel is nearly random, so string matching (levels 1-9) gains only 3-6% over
 * Huffman coding plus runs (which still squeeze the air and the label map) at 2-4x the time.
 * Atomic. Returns the bytes written.
 */
function writeNiftiGz(path: string, vol: Volume<ArrayLike<number>>, opts: NiftiWriteOptions): number {
  const bytes = gzipSync(encodeNifti(vol, { ...opts, source: path }), { strategy: zlibConstants.Z_RLE });
  writeFileAtomic(path, bytes);
  return bytes.length;
}

/** Write a subject's four sequences and segmentation into `folder`; returns the bytes written. */
function writeSubjectFiles(folder: string, r: RenderedSubject, label: string): number {
  let bytes = 0;
  for (const seq of SEQUENCE_NAMES) {
    const path = join(folder, `${seq}.nii.gz`);
    bytes += writeNiftiGz(path, { ...r.grid, data: r.images[seq] }, { datatype: 'int16', description: `${label} ${seq}` });
  }
  const segPath = join(folder, 'seg.nii.gz');
  return bytes + writeNiftiGz(segPath, { ...r.grid, data: r.seg }, { datatype: 'uint8', description: `${label} BraTS labels` });
}

/** Check the cohort options and fill in the defaults. */
function cohortSettings(opts: DemoCohortOptions): { seed: number; n: number; grid: Grid } {
  const seed = opts.seed ?? DEFAULT_DEMO_SEED;
  const n = opts.subjects ?? DEFAULT_DEMO_SUBJECTS;
  const spacing = opts.spacing ?? DEMO_SPACING_MM;
  checkSeed(seed);
  checkSpacing(spacing);
  if (!Number.isInteger(n) || n < 1 || n > 9999) {
    throw new RgsError(`demo cohort: subjects must be an integer from 1 to 9999 (got ${n})`, { field: 'subjects' });
  }
  return { seed, n, grid: demoGrid(spacing) };
}

/**
 * Render one subject of the cohort and write its five images under dir/subjects/<id>/.
 * Subjects are independent: a caller may write them in any order or in several processes, then
 * call writeDemoTables. Returns the bytes written.
 */
export function writeDemoSubject(dir: string, seed: number, subject: DemoSubject, grid: Grid): number {
  const folder = join(dir, 'subjects', subject.id);
  ensureDir(folder);
  return writeSubjectFiles(folder, renderSubject(seed, subject, grid), `Radiogenomics Studio demo ${subject.id} seed ${seed}`);
}

/** Write clinical.csv, labels.yaml and (last) manifest.csv for the table; returns their paths and bytes. */
export function writeDemoTables(
  dir: string,
  table: readonly DemoSubject[],
): { manifest: string; clinical: string; labels: string; bytes: number } {
  const rel = (s: DemoSubject, f: string) => `subjects/${s.id}/${f}.nii.gz`;
  const manifest = ['subject_id,t1,t1ce,t2,flair,mask,site'];
  for (const s of table) {
    manifest.push([s.id, rel(s, 't1'), rel(s, 't1ce'), rel(s, 't2'), rel(s, 'flair'), rel(s, 'seg'), s.site].join(','));
  }
  const files = { manifest: join(dir, 'manifest.csv'), clinical: join(dir, 'clinical.csv'), labels: join(dir, 'labels.yaml') };
  const texts: [string, string][] = [
    [files.clinical, clinicalCsv(table)],
    [files.labels, LABELS_YAML],
    [files.manifest, manifest.join('\n') + '\n'],
  ];
  let bytes = 0;
  for (const [path, text] of texts) {
    writeFileAtomic(path, text);
    bytes += Buffer.byteLength(text, 'utf8');
  }
  return { ...files, bytes };
}

/** Write the demo cohort into `dir` (created if needed; files of an earlier run are replaced). */
export function generateDemoCohort(dir: string, opts: DemoCohortOptions = {}): DemoCohortSummary {
  const { seed, n, grid } = cohortSettings(opts);
  const table = generateCohortTable(seed, n);
  ensureDir(join(dir, 'subjects'));
  let bytes = 0;
  const perSite: Record<string, number> = {};
  table.forEach((s, i) => {
    bytes += writeDemoSubject(dir, seed, s, grid);
    perSite[s.site] = (perSite[s.site] ?? 0) + 1;
    opts.onProgress?.(i + 1, n);
  });
  const { bytes: tableBytes, ...files } = writeDemoTables(dir, table);
  bytes += tableBytes;
  const count = (f: (s: DemoSubject) => boolean) => table.filter(f).length;
  return {
    dir,
    seed,
    subjects: n,
    ids: table.map((s) => s.id),
    dims: grid.dims,
    spacing: grid.spacing,
    voxelsPerVolume: grid.dims[0] * grid.dims[1] * grid.dims[2],
    bytesWritten: bytes,
    ...files,
    counts: {
      idhMutant: count((s) => s.idh1 === 'mutant'),
      mgmtMethylated: count((s) => s.mgmt === 'methylated'),
      codeleted: count((s) => s.codeletion_1p19q === 'codeleted'),
      egfrviiiPositive: count((s) => s.egfrviii === 'positive'),
      deaths: count((s) => s.death === 1),
      perSite,
    },
  };
}

export interface GliomaCaseOptions {
  seed: number;
  /** Grid size in voxels, e.g. [240, 240, 155] (the BraTS grid). */
  shape: Vec3;
  /** Voxel size in mm, e.g. [1, 1, 1]. */
  spacing: Vec3;
}

export interface GliomaCaseSummary {
  dir: string;
  subject: DemoSubject;
  dims: Vec3;
  spacing: Vec3;
  /** Paths of the four sequences, the segmentation and labels.yaml. */
  files: Record<SequenceName | 'seg' | 'labels', string>;
  bytesWritten: number;
}

/**
 * One large subject for the performance benchmark: t1, t1ce, t2, flair and seg (.nii.gz) plus
 * labels.yaml in `dir`, on a grid of `shape` voxels of `spacing` mm centred on the head. Its five
 * regions of interest are the three labels and the two unions of labels.yaml.
 */
export function generateGliomaCase(dir: string, opts: GliomaCaseOptions): GliomaCaseSummary {
  checkSeed(opts.seed);
  checkSpacing(opts.spacing);
  if (opts.shape.length !== 3 || !opts.shape.every((d) => Number.isInteger(d) && d >= 1 && d <= 2048)) {
    throw new RgsError(`glioma case: shape must be three integers from 1 to 2048 (got ${opts.shape.join(', ')})`, {
      field: 'shape',
    });
  }
  const grid = centredGrid(opts.shape, opts.spacing);
  const subject = generateSubject(opts.seed, 0, 1);
  ensureDir(dir);
  let bytes = writeSubjectFiles(dir, renderSubject(opts.seed, subject, grid), `Radiogenomics Studio glioma case seed ${opts.seed}`);
  const labels = join(dir, 'labels.yaml');
  writeFileAtomic(labels, LABELS_YAML);
  bytes += Buffer.byteLength(LABELS_YAML, 'utf8');
  const files = { labels, seg: join(dir, 'seg.nii.gz') } as Record<SequenceName | 'seg' | 'labels', string>;
  for (const seq of SEQUENCE_NAMES) files[seq] = join(dir, `${seq}.nii.gz`);
  return { dir, subject, dims: grid.dims, spacing: grid.spacing, files, bytesWritten: bytes };
}
