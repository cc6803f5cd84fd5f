/**
 * Intensity normalisation (IBSI 2.3) for MR: z-score, percentile and fixed-range maps, over the
 * ROI or a reference mask, and the errors a user can cause.
 */
import { describe, expect, it } from 'vitest';
import { normalise, normalisationParameters, percentileOfSorted, referenceRegion } from '../../src/engine/preprocess/normalise';
import { RgsError } from '../../src/engine/util/errors';

describe('normalisation', () => {
  it('z-score over a region: mean 0 and population SD 1 there', () => {
    // Region values 1..5: mean 3, population SD sqrt(2). The voxel outside (value 100) is mapped
    // with the same parameters: (100 - 3) / sqrt(2).
    const image = Float64Array.from([1, 2, 3, 4, 5, 100]);
    const region = Uint8Array.from([1, 1, 1, 1, 1, 0]);
    const { image: out, parameters } = normalise(image, region, { method: 'zscore', reference: 'roi' });
    expect(parameters.mean).toBe(3);
    expect(parameters.sd).toBeCloseTo(Math.SQRT2, 14);
    expect(parameters.referenceVoxels).toBe(5);
    expect(Array.from(out).map((v) => +v.toFixed(12))).toEqual([-2, -1, 0, 1, 2, 97].map((v) => +(v / Math.SQRT2).toFixed(12)));
    expect(image[0]).toBe(1); // the input is not modified
  });

  it('percentile scaling maps the lower/upper percentiles (numpy linear) to 0 and 1', () => {
    // Values 0, 10, 20, 30, 40: P25 at rank 4 x 0.25 = 1 -> 10; P90 at rank 3.6 -> 30 + 0.6 x 10 = 36.
    const image = Float64Array.from([40, 0, 30, 10, 20]);
    const region = new Uint8Array(5).fill(1);
    const p = normalisationParameters(image, region, { method: 'percentile', lower: 25, upper: 90, reference: 'roi' });
    expect(p.lowerValue).toBe(10);
    expect(p.upperValue).toBeCloseTo(36, 12);
    expect(p.scale * 10 + p.offset).toBeCloseTo(0, 12);
    expect(p.scale * 36 + p.offset).toBeCloseTo(1, 12);
    expect(percentileOfSorted(Float64Array.from([0, 10, 20, 30, 40]), 100)).toBe(40);
    expect(percentileOfSorted(Float64Array.from([0, 10, 20, 30, 40]), 50)).toBe(20);
  });

  it('fixed range maps [min, max] to [0, 1] without a reference region', () => {
    const { image: out, parameters } = normalise(Float64Array.from([100, 200, 300, 500]), null, { method: 'range', min: 100, max: 300 });
    expect(Array.from(out)).toEqual([0, 0.5, 1, 2]);
    expect(parameters.reference).toBeNull();
  });

  it('none is the identity', () => {
    const p = normalisationParameters(Float64Array.from([1, 2]), null, { method: 'none' });
    expect([p.scale, p.offset]).toEqual([1, 0]);
  });

  it('reference region from a label image: the label, or all non-zero voxels', () => {
    const loaded = { file: 'brain.nii.gz', dims: [4, 1, 1] as [number, number, number], data: Uint8Array.from([0, 2, 2, 1]) };
    expect(Array.from(referenceRegion({ mask: 'brain.nii.gz', label: 2 }, loaded, [4, 1, 1]))).toEqual([0, 1, 1, 0]);
    expect(Array.from(referenceRegion({ mask: 'brain.nii.gz' }, loaded, [4, 1, 1]))).toEqual([0, 1, 1, 1]);
  });

  it('errors name preprocessing.normalisation.reference', () => {
    const loaded = { file: 'brain.nii.gz', dims: [4, 1, 1] as [number, number, number], data: Uint8Array.from([0, 2, 2, 1]) };
    expect(() => referenceRegion({ mask: 'brain.nii.gz', label: 3 }, loaded, [4, 1, 1])).toThrow(
      /preprocessing\.normalisation\.reference: label 3 is absent from the reference mask brain\.nii\.gz/,
    );
    expect(() => referenceRegion({ mask: 'brain.nii.gz' }, undefined, [4, 1, 1])).toThrow(/preprocessing\.normalisation\.reference: the reference mask brain\.nii\.gz/);
    expect(() => referenceRegion({ mask: 'brain.nii.gz' }, loaded, [2, 2, 1])).toThrow(RgsError);
    expect(() => normalisationParameters(Float64Array.from([5, 5]), Uint8Array.from([1, 1]), { method: 'zscore', reference: 'roi' })).toThrow(
      /preprocessing\.normalisation\.reference: .*constant/,
    );
    expect(() => normalisationParameters(Float64Array.from([5, 5]), null, { method: 'range', min: 3, max: 3 })).toThrow(RgsError);
  });
});
