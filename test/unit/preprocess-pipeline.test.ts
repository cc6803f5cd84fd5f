/**
 * prepareImage / prepareRoi: crop to the ROI plus margin, agreement with whole-grid resampling,
 * several ROIs on one prepared image, normalisation placement, diagnostics, and the errors
 * (empty ROI after each step, missing reference mask, rounding normalised intensities).
 */
import { describe, expect, it } from 'vitest';
import { diagonalAffine, type Vec3, type Volume } from '../../src/engine/image/volume';
import { prepareImage, prepareRoi } from '../../src/engine/preprocess/pipeline';
import { resampleImage, resampleMask } from '../../src/engine/preprocess/resample';
import { resampleGrid } from '../../src/engine/preprocess/resample-grid';
import { buildIvhInput } from '../../src/engine/features/ivh-input';
import type { ExtractionSettings, PreprocessingSettings } from '../../src/engine/settings/types';
import type { Family } from '../../src/engine/features/types';
import { RgsError } from '../../src/engine/util/errors';

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

function volume(dims: Vec3, spacing: Vec3, f: (i: number, j: number, k: number) => number): Volume {
  const data = new Float64Array(dims[0] * dims[1] * dims[2]);
  let n = 0;
  for (let k = 0; k < dims[2]; k++) for (let j = 0; j < dims[1]; j++) for (let i = 0; i < dims[0]; i++) data[n++] = f(i, j, k);
  return { dims, spacing, affine: diagonalAffine(spacing), data };
}

function boxMask(dims: Vec3, lo: Vec3, hi: Vec3): Uint8Array {
  const m = new Uint8Array(dims[0] * dims[1] * dims[2]);
  for (let k = lo[2]; k <= hi[2]; k++) for (let j = lo[1]; j <= hi[1]; j++) for (let i = lo[0]; i <= hi[0]; i++) m[i + dims[0] * (j + dims[1] * k)] = 1;
  return m;
}

function settings(pre: Partial<PreprocessingSettings> = {}, families: Family[] = ['morph', 'stat', 'ih', 'ivh']): ExtractionSettings {
  return {
    preprocessing: {
      sliceWise: false,
      resampling: null,
      normalisation: { method: 'none' },
      resegmentation: { range: null, outlierSigma: null },
      ...pre,
    },
    features: {
      families,
      directionalAggregations: [],
      zoneAggregations: [],
      discretisation: { method: 'fbs', binWidth: 25 },
      ivhDiscretisation: { method: 'none' },
      glcm: { distance: 1, symmetric: true },
      ngtdm: { distance: 1 },
      ngldm: { distance: 1, alpha: 0 },
      ibsiCodes: [],
    },
  };
}

function run(image: Volume, mask: Uint8Array, s: ExtractionSettings, name = 'roi') {
  return prepareRoi(prepareImage(image, s.preprocessing, { imageFile: 'image.nii.gz' }), mask, s, { roiName: name });
}

function window(data: ArrayLike<number>, dims: Vec3, start: Vec3, size: Vec3): number[] {
  const out: number[] = [];
  for (let k = 0; k < size[2]; k++)
    for (let j = 0; j < size[1]; j++)
      for (let i = 0; i < size[0]; i++) out.push(data[start[0] + i + dims[0] * (start[1] + j + dims[1] * (start[2] + k))]);
  return out;
}

const sum = (a: ArrayLike<number>) => Array.from(a).reduce((x, y) => x + y, 0);

