import { describe, expect, test } from 'vitest';
import { indexOf, type Vec3, type Volume } from '../../src/engine/image/volume';
import { boundingBox, cropMask, cropToBox, expandBox } from '../../src/engine/roi/bounding-box';

function world(a: Float64Array, i: number, j: number, k: number): Vec3 {
  return [0, 1, 2].map((r) => a[4 * r] * i + a[4 * r + 1] * j + a[4 * r + 2] * k + a[4 * r + 3]) as Vec3;
}

describe('boundingBox', () => {
  test('min and max inclusive over all set voxels', () => {
    const dims: Vec3 = [6, 5, 4];
    const m = new Uint8Array(120);
    m[indexOf(dims, 2, 1, 1)] = 1;
    m[indexOf(dims, 4, 3, 1)] = 1;
    m[indexOf(dims, 3, 2, 2)] = 1;
    expect(boundingBox(m, dims)).toEqual({ min: [2, 1, 1], max: [4, 3, 2] });
    m.fill(0);
    m[indexOf(dims, 5, 4, 3)] = 1;
    expect(boundingBox(m, dims)).toEqual({ min: [5, 4, 3], max: [5, 4, 3] });
  });

  test('empty mask gives null; wrong length is an error', () => {
    expect(boundingBox(new Uint8Array(8), [2, 2, 2])).toBeNull();
    expect(() => boundingBox(new Uint8Array(7), [2, 2, 2])).toThrow('mask has 7 voxels but the dimensions 2x2x2 need 8');
  });
});

describe('cropToBox', () => {
  // An oblique affine so that the translation of the origin is not a per-axis shift.
  const t = Math.PI / 6;
  const affine = new Float64Array([
    2 * Math.cos(t), -3 * Math.sin(t), 0, 10,
    2 * Math.sin(t), 3 * Math.cos(t), 0, -20,
    0, 0, 4, 5,
    0, 0, 0, 1,
  ]);
  const dims: Vec3 = [6, 5, 4];
  // Voxel value encodes its index: v = i + 10 j + 100 k.
  const data = new Float64Array(120);
  for (let k = 0; k < 4; k++) for (let j = 0; j < 5; j++) for (let i = 0; i < 6; i++) data[indexOf(dims, i, j, k)] = i + 10 * j + 100 * k;
  const vol: Volume<Float64Array> = { dims, spacing: [2, 3, 4], affine, data };
  const box = { min: [2, 1, 1] as Vec3, max: [4, 3, 2] as Vec3 };

  test('contents, dims, offset; margin clipped at the grid edge', () => {
    const c = cropToBox(vol, box, 1);
    // min - 1 = (1, 0, 0), max + 1 = (5, 4, 3): clipped at (5, 4, 3) = the last voxel.
    expect(c.offset).toEqual([1, 0, 0]);
    expect(c.dims).toEqual([5, 5, 4]);
    expect(c.data).toBeInstanceOf(Float64Array);
    for (let k = 0; k < 4; k++)
      for (let j = 0; j < 5; j++) for (let i = 0; i < 5; i++) expect(c.data[indexOf(c.dims, i, j, k)]).toBe(i + 1 + 10 * j + 100 * k);
    const tight = cropToBox(vol, box);
    expect(tight.dims).toEqual([3, 3, 2]);
    expect(tight.data[0]).toBe(2 + 10 + 100);
    expect(cropToBox(vol, box, [0, 2, 5]).dims).toEqual([3, 5, 4]);
  });

  test('the crop affine maps each voxel to the same world point', () => {
    // Offsets (1, 0, 0) with margin 1 and (2, 1, 1) without: every axis of the shift is exercised.
    for (const c of [cropToBox(vol, box, 1), cropToBox(vol, box)]) {
      for (const [i, j, k] of [[0, 0, 0], [2, 2, 1], [1, 0, 1]] as Vec3[]) {
        const a = world(c.affine, i, j, k);
        const b = world(vol.affine, i + c.offset[0], j + c.offset[1], k + c.offset[2]);
        for (let r = 0; r < 3; r++) expect(a[r]).toBeCloseTo(b[r], 10);
      }
    }
    expect(cropToBox(vol, box).offset).toEqual([2, 1, 1]);
    const c = cropToBox(vol, box, 1);
    // Only the translation changed.
    for (const n of [0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, 15]) expect(c.affine[n]).toBe(affine[n]);
    expect(vol.affine[3]).toBe(10); // the input is not modified
  });

  test('keeps the array type; cropMask matches', () => {
    const m = new Uint8Array(120);
    m[indexOf(dims, 3, 2, 1)] = 1;
    const c = cropToBox({ ...vol, data: m }, box, 1);
    expect(c.data).toBeInstanceOf(Uint8Array);
    expect(Array.from(cropMask(m, dims, box, 1))).toEqual(Array.from(c.data));
    expect(c.data[indexOf(c.dims, 2, 2, 1)]).toBe(1);
  });

  test('invalid margins', () => {
    expect(() => expandBox(box, -1, dims)).toThrow('crop margin -1 is not a non-negative integer');
    expect(() => expandBox(box, 1.5, dims)).toThrow('crop margin 1.5 is not a non-negative integer');
  });
});
