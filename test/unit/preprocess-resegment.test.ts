/**
 * Re-segmentation (IBSI 2.5): range, outlier filter (mean ± sigma SD over the whole ROI) and the
 * two combined (IBSI config E), worked by hand.
 */
import { describe, expect, it } from 'vitest';
import { resegment, resegmentationInterval } from '../../src/engine/preprocess/resegment';
import { RgsError } from '../../src/engine/util/errors';

// Eight ROI voxels with mean 10 and population SD 5: deviations -7, -1, 1, 7, -5, 5, -5, 5,
// squares 49 + 1 + 1 + 49 + 25 + 25 + 25 + 25 = 200, 200 / 8 = 25. The last voxel (value 10)
// is outside the morphological mask and must never enter the intensity mask.
const image = Float64Array.from([3, 9, 11, 17, 5, 15, 5, 15, 10]);
const morph = Uint8Array.from([1, 1, 1, 1, 1, 1, 1, 1, 0]);

describe('resegment', () => {
  it('range only: inclusive bounds, open ends', () => {
    expect(Array.from(resegment(image, morph, { range: { lower: 5, upper: 15 }, outlierSigma: null }))).toEqual([0, 1, 1, 0, 1, 1, 1, 1, 0]);
    expect(Array.from(resegment(image, morph, { range: { lower: 10, upper: null }, outlierSigma: null }))).toEqual([0, 0, 1, 1, 0, 1, 0, 1, 0]);
    expect(Array.from(resegment(image, morph, { range: { lower: null, upper: 9 }, outlierSigma: null }))).toEqual([1, 1, 0, 0, 1, 0, 1, 0, 0]);
    expect(Array.from(resegment(image, morph, { range: null, outlierSigma: null }))).toEqual(Array.from(morph));
  });

  it('outlier filter: mean ± sigma SD of the ROI (population SD)', () => {
    // sigma 1: [10 - 5, 10 + 5] = [5, 15] drops 3 and 17.
    const iv = resegmentationInterval(image, morph, { range: null, outlierSigma: 1 });
    expect(iv.outlier).toEqual({ mean: 10, sd: 5, lower: 5, upper: 15 });
    expect(Array.from(resegment(image, morph, { range: null, outlierSigma: 1 }))).toEqual([0, 1, 1, 0, 1, 1, 1, 1, 0]);
    // sigma 1.4: [3, 17] keeps all eight (inclusive).
    expect(Array.from(resegment(image, morph, { range: null, outlierSigma: 1.4 }))).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 0]);
  });

  it('range and outlier filter combined: statistics over the whole ROI, intervals intersected', () => {
    // Range [8, 100] and sigma 1: outlier interval [5, 15] from all eight ROI voxels (not from the
    // range-resegmented ones), intersection [8, 15] -> keeps 9, 11, 15, 15.
    // (Statistics over the range-resegmented voxels 9, 11, 17, 15, 15 would give mean 13.4,
    // SD sqrt(8.64) = 2.94, [10.46, 16.34] -> 11, 15, 15 only: a different mask.)
    const s = { range: { lower: 8, upper: 100 }, outlierSigma: 1 };
    const iv = resegmentationInterval(image, morph, s);
    expect([iv.lower, iv.upper]).toEqual([8, 15]);
    expect(Array.from(resegment(image, morph, s))).toEqual([0, 1, 1, 0, 0, 1, 0, 1, 0]);
  });

  it('rejects inconsistent settings naming the setting', () => {
    expect(() => resegment(image, morph, { range: { lower: 5, upper: 4 }, outlierSigma: null })).toThrow(RgsError);
    expect(() => resegment(image, morph, { range: null, outlierSigma: 0 })).toThrow(/outlier_sigma/);
  });
});
