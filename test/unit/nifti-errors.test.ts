/**
 * Every reader error: one line, naming the file and the problem.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, test } from 'vitest';
import { diagonalAffine } from '../../src/engine/image/volume';
import { encodeNifti, parseNifti, readNifti, readNiftiAsync } from '../../src/engine/io/nifti';
import { RgsError } from '../../src/engine/util/errors';

const dir = mkdtempSync(join(tmpdir(), 'rgs-nifti-err-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A valid little-endian NIfTI-1 int16 file, 2x3x4. */
const GOOD = encodeNifti({ dims: [2, 3, 4], spacing: [1, 1, 1], affine: diagonalAffine([1, 1, 1]), data: new Int16Array(24) });
const GOOD2 = encodeNifti(
  { dims: [2, 3, 4], spacing: [1, 1, 1], affine: diagonalAffine([1, 1, 1]), data: new Int16Array(24) },
  { version: 2 },
);

function patched(f: (dv: DataView, b: Uint8Array) => void, src = GOOD): Uint8Array {
  const b = src.slice();
  f(new DataView(b.buffer), b);
  return b;
}

function file(name: string, bytes: Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

/** Assert an RgsError with exactly this one-line message. */
function expectError(fn: () => unknown, message: string): void {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(RgsError);
  expect((err as Error).message).toBe(message);
  expect(message.includes('\n')).toBe(false);
}

describe('reader errors', () => {
  test('file not found / a directory', () => {
    const p = join(dir, 'missing.nii.gz');
    expectError(() => readNifti(p), `${p}: file not found`);
    expectError(() => readNifti(dir), `${dir}: is a directory, not a NIfTI file`);
  });

  test('not a NIfTI file: wrong header size, wrong magic, too short', () => {
    const txt = file('notes.nii', new TextEncoder().encode('hello, this is not an image at all'));
    expectError(() => readNifti(txt), `${txt}: not a NIfTI file (header size field is 1819043176, expected 348 or 540)`);
    const badMagic = file('magic.nii', patched((_, b) => b.set([0x78, 0x79, 0x7a, 0], 344)));
    expectError(() => readNifti(badMagic), `${badMagic}: not a NIfTI file (magic is not "n+1")`);
    const tiny = file('tiny.nii', new Uint8Array([1, 2]));
    expectError(() => readNifti(tiny), `${tiny}: not a NIfTI file (only 2 bytes)`);
    const shortHeader = file('short.nii', GOOD.subarray(0, 200));
    expectError(() => readNifti(shortHeader), `${shortHeader}: truncated NIfTI-1 header (200 of 348 bytes)`);
  });

  test('.hdr/.img pairs are recognised and refused', () => {
    const pair = file('pair.hdr', patched((_, b) => b.set([0x6e, 0x69, 0x31, 0], 344)));
    expectError(
      () => readNifti(pair),
      `${pair}: a NIfTI .hdr/.img pair (magic "ni1") is not supported; convert it to a single .nii or .nii.gz file`,
    );
  });

  test('NIfTI-2 magic mangled by a text-mode transfer', () => {
    const p = file('mangled.nii', patched((_, b) => (b[8] = 0x0a), GOOD2));
    expectError(() => readNifti(p), `${p}: corrupt NIfTI-2 magic (the file was probably transferred in text mode)`);
  });

  test('truncated or corrupt gzip', () => {
    const gz = gzipSync(GOOD);
    const cut = file('cut.nii.gz', gz.subarray(0, gz.length - 10));
    expectError(() => readNifti(cut), `${cut}: corrupt or truncated gzip data`);
    const bad = gz.slice();
    bad[20] ^= 0xff;
    bad[21] ^= 0xff;
    const corrupt = file('corrupt.nii.gz', bad);
    expectError(() => readNifti(corrupt), `${corrupt}: corrupt or truncated gzip data`);
  });

  test('readNiftiAsync: the same image, and the same one-line errors, as readNifti', async () => {
    const gz = gzipSync(GOOD);
    const ok = file('async-ok.nii.gz', gz);
    const a = await readNiftiAsync(ok);
    expect(a.dims).toEqual(readNifti(ok).dims);
    expect(Array.from(a.data)).toEqual(Array.from(readNifti(ok).data));
    const cut = file('async-cut.nii.gz', gz.subarray(0, gz.length - 10));
    await expect(readNiftiAsync(cut)).rejects.toThrow(`${cut}: corrupt or truncated gzip data`);
    await expect(readNiftiAsync(cut)).rejects.toBeInstanceOf(RgsError);
    const missing = join(dir, 'absent.nii.gz');
    let syncMessage = '';
    try {
      readNifti(missing);
    } catch (e) {
      syncMessage = (e as Error).message;
    }
    expect(syncMessage).toContain('file not found');
    await expect(readNiftiAsync(missing)).rejects.toThrow(syncMessage);
  });

  test('gzip is detected by magic bytes, not by the name', () => {
    const p = file('really-gzipped.nii', gzipSync(GOOD));
    expect(readNifti(p).dims).toEqual([2, 3, 4]);
    const q = file('not-gzipped.nii.gz', GOOD);
    expect(readNifti(q).dims).toEqual([2, 3, 4]);
  });

  test('voxel data shorter than the header says', () => {
    // 2x3x4 int16 = 48 bytes after offset 352; keep 10 of them.
    const p = file('short-data.nii', GOOD.subarray(0, 362));
    expectError(() => readNifti(p), `${p}: expected 48 bytes of voxel data after offset 352, found 10`);
    const q = file('short-data2.nii', GOOD2.subarray(0, 544));
    expectError(() => readNifti(q), `${q}: expected 48 bytes of voxel data after offset 544, found 0`);
  });

  test('unsupported datatypes are named', () => {
    for (const [code, name] of [
      [32, 'complex64'],
      [128, 'RGB24'],
      [1536, 'float128'],
      [1792, 'complex128'],
      [2304, 'RGBA32'],
      [1, 'binary (1 bit)'],
      [999, 'unknown datatype code 999'],
    ] as const) {
      expectError(
        () => parseNifti(patched((dv) => dv.setInt16(70, code, true)), 'dt.nii'),
        `dt.nii: unsupported datatype ${name} (code ${code}); only real scalar images (uint8, int8, int16, uint16, int32, uint32, int64, uint64, float32, float64) are supported`,
      );
    }
  });

  test('bad dimensions', () => {
    expectError(
      () => parseNifti(patched((dv) => dv.setInt16(44, 0, true)), 'dims.nii'),
      'dims.nii: bad dimensions: dim[2] is 0 (must be at least 1)',
    );
    expectError(
      () => parseNifti(patched((dv) => dv.setInt16(42, -5, true)), 'dims.nii'),
      'dims.nii: bad dimensions: dim[1] is -5 (must be at least 1)',
    );
    expectError(
      () => parseNifti(patched((dv) => dv.setInt16(40, 0, true)), 'dims.nii'),
      'dims.nii: bad dimensions: dim[0] is 0, expected 1 to 7',
    );
    expectError(
      () => parseNifti(patched((dv) => dv.setBigInt64(16 + 24, 0n, true), GOOD2), 'dims2.nii'),
      'dims2.nii: bad dimensions: dim[3] is 0 (must be at least 1)',
    );
  });

  test('bad voxel size', () => {
    expectError(
      () => parseNifti(patched((dv) => dv.setFloat32(80, 0, true)), 'px.nii'),
      'px.nii: bad voxel size: pixdim[1] is 0 (must be positive and finite)',
    );
    expectError(
      () => parseNifti(patched((dv) => dv.setFloat32(88, NaN, true)), 'px.nii'),
      'px.nii: bad voxel size: pixdim[3] is NaN (must be positive and finite)',
    );
  });

  test('bad vox_offset', () => {
    expectError(
      () => parseNifti(patched((dv) => dv.setFloat32(108, 100, true)), 'off.nii'),
      'off.nii: bad vox_offset 100 (a single-file NIfTI-1 needs at least 348)',
    );
  });

  test('64-bit integers beyond 2^53', () => {
    const b = encodeNifti(
      { dims: [2, 1, 1], spacing: [1, 1, 1], affine: diagonalAffine([1, 1, 1]), data: [1, 2] },
      { datatype: 'int64' },
    );
    new DataView(b.buffer).setBigInt64(352 + 8, 2n ** 60n, true);
    expectError(
      () => parseNifti(b, 'big.nii'),
      `big.nii: int64 voxel value ${Number(2n ** 60n)} at index 1 is beyond 2^53 and cannot be represented exactly`,
    );
  });
});
