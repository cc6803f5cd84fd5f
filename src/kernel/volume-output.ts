/**
 * The volume output document (mime-types.ts) of one subject: an image and its mask, cropped to
 * the mask's bounding box plus a margin so that the notebook file stays small (a whole 1 mm
 * brain MRI would add megabytes to every save), written as gzipped NIfTI, base64 in the JSON.
 * The cropped grid keeps the world position of every voxel (the affine's origin moves to the
 * crop's corner), so the viewer shows the same anatomy in the same orientation.
 */
import { gzipSync } from 'node:zlib';
import { basename } from 'node:path';
import type { Affine, Vec3, Volume } from '../engine/image/volume';
import { encodeNifti, readNifti } from '../engine/io/nifti';
import { RgsError } from '../engine/util/errors';
import type { VolumeJson, VolumeLabelJson } from './mime-types';

/** BraTS-like colours for the first labels (necrosis red, oedema green, enhancing yellow, ...). */
const PALETTE: [number, number, number][] = [
  [230, 60, 50],
  [60, 200, 80],
  [250, 210, 40],
  [70, 130, 240],
  [200, 90, 220],
  [40, 200, 210],
];

export interface VolumeOutputOptions {
  title?: string;
  /** Voxels kept around the mask's bounding box on every side (default 8). */
  margin?: number;
  /** Names of the mask's label values (e.g. {necrosis: 1}). */
  labels?: Record<string, number>;
}

/** The bounding box [lo, hi] (inclusive) of non-zero voxels, or null for an empty mask. */
function boundingBox(mask: Volume<ArrayLike<number>>): { lo: Vec3; hi: Vec3 } | null {
  const [nx, ny, nz] = mask.dims;
  const lo: Vec3 = [nx, ny, nz];
  const hi: Vec3 = [-1, -1, -1];
  const d = mask.data;
  for (let k = 0, v = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++, v++) {
        if (d[v] === 0) continue;
        if (i < lo[0]) lo[0] = i;
        if (i > hi[0]) hi[0] = i;
        if (j < lo[1]) lo[1] = j;
        if (j > hi[1]) hi[1] = j;
        if (k < lo[2]) lo[2] = k;
        if (k > hi[2]) hi[2] = k;
      }
    }
  }
  return hi[0] < 0 ? null : { lo, hi };
}

function crop<T extends ArrayLike<number>>(vol: Volume<T>, lo: Vec3, hi: Vec3, make: (n: number) => { [i: number]: number } & ArrayLike<number>): Volume<ArrayLike<number>> {
  const dims: Vec3 = [hi[0] - lo[0] + 1, hi[1] - lo[1] + 1, hi[2] - lo[2] + 1];
  const out = make(dims[0] * dims[1] * dims[2]);
  const [nx, ny] = vol.dims;
  let w = 0;
  for (let k = lo[2]; k <= hi[2]; k++) {
    for (let j = lo[1]; j <= hi[1]; j++) {
      const row = lo[0] + nx * (j + ny * k);
      for (let i = 0; i < dims[0]; i++) out[w++] = vol.data[row + i];
    }
  }
  // World position of the crop's corner voxel: A · (lo, 1); the 3x3 part is unchanged.
  const a = vol.affine;
  const affine: Affine = new Float64Array(a);
  for (let r = 0; r < 3; r++) affine[4 * r + 3] = a[4 * r] * lo[0] + a[4 * r + 1] * lo[1] + a[4 * r + 2] * lo[2] + a[4 * r + 3];
  return { dims, spacing: vol.spacing, affine, data: out };
}

function base64Nifti(vol: Volume<ArrayLike<number>>, datatype: 'uint8' | 'int16' | 'int32' | 'float32'): string {
  return Buffer.from(gzipSync(encodeNifti(vol, { datatype }))).toString('base64');
}

function isInt16(data: ArrayLike<number>): boolean {
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (!Number.isInteger(v) || v < -32768 || v > 32767) return false;
  }
  return true;
}

/** The volume document of `imagePath` with `maskPath` overlaid, cropped around the mask. */
export function volumeOutput(imagePath: string, maskPath: string, opts: VolumeOutputOptions = {}): VolumeJson {
  const image = readNifti(imagePath);
  const mask = readNifti(maskPath);
  if (image.dims.some((d, i) => d !== mask.dims[i])) {
    throw new RgsError(`${maskPath}: the mask's grid ${mask.dims.join('x')} differs from the image's ${image.dims.join('x')} (${imagePath})`, { file: maskPath });
  }
  const margin = opts.margin ?? 8;
  const box = boundingBox(mask);
  const lo: Vec3 = box === null ? [0, 0, 0] : [0, 1, 2].map((a) => Math.max(0, box.lo[a] - margin)) as Vec3;
  const hi: Vec3 = box === null ? [image.dims[0] - 1, image.dims[1] - 1, image.dims[2] - 1] : ([0, 1, 2].map((a) => Math.min(image.dims[a] - 1, box.hi[a] + margin)) as Vec3);
  const img = crop(image, lo, hi, (n) => new Float32Array(n));
  let maxLabel = 0;
  for (let i = 0; i < mask.data.length; i++) if (mask.data[i] > maxLabel) maxLabel = mask.data[i];
  const msk = crop(mask, lo, hi, (n) => (maxLabel > 255 ? new Int32Array(n) : new Uint8Array(n)));
  const present = new Set<number>();
  for (let i = 0; i < msk.data.length; i++) if (msk.data[i] !== 0) present.add(msk.data[i]);
  const names = new Map<number, string>();
  for (const [name, value] of Object.entries(opts.labels ?? {})) if (!names.has(value)) names.set(value, name);
  const labels: VolumeLabelJson[] = [...present].sort((a, b) => a - b).map((value, i) => ({ value, name: names.get(value) ?? `label ${value}`, color: PALETTE[i % PALETTE.length] }));
  const cropped = box !== null && (lo.some((v) => v > 0) || hi.some((v, a) => v < image.dims[a] - 1));
  const stem = (p: string) => basename(p).replace(/\.nii(\.gz)?$/i, '');
  return {
    version: 1,
    ...(opts.title !== undefined ? { title: opts.title } : {}),
    image: { name: `${stem(imagePath)}.nii.gz`, data: base64Nifti(img, isInt16(img.data) ? 'int16' : 'float32') },
    mask: { name: `${stem(maskPath)}.nii.gz`, data: base64Nifti(msk, maxLabel > 255 ? 'int32' : 'uint8'), opacity: 0.5, labels },
    sliceType: 'multiplanar',
    ...(cropped ? { note: `cropped to the mask's bounding box + ${margin} voxels: ${img.dims.join(' x ')} of ${image.dims.join(' x ')} voxels` } : {}),
  };
}
