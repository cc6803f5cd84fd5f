/**
 * Reading the IBSI phantoms, hand-built headers (qform / sform / pixdim transforms), byte order,
 * 2D/4D images and readNiftiHeader. Byte offsets below are those of nifti1.h / nifti2.h, written
 * out here independently of src/engine/io/nifti-format.ts.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, test } from 'vitest';
import { diagonalAffine, type Vec3, type Volume } from '../../src/engine/image/volume';
import { encodeNifti, parseNifti, readNifti, readNiftiHeader } from '../../src/engine/io/nifti';
import { CT_PHANTOM, DIGITAL_PHANTOM, ibsiSkipReason } from '../helpers/ibsi';

const dir = mkdtempSync(join(tmpdir(), 'rgs-nifti-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function vol(dims: Vec3, data: ArrayLike<number>, spacing: Vec3 = [1, 1, 1], affine = diagonalAffine(spacing)): Volume<ArrayLike<number>> {
  return { dims, spacing, affine, data };
}

function expectAffine(actual: Float64Array, expected: number[][], digits = 5): void {
  expect(actual.length).toBe(16);
  const flat = [...expected.flat(), 0, 0, 0, 1];
  for (let i = 0; i < 16; i++) expect(actual[i]).toBeCloseTo(flat[i], digits);
}

describe.skipIf(ibsiSkipReason() !== null)('IBSI phantoms', () => {
  test('digital phantom image: 5x4x4 int16, 2 mm, values equal the raw int16 stream', () => {
    const img = readNifti(DIGITAL_PHANTOM.image);
    expect(img.dims).toEqual([5, 4, 4]);
    expect(img.spacing).toEqual([2, 2, 2]);
    expect(img.header.datatypeName).toBe('int16');
    expect(img.header.version).toBe(1);
    expect(img.header.transform).toBe('sform');
    expect(img.source).toBe(DIGITAL_PHANTOM.image);
    // Independent decode: vox_offset (float32 at byte 108) then 80 little-endian int16 values.
    const raw = gunzipSync(readFileSync(DIGITAL_PHANTOM.image));
    const off = raw.readFloatLE(108);
    let sum = 0;
    for (let n = 0; n < 80; n++) {
      const v = raw.readInt16LE(off + 2 * n);
      sum += v;
      expect(img.data[n]).toBe(v);
    }
    let got = 0;
    for (const v of img.data) got += v;
    expect(got).toBe(sum);
    // Grey levels 1..6 plus the single 9 outside the ROI (IBSI digital phantom).
    expect(Math.max(...img.data)).toBe(9);
    expect(Math.min(...img.data)).toBe(1);
    // sform of the file (srow_x = -2 0 0 0, srow_y = 0 -2 0 0, srow_z = 0 0 2 0).
    expectAffine(img.affine, [
      [-2, 0, 0, 0],
      [0, -2, 0, 0],
      [0, 0, 2, 0],
    ]);
  });

  test('digital phantom mask: 74 voxels of value 1, rest 0, same grid', () => {
    const m = readNifti(DIGITAL_PHANTOM.mask);
    expect(m.dims).toEqual([5, 4, 4]);
    expect(m.data.filter((v) => v === 1).length).toBe(74);
    expect(m.data.filter((v) => v !== 0 && v !== 1).length).toBe(0);
  });

  test('CT phantom: 204x201x60 float32 image and uint8 mask, ~0.977x0.977x3 mm', () => {
    const img = readNifti(CT_PHANTOM.image);
    expect(img.dims).toEqual([204, 201, 60]);
    expect(img.header.datatypeName).toBe('float32');
    expect(img.spacing[0]).toBeCloseTo(0.977, 5);
    expect(img.spacing[1]).toBeCloseTo(0.977, 5);
    expect(img.spacing[2]).toBeCloseTo(3, 5);
    expect(img.data.length).toBe(204 * 201 * 60);
    const mask = readNifti(CT_PHANTOM.mask);
    expect(mask.header.datatypeName).toBe('uint8');
    expect(Array.from(mask.affine)).toEqual(Array.from(img.affine));
    // readNiftiHeader agrees with the full read.
    const h = readNiftiHeader(CT_PHANTOM.image);
    expect(h.dims).toEqual(img.dims);
    expect(h.spacing).toEqual(img.spacing);
    expect(Array.from(h.affine)).toEqual(Array.from(img.affine));
    expect(h.datatypeName).toBe('float32');
  });
});

/** Patch helpers on a little-endian NIfTI-1 header. */
function patch1(bytes: Uint8Array, f: (dv: DataView) => void): Uint8Array {
  const copy = bytes.slice();
  f(new DataView(copy.buffer));
  return copy;
}

