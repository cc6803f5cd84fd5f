/**
 * splitFamilies: every family in exactly one share, share 0 (the caller's) never empty, and
 * the longest-processing-time-first balance on the cost estimates.
 */
import { describe, expect, it } from 'vitest';
import { estimatedFamilyCost, splitFamilies } from '../../src/engine/features/split-families';
import type { Family, FeatureInput } from '../../src/engine/features/types';
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

  it('balances by estimated cost: morphology with Moran/Geary alone against most texture families of a 25-bin discretisation', () => {
    const input = inputWithBins(40);
    const [a, b] = splitFamilies(FAMILIES, input, settings, 2);
    const load = (share: Family[]) => share.reduce((t, f) => t + estimatedFamilyCost(f, input, settings), 0);
    // Morphology (2.8 units) outweighs the ten others together (2.255): it runs alone.
    expect(a).toEqual(['morph']);
    expect(load(b)).toBeLessThan(load(a));
    // Without Moran/Geary and the MVEE it no longer does: the shares mix families and differ by
    // less than the costliest texture family.
    const shapeSettings = { ...settings, ibsiCodes: ['RNU0', 'L0JK', 'Q4LE', 'TU9B', 'V3SW', 'RFPS'] };
    const loadS = (share: Family[]) => share.reduce((t, f) => t + estimatedFamilyCost(f, input, shapeSettings), 0);
    const [c, d] = splitFamilies(FAMILIES, input, shapeSettings, 2);
    expect(c[0]).toBe('morph');
    expect(c.length).toBeGreaterThan(1);
    expect(Math.abs(loadS(c) - loadS(d))).toBeLessThanOrEqual(estimatedFamilyCost('rlm', input, shapeSettings) + 1e-12);
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
