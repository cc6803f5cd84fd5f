/**
 * Writer/reader round trips: every datatype, NIfTI-1 and -2, gzip or not, scl scaling, the
 * qform the writer derives, atomic writes and the writer's errors.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { diagonalAffine, type Vec3, type Volume } from '../../src/engine/image/volume';
import { type NiftiScalarType, encodeNifti, inflatedSizeHint, parseNifti, readNifti, readNiftiAsync, writeNifti } from '../../src/engine/io/nifti';

const dir = mkdtempSync(join(tmpdir(), 'rgs-nifti-rt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function vol(dims: Vec3, data: ArrayLike<number>, spacing: Vec3 = [1, 1, 1], affine = diagonalAffine(spacing)): Volume<ArrayLike<number>> {
  return { dims, spacing, affine, data };
}

// Each list holds the type's extremes (64-bit ints: +-(2^53 - 1), the exact-double limit).
const VALUES: Record<NiftiScalarType, number[]> = {
  uint8: [0, 255, 1, 2, 3, 4, 5, 128, 200, 17, 99, 254],
  int8: [-128, 127, 0, 1, -1, 2, -2, 50, -50, 100, -100, 3],
  int16: [-32768, 32767, 0, 1, -1, 300, -300, 1000, -1000, 12345, -12345, 7],
  uint16: [0, 65535, 1, 2, 300, 1000, 40000, 50000, 60000, 7, 8, 9],
  int32: [-2147483648, 2147483647, 0, 1, -1, 70000, -70000, 1e9, -1e9, 5, 6, 7],
  uint32: [0, 4294967295, 1, 2, 70000, 3e9, 4e9, 5, 6, 7, 8, 9],
  int64: [-(2 ** 53 - 1), 2 ** 53 - 1, 0, 1, -1, 2 ** 40, -(2 ** 40), 5, 6, 7, 8, 9],
  uint64: [0, 2 ** 53 - 1, 1, 2 ** 40, 2 ** 32, 5, 6, 7, 8, 9, 10, 11],
  // float32: exactly representable values only (1e10 = 2^10 * 9765625, 24-bit mantissa).
  float32: [0, -1.25, 0.5, 1e10, -3.4028234663852886e38, 2 ** -20, 7, 8, 9, 10, 11, 12],
  float64: [0, Math.PI, -Math.E, 1e300, -1e-300, Number.MAX_VALUE, 7, 8, 9, 10, 11, 12],
};
const BYTES: Record<NiftiScalarType, number> = {
  uint8: 1, int8: 1, int16: 2, uint16: 2, int32: 4, uint32: 4, int64: 8, uint64: 8, float32: 4, float64: 8,
};

describe('round trip, every datatype', () => {
  const affine = new Float64Array([-2, 0, 0, 10, 0, -3, 0, 20, 0, 0, 4, -30, 0, 0, 0, 1]);
  for (const version of [1, 2] as const) {
    for (const gz of [false, true]) {
      for (const datatype of Object.keys(VALUES) as NiftiScalarType[]) {
        test(`NIfTI-${version} ${datatype}${gz ? ' .gz' : ''}`, () => {
          const path = join(dir, `rt-${version}-${datatype}.nii${gz ? '.gz' : ''}`);
          writeNifti(path, vol([3, 2, 2], VALUES[datatype], [2, 3, 4], affine), { datatype, version, description: 'rt' });
          const raw = readFileSync(path);
          expect(raw[0] === 0x1f && raw[1] === 0x8b).toBe(gz);
          if (!gz) expect(raw.length).toBe((version === 1 ? 352 : 544) + 12 * BYTES[datatype]);
          const img = readNifti(path);
          expect(img.header.version).toBe(version);
          expect(img.header.datatypeName).toBe(datatype);
          expect(img.header.descrip).toBe('rt');
          expect(img.dims).toEqual([3, 2, 2]);
          expect(img.spacing).toEqual([2, 3, 4]);
          expect(Array.from(img.data)).toEqual(VALUES[datatype]);
          expect(Array.from(img.affine)).toEqual(Array.from(affine));
          expect(img.header.sformCode).toBe(2);
          expect(img.header.qformCode).toBe(2);
        });
      }
    }
  }

  test('default datatype follows the typed array', () => {
    expect(parseNifti(encodeNifti(vol([2, 1, 1], new Uint8Array([1, 2]))), 'a').header.datatypeName).toBe('uint8');
    expect(parseNifti(encodeNifti(vol([2, 1, 1], new Int16Array([1, 2]))), 'a').header.datatypeName).toBe('int16');
    expect(parseNifti(encodeNifti(vol([2, 1, 1], new Float32Array([1, 2]))), 'a').header.datatypeName).toBe('float32');
    expect(parseNifti(encodeNifti(vol([2, 1, 1], [1, 2])), 'a').header.datatypeName).toBe('float64');
  });
});

describe('scl_slope / scl_inter', () => {
  test('stored = (value - inter) / slope; read applies value = stored * slope + inter', () => {
    // slope 0.5, inter -10: -10 -> 0, -9.5 -> 1, 0 -> 20, 100.5 -> 221.
    const bytes = encodeNifti(vol([4, 1, 1], [-10, -9.5, 0, 100.5]), { datatype: 'int16', slope: 0.5, inter: -10 });
    const dv = new DataView(bytes.buffer);
    expect([0, 1, 2, 3].map((n) => dv.getInt16(352 + 2 * n, true))).toEqual([0, 1, 20, 221]);
    const img = parseNifti(bytes, 'scaled.nii');
    expect(img.header.scaled).toBe(true);
    expect(Array.from(img.data)).toEqual([-10, -9.5, 0, 100.5]);
  });

  test('slope 0 or non-finite means no scaling (inter ignored too)', () => {
    const bytes = encodeNifti(vol([3, 1, 1], new Int16Array([1, 2, 3])));
    for (const slope of [0, NaN, Infinity]) {
      const b = bytes.slice();
      const dv = new DataView(b.buffer);
      dv.setFloat32(112, slope, true);
      dv.setFloat32(116, 100, true);
      const img = parseNifti(b, 'noscale.nii');
      expect(img.header.scaled).toBe(false);
      expect(Array.from(img.data)).toEqual([1, 2, 3]);
    }
  });
});

describe('qform derived by the writer', () => {
  /** Read back with the sform switched off, so the affine comes from the qform alone. */
  function viaQform(v: Volume<ArrayLike<number>>): Float64Array {
    const b = encodeNifti(v, { datatype: 'uint8' });
    new DataView(b.buffer).setInt16(254, 0, true);
    const img = parseNifti(b, 'q.nii');
    expect(img.header.transform).toBe('qform');
    return img.affine;
  }
  const cases: [string, number[]][] = [
    ['90 degrees about z', [0, -3, 0, 10, 2, 0, 0, 20, 0, 0, 4, 30]],
    ['LPS (180 degrees about z)', [-2, 0, 0, 1, 0, -3, 0, 2, 0, 0, 4, 3]],
    ['improper (x flipped, qfac -1)', [-2, 0, 0, 1, 0, 3, 0, 2, 0, 0, 4, 3]],
    ['oblique 30 degrees about x', [2, 0, 0, 0, 0, 3 * Math.cos(Math.PI / 6), -4 * Math.sin(Math.PI / 6), 0, 0, 3 * Math.sin(Math.PI / 6), 4 * Math.cos(Math.PI / 6), 0]],
  ];
  for (const [name, rows] of cases) {
    test(name, () => {
      const affine = new Float64Array([...rows, 0, 0, 0, 1]);
      const got = viaQform(vol([2, 2, 2], new Uint8Array(8), [2, 3, 4], affine));
      for (let i = 0; i < 16; i++) expect(got[i]).toBeCloseTo(affine[i], 5);
    });
  }

  test('the improper case is stored with qfac = -1 in pixdim[0]', () => {
    const affine = new Float64Array([-2, 0, 0, 0, 0, 3, 0, 0, 0, 0, 4, 0, 0, 0, 0, 1]);
    const img = parseNifti(encodeNifti(vol([1, 1, 1], [0], [2, 3, 4], affine)), 'q.nii');
    expect(img.header.pixdim[0]).toBe(-1);
  });

  test('a sheared affine gets no qform (qform_code 0), only the sform', () => {
    const affine = new Float64Array([1, 0.5, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
    const img = parseNifti(encodeNifti(vol([1, 1, 1], [0], [1, Math.hypot(0.5, 1), 1], affine)), 'shear.nii');
    expect(img.header.qformCode).toBe(0);
    expect(img.header.sformCode).toBe(2);
    expect(Array.from(img.affine)).toEqual(Array.from(affine));
  });
});

