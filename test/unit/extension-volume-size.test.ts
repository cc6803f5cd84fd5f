/**
 * The viewer's size check, computed from the header before any voxel is read: extents from
 * dim[1..dim[0]] times bitpix / 8, compared with the limit in MiB; a refusal names the file and
 * gives the numbers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { diagonalAffine } from '../../src/engine/image/volume';
import { readNiftiHeader, writeNifti } from '../../src/engine/io/nifti';
import {
  DEFAULT_MAX_VOLUME_MB,
  checkVolumeSize,
  formatBytes,
  volumeLimitFromSetting,
  volumeSizeOfHeader,
} from '../../src/extension/volume-size';

function header(dim: number[], bitpix: number, datatypeName: string) {
  return { dim, bitpix, datatypeName };
}

describe('volumeSizeOfHeader', () => {
  test('a BraTS volume: 240 x 240 x 155 int16 = 8,928,000 voxels, 17,856,000 bytes', () => {
    const s = volumeSizeOfHeader(header([3, 240, 240, 155, 1, 1, 1, 1], 16, 'int16'));
    expect(s).toEqual({ extents: [240, 240, 155], voxels: 8_928_000, bytesPerVoxel: 2, bytes: 17_856_000, datatype: 'int16' });
  });

  test('a 4D series counts every volume: 64 x 64 x 30 x 200 float32 = 98,304,000 bytes', () => {
    expect(volumeSizeOfHeader(header([4, 64, 64, 30, 200, 1, 1, 1], 32, 'float32')).bytes).toBe(98_304_000);
  });

  test('ignores extents past dim[0] and reads non-positive extents as 1', () => {
    // dim[0] = 3: the 7 in dim[4] is stale; dim[3] = 0 is read as 1 (nifti1.h: dim[i] >= 1).
    expect(volumeSizeOfHeader(header([3, 10, 20, 0, 7, 0, 0, 0], 8, 'uint8'))).toMatchObject({ extents: [10, 20, 1], bytes: 200 });
  });

  test('RGB24 voxels are 3 bytes', () => {
    expect(volumeSizeOfHeader(header([3, 10, 10, 10, 1, 1, 1, 1], 24, 'rgb24')).bytes).toBe(3000);
  });
});

describe('checkVolumeSize', () => {
  test('exactly at the limit is accepted: 1024 x 1024 x 256 float32 = 1 GiB', () => {
    expect(checkVolumeSize(header([3, 1024, 1024, 256, 1, 1, 1, 1], 32, 'float32'), 1024, 'big.nii').ok).toBe(true);
  });

  test('one slice more is refused, with the exact byte count, the make-up, the limit and the setting', () => {
    const r = checkVolumeSize(header([3, 1024, 1024, 257, 1, 1, 1, 1], 32, 'float32'), 1024, 'big.nii');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    // 1024 * 1024 * 257 * 4 = 1,077,936,128 bytes.
    expect(r.message).toBe(
      "big.nii is 1 GiB (1,077,936,128 bytes) uncompressed (1024 × 1024 × 257 voxels × 4 bytes, float32), " +
        "above the viewer's limit of 1 GiB; raise radiogenomics.viewer.maxVolumeSizeMB (now 1024) to open it.",
    );
  });

  test('a 4D series above a 64 MiB limit', () => {
    const r = checkVolumeSize(header([4, 64, 64, 30, 200, 1, 1, 1], 32, 'float32'), 64, 'bold.nii.gz');
    expect(r.ok).toBe(false);
    // 98,304,000 bytes = 93.75 MiB, shown to 3 significant digits.
    if (!r.ok) expect(r.message).toContain('bold.nii.gz is 93.8 MiB (98,304,000 bytes) uncompressed (64 × 64 × 30 × 200 voxels');
  });

  test('on a real gzipped 4D file, from its header alone', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rgs-ext-size-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'series.nii.gz');
    // 8 x 8 x 4 voxels x 3 volumes of float32 = 768 voxels x 4 bytes = 3072 bytes.
    writeNifti(path, { dims: [8, 8, 4], spacing: [1, 1, 1], affine: diagonalAffine([1, 1, 1]), data: new Float32Array(8 * 8 * 4 * 3) }, { volumes: 3 });
    const h = readNiftiHeader(path);
    expect(volumeSizeOfHeader(h)).toMatchObject({ extents: [8, 8, 4, 3], bytes: 3072, datatype: 'float32' });
    expect(checkVolumeSize(h, 3072 / 1048576, 'series.nii.gz').ok).toBe(true);
    expect(checkVolumeSize(h, 3071 / 1048576, 'series.nii.gz').ok).toBe(false);
  });
});

describe('formatBytes and the setting', () => {
  test('binary units, three significant digits', () => {
    expect(formatBytes(512)).toBe('512 bytes');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(17_856_000)).toBe('17 MiB'); // 17.029 MiB
    expect(formatBytes(1.5 * 2 ** 30)).toBe('1.5 GiB');
  });

  test('a missing, non-numeric or non-positive setting falls back to the 1 GiB default', () => {
    expect(DEFAULT_MAX_VOLUME_MB).toBe(1024);
    for (const v of [undefined, null, '2048', 0, -5, NaN, Infinity]) expect(volumeLimitFromSetting(v)).toBe(1024);
    expect(volumeLimitFromSetting(2048)).toBe(2048);
    expect(volumeLimitFromSetting(0.5)).toBe(0.5);
  });
});
