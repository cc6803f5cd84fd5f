/**
 * splitFamilies: every family in exactly one share, share 0 (the caller's) never empty, and
 * the longest-processing-time-first balance on the cost estimates.
 */
import { describe, expect, it } from 'vitest';
import { extractFeatures, familiesToRun, workUnitsToRun, type WorkUnit } from '../../src/engine/features/extract';
import { mergeShares } from '../../src/engine/features/helper-thread';
import { estimatedFamilyCost, estimatedWorkPerRoi, HELPER_THREAD_MIN_WORK, splitFamilies } from '../../src/engine/features/split-families';
import { applyFeatureSelection } from '../../src/engine/features/selection';
import { diagonalAffine } from '../../src/engine/image/volume';
import { prepareImage, prepareRoi } from '../../src/engine/preprocess/pipeline';
import type { FeatureInput } from '../../src/engine/features/types';
import { FAMILIES } from '../../src/engine/features/types';
import { presetByName } from '../../src/engine/settings/presets';

function inputWithBins(binCount: number): FeatureInput {
  const one = new Uint8Array(1);
  return {
    dims: [1, 1, 1],
    spacing: [1, 1, 1],
    image: new Float64Array(1),
    morphMask: one,
    intensityMask: one,
    discretised: { bins: new Int32Array(1), binCount, binValues: new Float64Array(binCount + 1) },
    ivh: { values: new Float64Array(1), min: 0, max: 0, step: 1 },
  };
}

describe('splitFamilies', () => {
  const settings = presetByName('default').features;

  it('puts every family in exactly one share', () => {
    for (const threads of [1, 2, 3]) {
      const shares = splitFamilies(FAMILIES, inputWithBins(1700), settings, threads);
      expect(shares.flat().sort()).toEqual([...FAMILIES].sort());
      expect(shares[0].length).toBeGreaterThan(0);
    }
  });

  it('one thread: one share holding all families', () => {
    const shares = splitFamilies(FAMILIES, inputWithBins(20), settings, 1);
    expect(shares).toHaveLength(1);
    expect([...shares[0]].sort()).toEqual([...FAMILIES].sort());
  });

  it('Moran/Geary are a work unit of their own, right after the morphology family, only when wanted', () => {
    const units = workUnitsToRun(settings);
    expect(units.slice(0, 2)).toEqual(['morph', 'morph:autocorrelation']);
    expect(units.filter((u) => u !== 'morph:autocorrelation')).toEqual(familiesToRun(settings));
    expect(workUnitsToRun({ ...settings, ibsiCodes: ['RNU0', 'L0JK', 'Q4LE'] })).toEqual(['morph', 'stat']);
    expect(workUnitsToRun({ ...settings, ibsiCodes: ['NPT7', 'Q4LE'] })).toEqual(['morph', 'morph:autocorrelation', 'stat']);
    expect(workUnitsToRun({ ...settings, families: ['stat', 'cm'] })).toEqual(['stat', 'cm']);
  });

  it('balances by estimated cost: the shape features and Moran/Geary go to different threads', () => {
    const input = inputWithBins(40);
    const units = workUnitsToRun(settings);
    const [a, b] = splitFamilies(units, input, settings, 2);
    expect(a[0]).toBe('morph');
    expect(b[0]).toBe('morph:autocorrelation');
    const load = (share: WorkUnit[]) => share.reduce((t, f) => t + estimatedFamilyCost(f, input, settings, true), 0);
    // Longest first, each to the lighter share: the shares differ by at most the last unit placed.
    expect(Math.abs(load(a) - load(b))).toBeLessThanOrEqual(Math.max(...units.map((u) => estimatedFamilyCost(u, input, settings, true))) + 1e-12);
    // Without Moran/Geary and the MVEE the shares still mix families and differ by less than the
    // costliest texture family.
    const shapeSettings = { ...settings, ibsiCodes: ['RNU0', 'L0JK', 'Q4LE', 'TU9B', 'V3SW', 'RFPS'] };
    const loadS = (share: WorkUnit[]) => share.reduce((t, f) => t + estimatedFamilyCost(f, input, shapeSettings), 0);
    const [c, d] = splitFamilies(FAMILIES, input, shapeSettings, 2);
    expect(c[0]).toBe('morph');
    expect(c.length).toBeGreaterThan(1);
    expect(Math.abs(loadS(c) - loadS(d))).toBeLessThanOrEqual(estimatedFamilyCost('rlm', input, shapeSettings) + 1e-12);
  });

  it('morphology counts Moran/Geary in its own cost only when they are not a unit apart', () => {
    const input = inputWithBins(40);
    const whole = estimatedFamilyCost('morph', input, settings);
    const apart = estimatedFamilyCost('morph', input, settings, true);
    expect(apart + estimatedFamilyCost('morph:autocorrelation', input, settings)).toBeCloseTo(whole, 12);
    expect(estimatedFamilyCost('morph:autocorrelation', input, { ...settings, ibsiCodes: ['RNU0'] })).toBe(0);
  });

  it('a selection without Moran/Geary makes the morphology family cheaper; many grey levels make the GLCM dearer', () => {
    const all = estimatedFamilyCost('morph', inputWithBins(40), settings);
    const shapeOnly = estimatedFamilyCost('morph', inputWithBins(40), { ...settings, ibsiCodes: ['RNU0', 'L0JK'] });
    expect(shapeOnly).toBeLessThan(all);
    expect(estimatedFamilyCost('cm', inputWithBins(1700), settings)).toBeGreaterThan(estimatedFamilyCost('cm', inputWithBins(40), settings));
  });

  it('leaves no empty helper share when there is a single family', () => {
    expect(splitFamilies(['stat'], inputWithBins(10), settings, 2)).toEqual([['stat']]);
  });
});