describe('writer errors', () => {
  test('integer out of range names the value', () => {
    expect(() => encodeNifti(vol([2, 1, 1], [3, 256]), { datatype: 'uint8', source: 'out.nii' })).toThrow(
      'out.nii: value 256 at voxel index 1 is out of range for uint8 (0 to 255)',
    );
    expect(() => encodeNifti(vol([1, 1, 1], [-1]), { datatype: 'uint16', source: 'out.nii' })).toThrow(
      'out.nii: value -1 at voxel index 0 is out of range for uint16',
    );
    expect(() => encodeNifti(vol([1, 1, 1], [2 ** 53]), { datatype: 'int64', source: 'out.nii' })).toThrow(
      `out.nii: value ${2 ** 53} at voxel index 0 is out of range for int64`,
    );
  });

  test('non-integer or NaN for an integer type', () => {
    expect(() => encodeNifti(vol([1, 1, 1], [1.5]), { datatype: 'int16', source: 'o.nii' })).toThrow(
      'o.nii: value 1.5 at voxel index 0 cannot be stored as int16 (not an integer)',
    );
    expect(() => encodeNifti(vol([1, 1, 1], [NaN]), { datatype: 'int32', source: 'o.nii' })).toThrow(
      'o.nii: value NaN at voxel index 0 cannot be stored as int32',
    );
  });

  test('float32 overflow, data length, NIfTI-1 dimension limit', () => {
    expect(() => encodeNifti(vol([1, 1, 1], [1e39]), { datatype: 'float32', source: 'o.nii' })).toThrow(
      'o.nii: value 1e+39 at voxel index 0 is out of range for float32',
    );
    expect(() => encodeNifti(vol([2, 2, 2], [1, 2, 3]), { source: 'o.nii' })).toThrow(
      'o.nii: data has 3 values but the dimensions 2x2x2 need 8',
    );
    expect(() => encodeNifti({ dims: [40000, 1, 1], spacing: [1, 1, 1], affine: diagonalAffine([1, 1, 1]), data: new Uint8Array(40000) }, { source: 'o.nii' })).toThrow(
      'o.nii: cannot write dimension 40000 in NIfTI-1 (use version 2)',
    );
    // NIfTI-2 has 64-bit dims.
    const big = parseNifti(encodeNifti({ dims: [40000, 1, 1], spacing: [1, 1, 1], affine: diagonalAffine([1, 1, 1]), data: new Uint8Array(40000) }, { version: 2 }), 'big');
    expect(big.dims).toEqual([40000, 1, 1]);
  });
});

