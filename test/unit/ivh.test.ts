/**
 * Intensity-volume histogram (IBSI 4.1): building the IVH input for each discretisation, and the
 * features on hand-worked curves (empty grid levels, the fallback past the highest level, the
 * area under the curve).
 */
import { describe, expect, it } from 'vitest';
import { computeIvh, ivhCurve } from '../../src/engine/features/ivh';
import { buildIvhInput } from '../../src/engine/features/ivh-input';
import type { FeatureInput, IvhInput } from '../../src/engine/features/types';
import { RgsError } from '../../src/engine/util/errors';

function featureInput(image: number[], mask: number[], ivh: IvhInput): FeatureInput {
  const n = image.length;
  return {
    dims: [n, 1, 1],
    spacing: [1, 1, 1],
    image: Float64Array.from(image),
    morphMask: Uint8Array.from(mask),
    intensityMask: Uint8Array.from(mask),
    discretised: { bins: new Int32Array(n), binCount: 1, binValues: new Float64Array(2) },
    ivh,
  };
}

function ivhByCode(image: number[], mask: number[], ivh: IvhInput): Record<string, number> {
  return Object.fromEntries(computeIvh(featureInput(image, mask, ivh)).map((f) => [f.ibsi_code, f.value]));
}

const all = (n: number) => new Array<number>(n).fill(1);

describe('IVH input', () => {
  it('keeps integer intensities without discretisation, on the grid ROI min..max step 1', () => {
    // The voxel outside the mask (1000) neither enters the values nor the range.
    const ivh = buildIvhInput(Float64Array.from([3, -2, 1000, 7]), Uint8Array.from([1, 1, 0, 1]), { method: 'none' });
    expect(Array.from(ivh.values)).toEqual([3, -2, 0, 7]);
    expect([ivh.min, ivh.max, ivh.step]).toEqual([-2, 7, 1]);
  });

  it('starts the grid at the lower re-segmentation bound, and ends it at the ROI maximum', () => {
    const ivh = buildIvhInput(Float64Array.from([3, -2, 7]), Uint8Array.from([1, 1, 1]), { method: 'none' }, { lower: -5, upper: 400 });
    expect([ivh.min, ivh.max]).toEqual([-5, 7]);
  });

  it('rejects non-integer intensities without discretisation', () => {
    const build = () => buildIvhInput(Float64Array.from([1, 2.5]), Uint8Array.from([1, 1]), { method: 'none' });
    expect(build).toThrow(RgsError);
    expect(build).toThrow(/fbs|fbn/);
  });

  it('uses FBS bin centres from the lower bound', () => {
    // a = -1, w = 2: b = floor((x + 1)/2) + 1; 0 -> 1, 0.5 -> 1, 3 -> 3, 7.9 -> 5; centres
    // a + (b - 0.5) w = 0, 0, 4, 8. Grid from the centre of bin 1 (0) to that of the ROI
    // maximum's bin (8), step 2.
    const image = Float64Array.from([0, 0.5, 3, 7.9]);
    const ivh = buildIvhInput(image, Uint8Array.from(all(4)), { method: 'fbs', binWidth: 2 }, { lower: -1, upper: 20 });
    expect(Array.from(ivh.values)).toEqual([0, 0, 4, 8]);
    expect([ivh.min, ivh.max, ivh.step]).toEqual([0, 8, 2]);
  });

  it('uses FBS from the ROI minimum without a range', () => {
    // a = 2, w = 3: 2 -> bin 1 (centre 3.5), 6 -> bin 2 (6.5), 11 -> bin 4 (12.5).
    const ivh = buildIvhInput(Float64Array.from([2, 6, 11]), Uint8Array.from([1, 1, 1]), { method: 'fbs', binWidth: 3 });
    expect(Array.from(ivh.values)).toEqual([3.5, 6.5, 12.5]);
    expect([ivh.min, ivh.max, ivh.step]).toEqual([3.5, 12.5, 3]);
  });

  it('uses FBN bin numbers over the ROI min and max, the maximum in the last bin', () => {
    // Ng = 4 over [10, 20]: b = floor(4 (x - 10)/10) + 1: 10 -> 1, 12.5 -> 2, 17.4 -> 3, 20 -> 5 -> 4.
    // The re-segmentation range does not enter.
    const image = Float64Array.from([10, 12.5, 17.4, 20]);
    const ivh = buildIvhInput(image, Uint8Array.from([1, 1, 1, 1]), { method: 'fbn', binCount: 4 }, { lower: -1000, upper: 400 });
    expect(Array.from(ivh.values)).toEqual([1, 2, 3, 4]);
    expect([ivh.min, ivh.max, ivh.step]).toEqual([1, 4, 1]);
  });

  it('rejects bad bin settings', () => {
    const image = Float64Array.from([1, 2]);
    const mask = Uint8Array.from([1, 1]);
    expect(() => buildIvhInput(image, mask, { method: 'fbs', binWidth: 0 })).toThrow(RgsError);
    expect(() => buildIvhInput(image, mask, { method: 'fbn', binCount: 2.5 })).toThrow(RgsError);
    // Grids too fine to hold: 10^9 integer levels, or 10^7 bins of 1e-7 over [1, 2].
    expect(() => buildIvhInput(Float64Array.from([0, 1e9]), mask, { method: 'none' })).toThrow(/coarser/);
    expect(() => buildIvhInput(image, mask, { method: 'fbs', binWidth: 1e-7 })).toThrow(/coarser/);
  });
});