describe('prepareRoi without resampling', () => {
  const rnd = random(1);
  const dims: Vec3 = [30, 30, 10];
  const image = volume(dims, [1, 1, 2], () => Math.round(rnd() * 200 - 100));
  const mask = boxMask(dims, [10, 12, 4], [13, 14, 5]);

  it('crops to the ROI box plus 10 mm and reports the diagnostics', () => {
    // Margin: ceil(10 / 1) = 10 voxels in-plane, ceil(10 / 2) = 5 slices.
    // Start: (10 - 10, 12 - 10, max(0, 4 - 5)) = (0, 2, 0); end: (13 + 10, 14 + 10, min(9, 5 + 5)) = (23, 24, 9).
    const r = run(image, mask, settings());
    expect(r.block).toEqual({ start: [0, 2, 0], size: [24, 23, 10] });
    expect(r.input.dims).toEqual([24, 23, 10]);
    expect(sum(r.input.morphMask)).toBe(24);
    expect(Array.from(r.input.image)).toEqual(window(image.data, dims, [0, 2, 0], [24, 23, 10]));
    const d = r.diagnostics;
    expect(d.initial.roi.morphBoundingBox).toEqual({ lower: [10, 12, 4], upper: [13, 14, 5], size: [4, 3, 2] });
    expect(d.initial.roi.morphVoxels).toBe(24);
    expect(d.initial.image.dims).toEqual(dims);
    expect(d.interpolated).toBeNull();
    expect(d.resegmented.roi.intensityBoundingBox).toEqual({ lower: [10, 12, 4], upper: [13, 14, 5], size: [4, 3, 2] });
    // Diagnostics are plain JSON.
    expect(JSON.parse(JSON.stringify(d))).toEqual(d);
    // Mean/min/max over the ROI, by direct computation.
    const roiValues = Array.from(image.data).filter((_, q) => mask[q] === 1);
    expect(d.initial.roi.intensity).toEqual({ mean: sum(roiValues) / 24, min: Math.min(...roiValues), max: Math.max(...roiValues) });
  });

  it('is invariant to padding the image around the ROI', () => {
    // Embed in a larger image, offset by (7, 3, 6): same crop contents, same masks and bins.
    const big: Vec3 = [45, 40, 25];
    const off: Vec3 = [7, 3, 6];
    const bigImage = volume(big, [1, 1, 2], (i, j, k) => {
      const [a, b, c] = [i - off[0], j - off[1], k - off[2]];
      return a >= 0 && b >= 0 && c >= 0 && a < dims[0] && b < dims[1] && c < dims[2] ? image.data[a + dims[0] * (b + dims[1] * c)] : -1000;
    });
    const bigMask = boxMask(big, [17, 15, 10], [20, 17, 11]);
    const s = settings({ resegmentation: { range: { lower: -50, upper: 80 }, outlierSigma: 2 } });
    const small = run(image, mask, s).input;
    const large = run(bigImage, bigMask, s).input;
    // The small image's crop is clipped at its edge (x from 0, z from 0); compare the ROI-box-centred
    // statistics that do not depend on the crop extent.
    const inRoi = (inp: typeof small) => Array.from(inp.image).filter((_, q) => inp.intensityMask[q] === 1);
    expect(inRoi(large)).toEqual(inRoi(small));
    expect(sum(large.intensityMask)).toBe(sum(small.intensityMask));
    expect(large.discretised.binCount).toBe(small.discretised.binCount);
  });

  it('z-score over the ROI: the ROI has mean 0 and SD 1 afterwards', () => {
    const r = run(image, mask, settings({ normalisation: { method: 'zscore', reference: 'roi' } }, ['morph', 'stat']));
    const v = Array.from(r.input.image).filter((_, q) => r.input.morphMask[q] === 1);
    const mean = sum(v) / v.length;
    const sd = Math.sqrt(sum(v.map((x) => (x - mean) ** 2)) / v.length);
    expect(mean).toBeCloseTo(0, 12);
    expect(sd).toBeCloseTo(1, 12);
    expect(r.settingsUsed.normalisation.method).toBe('zscore');
  });

  it('builds the IVH input with the re-segmentation range', () => {
    const s = settings({ resegmentation: { range: { lower: -80, upper: 90 }, outlierSigma: null } });
    const r = run(image, mask, s);
    expect(r.input.ivh).toEqual(buildIvhInput(r.input.image, r.input.intensityMask, { method: 'none' }, { lower: -80, upper: 90 }));
  });

  it('discretises only when a family reads grey levels', () => {
    const frac = volume(dims, [1, 1, 2], () => 0.5 + rnd());
    const s = settings({}, ['morph', 'stat']);
    s.features.discretisation = { method: 'none' };
    expect(run(frac, mask, s).input.discretised.binCount).toBe(0);
    s.features.families = ['morph', 'stat', 'ih'];
    expect(() => run(frac, mask, s)).toThrow(/integer grey levels or a discretisation \(features\.discretisation\)/);
  });

  it('empty ROI and empty after re-segmentation are RgsErrors naming the ROI and the step', () => {
    expect(() => run(image, new Uint8Array(mask.length), settings(), 'GTV')).toThrow(/ROI 'GTV'.*empty/);
    expect(() => run(image, mask, settings({ resegmentation: { range: { lower: 500, upper: 600 }, outlierSigma: null } }), 'GTV')).toThrow(
      /ROI 'GTV': empty after re-segmentation/,
    );
    expect(() => run(image, new Uint8Array(5), settings(), 'GTV')).toThrow(RgsError);
  });
});