describe('two shares merged give what one thread gives', () => {
  // A 14x12x9 ROI (an ellipsoid in a noisy ramp), through the real preprocessing: the whole IBSI
  // set with the default settings, and a FBS 10 discretisation with 2D aggregations (config A-like).
  const dims: [number, number, number] = [14, 12, 9];
  const n = dims[0] * dims[1] * dims[2];
  let seed = 7;
  const noise = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) * 40;
  const data = Float64Array.from({ length: n }, (_, p) => Math.round(3 * (p % dims[0]) + noise()));
  const mask = Uint8Array.from({ length: n }, (_, p) => {
    const i = p % dims[0], j = Math.floor(p / dims[0]) % dims[1], k = Math.floor(p / (dims[0] * dims[1]));
    return ((i - 6.5) / 5.5) ** 2 + ((j - 5.5) / 4.5) ** 2 + ((k - 4) / 3.5) ** 2 <= 1 ? 1 : 0;
  });
  const spacing: [number, number, number] = [1, 1, 1.5];

  for (const [name, settings] of [
    ['default', presetByName('default')],
    ['ibsi-A', presetByName('ibsi-A')],
  ] as const) {
    it(`${name}: every split of the work units, merged, equals the single-thread output`, () => {
      const prepared = prepareImage({ dims, spacing, affine: diagonalAffine(spacing), data }, settings.preprocessing, { imageFile: 'synthetic' });
      const { input } = prepareRoi(prepared, mask, settings, { roiName: 'ellipsoid' });
      const one = extractFeatures(input, settings.features);
      const units = workUnitsToRun(settings.features);
      expect(units).toContain('morph:autocorrelation');
      // The estimated split, and the split that separates the shape features from Moran/Geary.
      const [mine, theirs] = splitFamilies(units, input, settings.features, 2);
      const shapeApart = [units.filter((u) => u !== 'morph:autocorrelation'), ['morph:autocorrelation' as WorkUnit]];
      for (const [a, b] of [[mine, theirs], shapeApart, [shapeApart[1], shapeApart[0]]]) {
        const merged = mergeShares(familiesToRun(settings.features), extractFeatures(input, settings.features, a), extractFeatures(input, settings.features, b));
        expect(merged.features).toEqual(one.features);
        expect(merged.timings.map((t) => t.family)).toEqual(one.timings.map((t) => t.family));
      }
    });
  }
});

describe('estimatedWorkPerRoi (the default thread count of rgs extract)', () => {
  const work = (s: ReturnType<typeof presetByName>) => estimatedWorkPerRoi(s.features, workUnitsToRun(s.features));

  it('the whole set of raw grey levels and the 2D configuration A are worth a helper thread; the PyRadiomics subset and configuration C are not', () => {
    expect(work(presetByName('default'))).toBeGreaterThanOrEqual(HELPER_THREAD_MIN_WORK);
    expect(work(presetByName('ibsi-A'))).toBeGreaterThanOrEqual(HELPER_THREAD_MIN_WORK);
    expect(work(applyFeatureSelection(presetByName('default'), 'pyradiomics'))).toBeLessThan(HELPER_THREAD_MIN_WORK);
    expect(work(presetByName('ibsi-C'))).toBeLessThan(HELPER_THREAD_MIN_WORK);
  });

  it('assumes many grey levels only when nothing discretises them to 256 or fewer', () => {
    const s = presetByName('default').features;
    const units = workUnitsToRun(s);
    const fbs = estimatedWorkPerRoi({ ...s, discretisation: { method: 'fbs', binWidth: 25 } }, units);
    const fbn = estimatedWorkPerRoi({ ...s, discretisation: { method: 'fbn', binCount: 32 } }, units);
    const fbnMany = estimatedWorkPerRoi({ ...s, discretisation: { method: 'fbn', binCount: 1000 } }, units);
    expect(fbn).toBe(fbs);
    expect(fbnMany).toBe(estimatedWorkPerRoi(s, units));
    expect(fbnMany - fbn).toBeCloseTo(0.75, 12); // the GLCM: 1 unit instead of 0.25 (3D only)
  });
});
