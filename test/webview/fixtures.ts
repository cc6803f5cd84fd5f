/**
 * Synthetic subjects for the viewer tests: four "sequences" of a bright sphere on a black
 * background and a BraTS-style label mask of concentric shells, written with the engine's
 * writeNifti. The shells make the pixel checks independent of screen orientation: necrosis
 * (label 1, red) is the core, enhancing tumour (4, yellow) the shell around it and oedema
 * (2, green) the outer shell, so on any slice through the centre their pixels lie at increasing
 * distances from the sphere's centre.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { diagonalAffine, type Vec3 } from '../../src/engine/image/volume';
import { writeNifti } from '../../src/engine/io/nifti';

export const DIMS: Vec3 = [64, 64, 40];
export const SPACING: Vec3 = [1, 1, 1];
export const CENTRE: Vec3 = [31.5, 31.5, 19.5];
/** Outer radii (voxels) of the core, the enhancing shell and the oedema shell. */
export const RADII = { necrosis: 6, enhancing: 10, oedema: 14 };
export const LABELS = { necrosis: 1, oedema: 2, enhancing: 4 } as const;

/** A volume of `dims` (i fastest) whose voxel (i, j, k) holds f(i, j, k). */
export function volumeOf<T extends Uint8Array | Int16Array>(dims: Vec3, array: new (n: number) => T, f: (i: number, j: number, k: number) => number): T {
  const [nx, ny, nz] = dims;
  const data = new array(nx * ny * nz);
  for (let k = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) data[i + nx * (j + ny * k)] = f(i, j, k);
    }
  }
  return data;
}

/** Voxels per non-zero label of a mask. */
export function labelCounts(mask: ArrayLike<number>): Map<number, number> {
  const counts = new Map<number, number>();
  for (let i = 0; i < mask.length; i++) if (mask[i] !== 0) counts.set(mask[i], (counts.get(mask[i]) ?? 0) + 1);
  return counts;
}

function radiusAt(i: number, j: number, k: number): number {
  return Math.hypot(i - CENTRE[0], j - CENTRE[1], k - CENTRE[2]);
}

/** One sequence: intensity of the core, of the enhancing shell and of the oedema shell. */
function sequence(core: number, rim: number, outer: number): Int16Array {
  return volumeOf(DIMS, Int16Array, (i, j, k) => {
    const r = radiusAt(i, j, k);
    return r < RADII.necrosis ? core : r < RADII.enhancing ? rim : r < RADII.oedema ? outer : 0;
  });
}

export function maskData(): Uint8Array {
  return volumeOf(DIMS, Uint8Array, (i, j, k) => {
    const r = radiusAt(i, j, k);
    return r < RADII.necrosis ? LABELS.necrosis : r < RADII.enhancing ? LABELS.enhancing : r < RADII.oedema ? LABELS.oedema : 0;
  });
}

/** Voxel counts per label, counted here independently of the extension's code; with 1 mm
 *  voxels, mL = voxels / 1000. */
export function expectedVoxels(): Map<number, number> {
  return labelCounts(maskData());
}

export const SEQUENCES = ['T1', 'T1CE', 'T2', 'FLAIR'] as const;

export interface SubjectFiles {
  images: Record<(typeof SEQUENCES)[number], string>;
  mask: string;
  /** A single-volume file for the viewer. */
  sphere: string;
}

/** Write the subject into `dir` (file names relative to it are those of the returned paths). */
export function writeSubject(dir: string): SubjectFiles {
  mkdirSync(dir, { recursive: true });
  const grid = { dims: DIMS, spacing: SPACING, affine: diagonalAffine(SPACING) };
  const contrasts: Record<(typeof SEQUENCES)[number], [number, number, number]> = {
    T1: [300, 500, 600],
    T1CE: [250, 1000, 500],
    T2: [1200, 900, 1000],
    FLAIR: [600, 700, 900],
  };
  const images = {} as SubjectFiles['images'];
  for (const s of SEQUENCES) {
    const path = join(dir, `sub-01_${s.toLowerCase()}.nii.gz`);
    writeNifti(path, { ...grid, data: sequence(...contrasts[s]) });
    images[s] = path;
  }
  const mask = join(dir, 'sub-01_seg.nii.gz');
  writeNifti(mask, { ...grid, data: maskData() });
  const sphere = writeSphere(join(dir, 'sphere.nii'));
  return { images, mask, sphere };
}

/** A single bright sphere (uncompressed NIfTI when the name ends in .nii). */
export function writeSphere(path: string): string {
  writeNifti(path, { dims: DIMS, spacing: SPACING, affine: diagonalAffine(SPACING), data: sequence(800, 800, 800) });
  return path;
}
