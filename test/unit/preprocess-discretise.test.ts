/**
 * Discretisation (IBSI 2.7): FBS bin edges (anchored at the re-segmentation lower bound, else the
 * ROI minimum), FBN including x = max, no discretisation (integer grey levels), worked by hand.
 */
import { describe, expect, it } from 'vitest';
import { discretise, discretiseDetailed } from '../../src/engine/preprocess/discretise';
import { RgsError } from '../../src/engine/util/errors';

const all = (n: number) => new Uint8Array(n).fill(1);

describe('fixed bin size', () => {
  it('bins start at the lower re-segmentation bound; an edge value opens the next bin', () => {
    // a = -1000, w = 25: b = floor((x + 1000) / 25) + 1.
    //  -1000 -> 1; -975.5 -> floor(24.5/25) + 1 = 1; -975 -> floor(1) + 1 = 2; 0 -> 41;
    //  399.9 -> floor(55.996) + 1 = 56; 400 -> floor(56) + 1 = 57.
    const image = Float64Array.from([-1000, -975.5, -975, 0, 399.9, 400]);
    const d = discretise(image, all(6), { method: 'fbs', binWidth: 25 }, { lower: -1000, upper: 400 });
    expect(Array.from(d.bins)).toEqual([1, 1, 2, 41, 56, 57]);
    expect(d.binCount).toBe(57); // the highest bin in the ROI
    expect(d.binValues[1]).toBe(1);
    expect(d.binValues[57]).toBe(57);
  });

  it('without a range, bins start at the ROI minimum (not at 0 as PyRadiomics does)', () => {
    // a = min = 3, w = 25: 3 -> 1, 7 -> 1, 28 -> floor(25/25) + 1 = 2, 53 -> floor(2) + 1 = 3.
    // Anchored at 0 it would be 1, 1, 2, 3 too, so add 24: floor(21/25) + 1 = 1 (at 0: 1) and
    // 27: floor(24/25) + 1 = 1 (anchored at 0: floor(27/25) + 1 = 2).
    const image = Float64Array.from([3, 7, 28, 53, 24, 27]);
    const d = discretiseDetailed(image, all(6), { method: 'fbs', binWidth: 25 });
    expect(Array.from(d.discretised.bins)).toEqual([1, 1, 2, 3, 1, 1]);
    expect(d.parameters.lowerBound).toBe(3);
    // A range with only an upper bound also anchors at the ROI minimum.
    expect(Array.from(discretise(image, all(6), { method: 'fbs', binWidth: 25 }, { lower: null, upper: 100 }).bins)).toEqual([1, 1, 2, 3, 1, 1]);
    // A lower bound of -20: 3 -> floor(23/25) + 1 = 1; 7 -> floor(27/25) + 1 = 2; 28 -> 2; 53 -> 3; 24 -> 2; 27 -> 2.
    expect(Array.from(discretise(image, all(6), { method: 'fbs', binWidth: 25 }, { lower: -20, upper: null }).bins)).toEqual([1, 2, 2, 3, 2, 2]);
  });

  it('keeps empty bins and leaves voxels outside the intensity mask at 0', () => {
    // 0 -> 1, 100 -> floor(4) + 1 = 5: bins 2..4 empty but counted.
    const d = discretise(Float64Array.from([0, 100, 50]), Uint8Array.from([1, 1, 0]), { method: 'fbs', binWidth: 25 }, { lower: 0, upper: null });
    expect(Array.from(d.bins)).toEqual([1, 5, 0]);
    expect(d.binCount).toBe(5);
    expect(Array.from(d.binValues)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('rejects a non-positive bin width', () => {
    expect(() => discretise(Float64Array.from([1]), all(1), { method: 'fbs', binWidth: 0 })).toThrow(RgsError);
  });
});

describe('fixed bin number', () => {
  it('b = floor(Ng (x - min) / (max - min)) + 1, with x = max in bin Ng', () => {
    // Ng = 4 over [0, 4]: b = x + 1 for x < 4, and x = 4 -> 5 -> Ng = 4.
    const d = discretise(Float64Array.from([0, 1, 2, 3, 4, 99]), Uint8Array.from([1, 1, 1, 1, 1, 0]), { method: 'fbn', binCount: 4 });
    expect(Array.from(d.bins)).toEqual([1, 2, 3, 4, 4, 0]);
    expect(d.binCount).toBe(4);
    // Ng = 2 over [10, 20]: 10 -> 1, 12.5 -> floor(0.5) + 1 = 1, 15 -> floor(1) + 1 = 2, 20 -> 2.
    expect(Array.from(discretise(Float64Array.from([10, 12.5, 15, 20]), all(4), { method: 'fbn', binCount: 2 }).bins)).toEqual([1, 1, 2, 2]);
  });

  it('uses the intensity-mask min and max, not the re-segmentation range', () => {
    // Range [-1000, 400] is ignored: min 0, max 10, Ng = 2 -> 0 -> 1, 5 -> 2, 10 -> 2.
    const d = discretise(Float64Array.from([0, 5, 10]), all(3), { method: 'fbn', binCount: 2 }, { lower: -1000, upper: 400 });
    expect(Array.from(d.bins)).toEqual([1, 2, 2]);
  });

  it('a constant ROI is a single bin', () => {
    const d = discretise(Float64Array.from([7, 7, 7]), all(3), { method: 'fbn', binCount: 32 });
    expect(Array.from(d.bins)).toEqual([1, 1, 1]);
    expect(d.binCount).toBe(1);
  });
});

describe('no discretisation', () => {
  it('grey levels are the integer intensities; bins run from the ROI minimum', () => {
    // min -2: bins x + 3 -> -2 -> 1, 0 -> 3, 3 -> 6; binValues[b] = -2 + b - 1.
    const d = discretise(Float64Array.from([-2, 0, 3, 1.5]), Uint8Array.from([1, 1, 1, 0]), { method: 'none' });
    expect(Array.from(d.bins)).toEqual([1, 3, 6, 0]);
    expect(d.binCount).toBe(6);
    expect(Array.from(d.binValues).slice(1)).toEqual([-2, -1, 0, 1, 2, 3]);
  });

  it('non-integer intensities in the ROI are an RgsError pointing to features.discretisation', () => {
    expect(() => discretise(Float64Array.from([1, 2.5]), all(2), { method: 'none' })).toThrow(
      'texture and histogram features need integer grey levels or a discretisation (features.discretisation)',
    );
    expect(() => discretise(Float64Array.from([1, 2.5]), all(2), { method: 'none' })).toThrow(RgsError);
  });
});