describe('atomic writes', () => {
  test('no temporary file is left behind on success', () => {
    const sub = join(dir, 'atomic-ok');
    mkdirSync(sub);
    writeNifti(join(sub, 'a.nii.gz'), vol([2, 2, 2], new Uint8Array(8)));
    writeNifti(join(sub, 'a.nii.gz'), vol([2, 2, 2], new Uint8Array(8).fill(3))); // overwrite
    expect(readdirSync(sub)).toEqual(['a.nii.gz']);
    expect(Array.from(readNifti(join(sub, 'a.nii.gz')).data)).toEqual([3, 3, 3, 3, 3, 3, 3, 3]);
  });

  test('on failure the temporary file is removed and the error names the path', () => {
    const sub = join(dir, 'atomic-fail');
    mkdirSync(sub);
    const target = join(sub, 'target.nii');
    mkdirSync(target); // renaming a file over a directory fails
    expect(() => writeNifti(target, vol([1, 1, 1], [1]))).toThrow(`${target}: cannot write (`);
    expect(readdirSync(sub)).toEqual(['target.nii']);
  });
});

describe('inflating in one chunk (the gzip trailer as a size hint)', () => {
  const ramp = vol([64, 64, 8], Float32Array.from({ length: 64 * 64 * 8 }, (_, i) => (i % 977) - 300));
  const plain = encodeNifti(ramp, { datatype: 'float32' });
  const gz = gzipSync(plain);

  test('the hint is the inflated size, bounded by the deflate ratio and at least 64 KiB', () => {
    expect(inflatedSizeHint(gz)).toBe(plain.length);
    // A corrupt trailer claiming 4 GiB - 1 cannot make a 2 KB file allocate more than 1032 x its size.
    const lying = Uint8Array.from(gz); // a copy (Buffer#slice would be a view)
    lying.set([0xff, 0xff, 0xff, 0xff], lying.length - 4);
    expect(inflatedSizeHint(lying)).toBe(Math.max(1 << 16, 1032 * lying.length));
    expect(inflatedSizeHint(gzipSync(new Uint8Array(10)))).toBe(1 << 16);
  });

  test('a file whose hint is wrong (two gzip members, a lying trailer) still reads exactly', async () => {
    // Two members: the trailer describes only the second one, so the hint is far too small.
    const split = 1000;
    const twoMembers = Buffer.concat([gzipSync(plain.subarray(0, split)), gzipSync(plain.subarray(split))]);
    expect(inflatedSizeHint(twoMembers)).toBeLessThan(plain.length);
    const p = join(dir, 'two-members.nii.gz');
    writeFileSync(p, twoMembers);
    const expected = Array.from(ramp.data as Float32Array);
    expect(Array.from(readNifti(p).data)).toEqual(expected);
    expect(Array.from((await readNiftiAsync(p)).data)).toEqual(expected);
    expect(Array.from(parseNifti(gz, 'one-member').data)).toEqual(expected);
  });
});
