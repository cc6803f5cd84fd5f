/**
 * `--features` selections (features/selection.ts), in particular `pyradiomics`: the IBSI
 * features PyRadiomics' default classes also compute, in the aggregations PyRadiomics uses by
 * default (force2D off: GLCM/GLRLM features averaged over the 13 3D directions, the zone
 * matrices over the volume), so that timings and values compare like for like.
 */
import { describe, expect, it } from 'vitest';
import { FEATURE_CATALOG } from '../../src/engine/features/catalog';
import { applyFeatureSelection } from '../../src/engine/features/selection';
import { presetByName } from '../../src/engine/settings/presets';
import { RgsError } from '../../src/engine/util/errors';

describe('--features pyradiomics', () => {
  const base = presetByName('default');
  const sel = applyFeatureSelection(base, 'pyradiomics').features;

  it('selects the PyRadiomics-mapped features: shape, first order and texture, not local intensity, IVH, GLDZM or Moran', () => {
    expect(sel.families).toEqual(['morph', 'stat', 'ih', 'cm', 'rlm', 'szm', 'ngt', 'ngl']);
    expect(sel.ibsiCodes.length).toBe(FEATURE_CATALOG.filter((e) => e.inPyRadiomics).length);
    // PyRadiomics shape: Maximum3DDiameter, MeshVolume, Sphericity; not Moran's I or the MVEE.
    for (const code of ['L0JK', 'RNU0', 'QCFX', 'Q4LE', 'TU9B']) expect(sel.ibsiCodes).toContain(code);
    for (const code of ['N365', 'NPT7', 'SWZ1', 'VJGA']) expect(sel.ibsiCodes).not.toContain(code);
  });

  it('keeps only the 3D aggregations PyRadiomics computes by default', () => {
    expect(base.features.directionalAggregations).toContain('3D, merged');
    expect(sel.directionalAggregations).toEqual(['3D, averaged']);
    expect(sel.zoneAggregations).toEqual(['3D']);
  });

  it('with anything else named, keeps the settings aggregations', () => {
    const mixed = applyFeatureSelection(base, 'pyradiomics,loc').features;
    expect(mixed.families).toContain('loc');
    expect(mixed.directionalAggregations).toEqual(base.features.directionalAggregations);
    expect(mixed.zoneAggregations).toEqual(base.features.zoneAggregations);
  });

  it('names the bad item', () => {
    expect(() => applyFeatureSelection(base, 'stat,glcmm')).toThrow(RgsError);
    expect(() => applyFeatureSelection(base, 'stat,glcmm')).toThrow(
      '--features: `glcmm` is neither a family (morph, loc, stat, ih, ivh, cm, rlm, szm, dzm, ngt, ngl), an IBSI identifier, `pyradiomics` nor `all`',
    );
  });
});
