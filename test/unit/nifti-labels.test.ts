/**
 * Label images read in their own scalar type (readLabelNifti): a uint8 mask stays a Uint8Array
 * view instead of becoming 8 bytes a voxel; the values always equal readNifti's, and scaled or
 * byte-swapped data falls back to doubles.
 */
import { describe, expect, it } from 'vitest';
import { diagonalAffine, type Vec3 } from '../../src/engine/image/volume';
import { encodeNifti, parseLabelNifti, parseNifti } from '../../src/engine/io/nifti';

const dims: Vec3 = [3, 2, 2];
const values = [0, 1, 2, 0, 4, 4, 1, 0, 0, 2, 255, 3];
const vol = (data: ArrayLike<number>) => ({ dims, spacing: [1, 1, 1] as Vec3, affine: diagonalAffine([1, 1, 1]), data });

describe('parseLabelNifti', () => {
  it.each([
    ['uint8', Uint8Array],
    ['int16', Int16Array],
    ['uint16', Uint16Array],
    ['int32', Int32Array],
    ['float32', Float32Array],
  ] as const)('%s stays %s, with the values readNifti gives', (datatype, Type) => {
    const bytes = encodeNifti(vol(values), { datatype });
    const labels = parseLabelNifti(bytes, 'mask.nii');
    expect(labels.data).toBeInstanceOf(Type);
    expect(Array.from(labels.data)).toEqual(Array.from(parseNifti(bytes, 'mask.nii').data));
    expect(Array.from(labels.data)).toEqual(values);
  });

  it('a scaled mask (scl_slope 2) becomes doubles with the scaled values', () => {
    const bytes = encodeNifti(vol(values.map((v) => 2 * v)), { datatype: 'int16', slope: 2 });
    const labels = parseLabelNifti(bytes, 'mask.nii');
    expect(labels.data).toBeInstanceOf(Float64Array);
    expect(Array.from(labels.data)).toEqual(values.map((v) => 2 * v));
  });

  it('the chosen volume of a 4D label image', () => {
    const two = [...values, ...values.map((v) => (v === 0 ? 7 : 0))];
    const bytes = encodeNifti(vol(two), { datatype: 'uint8', volumes: 2 });
    expect(Array.from(parseLabelNifti(bytes, 'm.nii', { volume: 1 }).data)).toEqual(values.map((v) => (v === 0 ? 7 : 0)));
  });
});
