/**
 * The size check the viewers run on a volume's header before loading it. A webview holds the
 * whole image (NiiVue keeps the voxel array and uploads a texture of it), so a volume far above
 * what a renderer process can hold is refused with the numbers instead of crashing the webview.
 * No `vscode` import (unit-tested).
 */
import type { NiftiHeader } from '../engine/io/nifti';

/** Default limit: 1 GiB of uncompressed voxel data. */
export const DEFAULT_MAX_VOLUME_MB = 1024;
export const MAX_VOLUME_SETTING = 'radiogenomics.viewer.maxVolumeSizeMB';

const MIB = 1024 * 1024;

export interface VolumeSize {
  /** Extent of every stored dimension (dim[1..dim[0]]). */
  extents: number[];
  voxels: number;
  bytesPerVoxel: number;
  /** Uncompressed size of the voxel data. */
  bytes: number;
  datatype: string;
}

/** The uncompressed size of all the voxel data a header describes (every 4D volume: NiiVue
 *  loads them all). */
export function volumeSizeOfHeader(h: Pick<NiftiHeader, 'dim' | 'bitpix' | 'datatypeName'>): VolumeSize {
  const nd = Math.max(1, Math.min(7, h.dim[0] | 0));
  const extents: number[] = [];
  let voxels = 1;
  for (let d = 1; d <= nd; d++) {
    // NIfTI readers treat a non-positive extent as 1 (nifti1.h: dim[i] >= 1).
    const n = h.dim[d] >= 1 ? h.dim[d] : 1;
    extents.push(n);
    voxels *= n;
  }
  const bytesPerVoxel = h.bitpix / 8;
  return { extents, voxels, bytesPerVoxel, bytes: voxels * bytesPerVoxel, datatype: h.datatypeName };
}

/** Bytes in binary units with three significant digits: "512 KiB", "1.50 GiB". */
export function formatBytes(n: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${n} bytes` : `${Number(v.toPrecision(3))} ${units[u]}`;
}

export type VolumeSizeCheck = { ok: true; size: VolumeSize } | { ok: false; size: VolumeSize; message: string };

/**
 * Whether a volume fits under `limitMB` MiB uncompressed. The refusal names the file, its size,
 * how it is made up, the limit and the setting that raises it.
 */
export function checkVolumeSize(
  h: Pick<NiftiHeader, 'dim' | 'bitpix' | 'datatypeName'>,
  limitMB: number,
  file: string,
): VolumeSizeCheck {
  const size = volumeSizeOfHeader(h);
  const limit = limitMB * MIB;
  if (size.bytes <= limit) return { ok: true, size };
  const bytesPerVoxel = Number.isInteger(size.bytesPerVoxel) ? `${size.bytesPerVoxel}` : size.bytesPerVoxel.toFixed(1);
  const message =
    `${file} is ${formatBytes(size.bytes)} (${size.bytes.toLocaleString('en-US')} bytes) uncompressed ` +
    `(${size.extents.join(' × ')} voxels × ${bytesPerVoxel} bytes, ${size.datatype}), ` +
    `above the viewer's limit of ${formatBytes(limit)}; raise ${MAX_VOLUME_SETTING} (now ${limitMB}) to open it.`;
  return { ok: false, size, message };
}

/** The limit from the setting's raw value: a positive finite number, else the default. */
export function volumeLimitFromSetting(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : DEFAULT_MAX_VOLUME_MB;
}