describe('NIfTI-1 transforms', () => {
  const base = encodeNifti(vol([4, 3, 2], new Int16Array(24).map((_, i) => i)), { datatype: 'int16' });

  test('qform only: 90 degree rotation about z, hand-computed affine', () => {
    // Quaternion of a +90 degree rotation about z: a = cos 45, (b, c, d) = (0, 0, sin 45).
    // R = [[a^2-d^2, -2ad, 0], [2ad, a^2-d^2, 0], [0, 0, a^2+d^2]] = [[0, -1, 0], [1, 0, 0], [0, 0, 1]].
    // With pixdim (dx, dy, dz) = (2, 3, 4), qfac = +1 and offsets (10, 20, 30):
    // x = R diag(2, 3, 4) (i, j, k) + offset -> columns (0, 2, 0), (-3, 0, 0), (0, 0, 4).
    const s = Math.SQRT1_2;
    const bytes = patch1(base, (dv) => {
      dv.setInt16(254, 0, true); // sform_code
      dv.setInt16(252, 1, true); // qform_code (scanner)
      [1, 2, 3, 4].forEach((v, i) => dv.setFloat32(76 + 4 * i, v, true)); // pixdim[0..3]
      [0, 0, s, 10, 20, 30].forEach((v, i) => dv.setFloat32(256 + 4 * i, v, true));
    });
    const img = parseNifti(bytes, 'q.nii');
    expect(img.header.transform).toBe('qform');
    expectAffine(img.affine, [
      [0, -3, 0, 10],
      [2, 0, 0, 20],
      [0, 0, 4, 30],
    ]);
    expect(img.spacing).toEqual([2, 3, 4]);
  });

  test('qform with qfac = -1 flips the third axis; pixdim[0] = 0 counts as +1', () => {
    const s = Math.SQRT1_2;
    const make = (qfac: number) =>
      patch1(base, (dv) => {
        dv.setInt16(254, 0, true);
        dv.setInt16(252, 1, true);
        [qfac, 2, 3, 4].forEach((v, i) => dv.setFloat32(76 + 4 * i, v, true));
        [0, 0, s, 0, 0, 0].forEach((v, i) => dv.setFloat32(256 + 4 * i, v, true));
      });
    expectAffine(parseNifti(make(-1), 'q.nii').affine, [
      [0, -3, 0, 0],
      [2, 0, 0, 0],
      [0, 0, -4, 0],
    ]);
    expectAffine(parseNifti(make(0), 'q.nii').affine, [
      [0, -3, 0, 0],
      [2, 0, 0, 0],
      [0, 0, 4, 0],
    ]);
  });

  test('sform only (even with shear) is taken verbatim', () => {
    const rows = [
      [1.5, 0.25, 0, -7],
      [0, 2, 0.5, 8],
      [0.125, 0, 3, 9],
    ];
    const bytes = patch1(base, (dv) => {
      dv.setInt16(252, 0, true);
      dv.setInt16(254, 1, true);
      rows.flat().forEach((v, i) => dv.setFloat32(280 + 4 * i, v, true));
    });
    const img = parseNifti(bytes, 's.nii');
    expect(img.header.transform).toBe('sform');
    expectAffine(img.affine, rows, 12);
  });

  test('sform wins over qform when both are set', () => {
    const bytes = patch1(base, (dv) => {
      dv.setInt16(252, 1, true);
      [0, 0, 1, 5, 5, 5].forEach((v, i) => dv.setFloat32(256 + 4 * i, v, true)); // 180 deg about z
      dv.setInt16(254, 1, true);
      [1, 0, 0, 1, 0, 1, 0, 2, 0, 0, 1, 3].forEach((v, i) => dv.setFloat32(280 + 4 * i, v, true));
    });
    const img = parseNifti(bytes, 'both.nii');
    expect(img.header.transform).toBe('sform');
    expectAffine(img.affine, [
      [1, 0, 0, 1],
      [0, 1, 0, 2],
      [0, 0, 1, 3],
    ]);
  });

  test('no transform codes: diag(pixdim), origin 0', () => {
    const bytes = patch1(base, (dv) => {
      dv.setInt16(252, 0, true);
      dv.setInt16(254, 0, true);
      [1, 0.5, -0.75, 2.5].forEach((v, i) => dv.setFloat32(76 + 4 * i, v, true));
    });
    const img = parseNifti(bytes, 'p.nii');
    expect(img.header.transform).toBe('pixdim');
    expect(img.spacing).toEqual([0.5, 0.75, 2.5]); // absolute values
    expectAffine(img.affine, [
      [0.5, 0, 0, 0],
      [0, 0.75, 0, 0],
      [0, 0, 2.5, 0],
    ]);
  });

  test('spatial unit metre is converted to mm', () => {
    const bytes = patch1(base, (dv) => {
      dv.setUint8(123, 1); // NIFTI_UNITS_METER
      [1, 0.001, 0.002, 0.003].forEach((v, i) => dv.setFloat32(76 + 4 * i, v, true));
      [0.001, 0, 0, 0.01, 0, 0.002, 0, 0, 0, 0, 0.003, 0].forEach((v, i) => dv.setFloat32(280 + 4 * i, v, true));
    });
    const img = parseNifti(bytes, 'm.nii');
    expect(img.header.spatialUnit).toBe('m');
    expect(img.spacing[0]).toBeCloseTo(1, 5);
    expect(img.spacing[2]).toBeCloseTo(3, 5);
    expect(img.affine[3]).toBeCloseTo(10, 4);
  });
});