describe('prepareRoi with resampling', () => {
  const rnd = random(2);
  const dims: Vec3 = [40, 38, 14];
  const image = volume(dims, [0.977, 0.977, 3], () => Math.round(rnd() * 2000 - 1000));
  const roiA = boxMask(dims, [12, 10, 4], [25, 22, 8]);
  const roiB = boxMask(dims, [2, 28, 10], [8, 35, 13]); // touches the last slice

  for (const interpolation of ['linear', 'bspline'] as const) {
    it(`${interpolation}: the cropped input is the window of the whole-grid result`, () => {
      const s = settings({ resampling: { spacing: [2, 2, 2], interpolation, roundIntensities: true, maskInterpolation: 'linear', maskThreshold: 0.5 } });
      const rs = s.preprocessing.resampling!;
      const g = resampleGrid(image, rs.spacing, false);
      const fullImage = resampleImage(image, rs, false);
      for (const roi of [roiA, roiB]) {
        const fullMask = resampleMask(roi, image, rs, false);
        const r = run(image, roi, s);
        expect(Array.from(r.input.image)).toEqual(window(fullImage.data, g.dims, r.block.start, r.block.size));
        expect(Array.from(r.input.morphMask)).toEqual(window(fullMask, g.dims, r.block.start, r.block.size));
        expect(sum(r.input.morphMask)).toBe(sum(fullMask)); // the crop holds all of the ROI
        expect(r.diagnostics.interpolated?.image.dims).toEqual(g.dims);
        expect(r.input.spacing).toEqual([2, 2, 2]);
      }
    });
  }

  it('several ROIs on one prepared image give the same result as separate preparations', () => {
    const s = settings({
      resampling: { spacing: [2, 2, 2], interpolation: 'bspline', roundIntensities: true, maskInterpolation: 'linear', maskThreshold: 0.5 },
      resegmentation: { range: { lower: -1000, upper: 400 }, outlierSigma: 3 },
    });
    const prepared = prepareImage(image, s.preprocessing, { imageFile: 'image.nii.gz' });
    const a1 = prepareRoi(prepared, roiA, s, { roiName: 'A' });
    const b1 = prepareRoi(prepared, roiB, s, { roiName: 'B' });
    const a2 = prepareRoi(prepared, roiA, s, { roiName: 'A' });
    expect(a2.input).toEqual(a1.input);
    expect(b1.input).toEqual(run(image, roiB, s, 'B').input);
  });

  it('a reference-mask z-score is computed on the original grid and applied before rounding is refused', () => {
    const brain = Uint8Array.from(roiA, (v, q) => (v ? 1 : q % 3 === 0 ? 2 : 0));
    const pre: Partial<PreprocessingSettings> = {
      resampling: { spacing: [2, 2, 2], interpolation: 'linear', roundIntensities: false, maskInterpolation: 'linear', maskThreshold: 0.5 },
      normalisation: { method: 'zscore', reference: { mask: 'brain.nii.gz', label: 2 } },
    };
    const s = settings(pre, ['morph', 'stat']);
    const prepared = prepareImage(image, s.preprocessing, { imageFile: 'image.nii.gz', referenceMask: { file: 'brain.nii.gz', dims, data: brain } });
    const ref = Array.from(image.data).filter((_, q) => brain[q] === 2);
    const mean = sum(ref) / ref.length;
    const sd = Math.sqrt(sum(ref.map((x) => (x - mean) ** 2)) / ref.length);
    const r = prepareRoi(prepared, roiA, s, { roiName: 'A' });
    expect(r.settingsUsed.normalisation.mean).toBeCloseTo(mean, 9);
    expect(r.settingsUsed.normalisation.sd).toBeCloseTo(sd, 9);
    // Interpolating the normalised image = normalising the interpolated one.
    const plain = run(image, roiA, settings({ ...pre, normalisation: { method: 'none' } }, ['morph', 'stat']));
    r.input.image.forEach((v, q) => expect(v).toBeCloseTo((plain.input.image[q] - mean) / sd, 9));
    // Without the reference mask file, or with rounding on: errors naming the setting.
    expect(() => prepareImage(image, s.preprocessing, { imageFile: 'image.nii.gz' })).toThrow(/preprocessing\.normalisation\.reference/);
    const rounding = settings({ ...pre, resampling: { ...pre.resampling!, roundIntensities: true } });
    expect(() => prepareImage(image, rounding.preprocessing, { imageFile: 'x' })).toThrow(/round_intensities/);
  });

  it('an ROI that vanishes at the new spacing is an RgsError naming the ROI and the step', () => {
    // 10 voxels at 1 mm -> 3 mm: n' = 4, x(m) = (m - 1.5) 3 + 4.5 = 3m -> 0, 3, 6, 9. A single ROI
    // voxel at index 4 is 1 voxel from the nearest new voxel: linear fraction 0.
    const small = volume([10, 10, 10], [1, 1, 1], () => 0);
    const tiny = boxMask([10, 10, 10], [4, 4, 4], [4, 4, 4]);
    const s = settings({ resampling: { spacing: [3, 3, 3], interpolation: 'linear', roundIntensities: false, maskInterpolation: 'linear', maskThreshold: 0.5 } });
    expect(() => run(small, tiny, s, 'tiny')).toThrow(/ROI 'tiny': empty after resampling/);
  });
});