describe('IVH features, hand-worked', () => {
  // Ten voxels: 0 (x2), 1 (x3), 3 (x3), 5, 10. Grid 0..10 step 1, gamma = g/10.
  // nu(g) = fraction at or above g: g=0: 1; 1: 0.8; 2, 3: 0.5; 4, 5: 0.2; 6..10: 0.1.
  const image = [0, 1, 3, 0, 1, 3, 1, 3, 5, 10];
  const mask = all(10);
  const ivh = buildIvhInput(Float64Array.from(image), Uint8Array.from(mask), { method: 'none' });

  it('builds the curve over every grid level', () => {
    const curve = ivhCurve(ivh, Uint8Array.from(mask));
    expect(curve).not.toBeNull();
    expect(Array.from(curve!.intensity)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const nu = Array.from(curve!.nu);
    [1, 0.8, 0.5, 0.5, 0.2, 0.2, 0.1, 0.1, 0.1, 0.1, 0.1].forEach((v, k) => expect(nu[k]).toBeCloseTo(v, 12));
  });

  it('gives the volume and intensity fractions', () => {
    const v = ivhByCode(image, mask, ivh);
    // V10: largest nu where gamma >= 0.1 (g >= 1): 0.8. V90: g >= 9: 0.1.
    expect(v.NK6P).toBeCloseTo(0.8, 12);
    expect(v['4279']).toBeCloseTo(0.1, 12);
    // I10: lowest g with nu <= 0.1: 6, a level no voxel has. I90: lowest g with nu <= 0.9: 1.
    expect(v.PWN1).toBe(6);
    expect(v.BOHI).toBe(1);
    expect(v.WITY).toBeCloseTo(0.7, 12);
    expect(v.JXJA).toBe(5);
    // Trapezoids of width 0.1: 0.1 (sum nu - (nu_0 + nu_10)/2) = 0.1 (3.7 - 0.55).
    expect(v['9CMM']).toBeCloseTo(0.315, 12);
  });

  it('names the features as the IBSI tables do', () => {
    const rows = computeIvh(featureInput(image, mask, ivh));
    expect(rows.map((r) => [r.ibsi_code, r.feature, r.standardised])).toEqual([
      ['NK6P', 'Volume fraction at 10% intensity', true],
      ['4279', 'Volume fraction at 90% intensity', true],
      ['PWN1', 'Intensity at 10% volume', true],
      ['BOHI', 'Intensity at 90% volume', true],
      ['WITY', 'Volume fraction difference between 10% and 90% intensity', true],
      ['JXJA', 'Intensity difference between 10% and 90% volume', true],
      ['9CMM', 'Area under the IVH curve', false],
    ]);
  });

  it('works on FBS bin centres', () => {
    // Centres 0, 0, 4, 8 (see the FBS input test); grid 0, 2, 4, 6, 8 with nu 1, 0.5, 0.5, 0.25,
    // 0.25 and gamma g/8. V10: g >= 0.8 -> g = 2: 0.5. V90: g >= 7.2 -> g = 8: 0.25.
    // I10: no level has nu <= 0.1, so the next level up, 8 + 2 = 10. I90: g = 2.
    const raw = [0, 0.5, 3, 7.9];
    const fbs = buildIvhInput(Float64Array.from(raw), Uint8Array.from(all(4)), { method: 'fbs', binWidth: 2 }, { lower: -1, upper: 20 });
    const v = ivhByCode(raw, all(4), fbs);
    expect(v.NK6P).toBeCloseTo(0.5, 12);
    expect(v['4279']).toBeCloseTo(0.25, 12);
    expect(v.PWN1).toBe(10);
    expect(v.BOHI).toBe(2);
    // Trapezoids of width 0.25 over nu 1, 0.5, 0.5, 0.25, 0.25: 0.25 (2.5 - 0.625).
    expect(v['9CMM']).toBeCloseTo(0.46875, 12);
  });

  it('is independent of where the ROI voxels are', () => {
    const order = [9, 3, 0, 7, 1, 8, 2, 6, 4, 5];
    const shuffled = order.map((i) => image[i]);
    const a = ivhByCode(image, mask, ivh);
    const b = ivhByCode(shuffled, mask, buildIvhInput(Float64Array.from(shuffled), Uint8Array.from(mask), { method: 'none' }));
    for (const code of Object.keys(a)) expect(b[code], code).toBeCloseTo(a[code], 12);
  });

  it('returns NaN where the features are undefined', () => {
    // A constant ROI: one grid level, gamma is 0/0; the intensities at x% volume still exist
    // (nu = 1 at the level, so both are the level above, 4).
    const constant = buildIvhInput(Float64Array.from([3, 3]), Uint8Array.from([1, 1]), { method: 'none' });
    const c = ivhByCode([3, 3], [1, 1], constant);
    expect(c.NK6P).toBeNaN();
    expect(c['9CMM']).toBeNaN();
    expect(c.PWN1).toBe(4);
    // Empty ROI: everything.
    const empty = buildIvhInput(Float64Array.from([3, 3]), Uint8Array.from([0, 0]), { method: 'none' });
    const e = ivhByCode([3, 3], [0, 0], empty);
    for (const code of Object.keys(e)) expect(e[code], code).toBeNaN();
  });
});