describe('data placement', () => {
  const values = [-5, 1000, -32768, 32767, 0, 42];
  const le = encodeNifti(vol([3, 2, 1], new Int16Array(values)));

  test('bytes at an odd memory offset (typed-array view needs an aligned copy)', () => {
    const holder = new Uint8Array(le.length + 1);
    holder.set(le, 1);
    const img = parseNifti(holder.subarray(1), 'odd.nii');
    expect(Array.from(img.data)).toEqual(values);
  });

  test('vox_offset past a header extension, and at an odd offset', () => {
    for (const extra of [16, 3]) {
      const b = new Uint8Array(le.length + extra);
      b.set(le.subarray(0, 352));
      b[348] = 1; // extension flag (contents ignored)
      b.set(le.subarray(352), 352 + extra);
      new DataView(b.buffer).setFloat32(108, 352 + extra, true);
      const img = parseNifti(b, 'ext.nii');
      expect(img.header.voxOffset).toBe(352 + extra);
      expect(Array.from(img.data)).toEqual(values);
    }
  });
});

describe('dimensionality', () => {
  test('a 2D image (dim[0] = 2, pixdim[3] = 0) is 3D with one slice and unit third spacing', () => {
    const bytes = patch1(encodeNifti(vol([4, 3, 1], new Uint8Array(12).fill(7))), (dv) => {
      dv.setInt16(40, 2, true);
      dv.setInt16(46, 0, true); // dim[3] (ignored beyond dim[0])
      dv.setFloat32(88, 0, true); // pixdim[3]
    });
    const img = parseNifti(bytes, '2d.nii');
    expect(img.dims).toEqual([4, 3, 1]);
    expect(img.spacing).toEqual([1, 1, 1]);
    expect(img.data.every((v) => v === 7)).toBe(true);
  });

  test('4D: volume selection, default 0, recorded in the header, out-of-range error', () => {
    const data = new Int16Array(3 * 8).map((_, i) => 100 * Math.floor(i / 8) + (i % 8));
    const bytes = encodeNifti(vol([2, 2, 2], data), { volumes: 3 });
    const v0 = parseNifti(bytes, 'four.nii');
    expect(v0.header.dim.slice(0, 5)).toEqual([4, 2, 2, 2, 3]);
    expect(v0.header.volumes).toBe(3);
    expect(v0.header.volume).toBe(0);
    expect(Array.from(v0.data)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    const v2 = parseNifti(bytes, 'four.nii', { volume: 2 });
    expect(v2.header.volume).toBe(2);
    expect(Array.from(v2.data)).toEqual([200, 201, 202, 203, 204, 205, 206, 207]);
    expect(() => parseNifti(bytes, 'four.nii', { volume: 3 })).toThrow(
      'four.nii: volume 3 is out of range (the image has 3 volumes, numbered from 0)',
    );
    expect(() => parseNifti(bytes, 'four.nii', { volume: -1 })).toThrow('four.nii: volume -1 is out of range');
  });
});

/** Byte-swap `count` fields of `size` bytes starting at `offset`. */
function swap(b: Uint8Array, offset: number, size: number, count = 1): void {
  for (let f = 0; f < count; f++) b.subarray(offset + f * size, offset + (f + 1) * size).reverse();
}

/** A big-endian copy of a little-endian NIfTI-1 file written by encodeNifti (header layout of nifti1.h). */
function toBigEndian1(le: Uint8Array, bytesPerVoxel: number): Uint8Array {
  const b = le.slice();
  swap(b, 0, 4); // sizeof_hdr
  swap(b, 32, 4); // extents
  swap(b, 36, 2); // session_error
  swap(b, 40, 2, 8); // dim
  swap(b, 56, 4, 3); // intent_p1..3
  swap(b, 68, 2, 4); // intent_code, datatype, bitpix, slice_start
  swap(b, 76, 4, 11); // pixdim[8], vox_offset, scl_slope, scl_inter
  swap(b, 120, 2); // slice_end
  swap(b, 124, 4, 6); // cal_max, cal_min, slice_duration, toffset, glmax, glmin
  swap(b, 252, 2, 2); // qform_code, sform_code
  swap(b, 256, 4, 18); // quatern_b..qoffset_z, srow_x/y/z
  swap(b, 352, bytesPerVoxel, (b.length - 352) / bytesPerVoxel);
  return b;
}

/** The same for NIfTI-2 (nifti2.h layout). */
function toBigEndian2(le: Uint8Array, bytesPerVoxel: number): Uint8Array {
  const b = le.slice();
  swap(b, 0, 4); // sizeof_hdr
  swap(b, 12, 2, 2); // datatype, bitpix
  swap(b, 16, 8, 8); // dim
  swap(b, 80, 8, 3); // intent_p
  swap(b, 104, 8, 8); // pixdim
  swap(b, 168, 8, 9); // vox_offset, scl_slope, scl_inter, cal_max, cal_min, slice_duration, toffset, slice_start, slice_end
  swap(b, 344, 4, 2); // qform_code, sform_code
  swap(b, 352, 8, 18); // quatern, qoffset, srow
  swap(b, 496, 4, 3); // slice_code, xyzt_units, intent_code
  swap(b, 544, bytesPerVoxel, (b.length - 544) / bytesPerVoxel);
  return b;
}

describe('big-endian files', () => {
  const affine = new Float64Array([0, -3, 0, 10, 2, 0, 0, 20, 0, 0, 4, 30, 0, 0, 0, 1]);
  const values = [-32768, 32767, 0, 1, -1, 1234, -4321, 7, 8, 9, 10, 11];
  const v = vol([3, 2, 2], values, [2, 3, 4], affine);

  for (const version of [1, 2] as const) {
    test(`NIfTI-${version} int16 and float64, byte-swapped by hand, read back identically`, () => {
      for (const [datatype, size] of [['int16', 2], ['float64', 8]] as const) {
        const le = encodeNifti(v, { datatype, version, slope: 2, inter: -1 });
        const be = version === 1 ? toBigEndian1(le, size) : toBigEndian2(le, size);
        const a = parseNifti(le, 'le.nii');
        const b = parseNifti(be, 'be.nii');
        expect(a.header.littleEndian).toBe(true);
        expect(b.header.littleEndian).toBe(false);
        expect(Array.from(b.data)).toEqual(Array.from(a.data));
        expect(Array.from(b.affine)).toEqual(Array.from(a.affine));
        expect(b.header.sclSlope).toBe(2);
        expect(b.header.transform).toBe('sform');
      }
    });
  }
});

describe('readNiftiHeader', () => {
  test('reads only a prefix of a .gz file: works on a file whose gzip stream is cut short', () => {
    // 64x64x32 float32 noise compresses poorly, so the file is far bigger than the 4 KiB prefix.
    const n = 64 * 64 * 32;
    const data = new Float32Array(n);
    let seed = 12345;
    for (let i = 0; i < n; i++) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      data[i] = seed / 1024;
    }
    const gz = gzipSync(encodeNifti(vol([64, 64, 32], data, [0.5, 0.5, 2]), { description: 'noise' }));
    const cut = join(dir, 'cut.nii.gz');
    writeFileSync(cut, gz.subarray(0, 10000));
    const h = readNiftiHeader(cut);
    expect(h.dims).toEqual([64, 64, 32]);
    expect(h.spacing).toEqual([0.5, 0.5, 2]);
    expect(h.descrip).toBe('noise');
    expect(h.datatypeName).toBe('float32');
    // ...while the full reader rejects the same file.
    expect(() => readNifti(cut)).toThrow(`${cut}: corrupt or truncated gzip data`);
  });

  test('uncompressed NIfTI-2 and a small NIfTI-1 file', () => {
    const p2 = join(dir, 'h2.nii');
    writeFileSync(p2, encodeNifti(vol([3, 4, 5], new Float64Array(60), [1, 2, 3]), { version: 2 }));
    const h2 = readNiftiHeader(p2);
    expect(h2.version).toBe(2);
    expect(h2.dims).toEqual([3, 4, 5]);
    const p1 = join(dir, 'h1.nii.gz');
    writeFileSync(p1, gzipSync(encodeNifti(vol([1, 1, 1], new Uint8Array(1)))));
    expect(readNiftiHeader(p1).dims).toEqual([1, 1, 1]);
  });

  test('describes a datatype the full reader rejects', () => {
    const rgb = patch1(encodeNifti(vol([2, 2, 1], new Uint8Array(4))), (dv) => dv.setInt16(70, 128, true));
    const p = join(dir, 'rgb.nii');
    writeFileSync(p, rgb);
    expect(readNiftiHeader(p).datatypeName).toBe('RGB24');
  });

  test('missing file', () => {
    expect(() => readNiftiHeader(join(dir, 'nope.nii'))).toThrow(`${join(dir, 'nope.nii')}: file not found`);
  });
});
