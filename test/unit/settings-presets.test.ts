/**
 * The presets: IBSI configurations A–E as in the configuration table of the IBSI data README
 * (read and parsed at test time, so a transcription error in presets.ts cannot hide), the
 * `default` preset, lookup by name, and YAML round trips.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IBSI_DIR } from '../helpers/ibsi';
import { FAMILIES } from '../../src/engine/features/types';
import { RgsError } from '../../src/engine/util/errors';
import { parseSettingsYaml } from '../../src/engine/settings/load';
import { PRESETS, PRESET_NAMES, presetByName, presetYaml, type PresetName } from '../../src/engine/settings/presets';
import { settingsToYaml } from '../../src/engine/settings/serialise';
import type { DiscretisationSettings, ExtractionSettings } from '../../src/engine/settings/types';

const README = join(IBSI_DIR, 'README.md');

/** The "CT phantom configurations A–E" table of the README: row label → [A, B, C, D, E]. */
function configurationTable(): Map<string, string[]> {
  const text = readFileSync(README, 'utf8');
  const start = text.indexOf('| slice-wise (2D) or volume (3D)');
  const rows = new Map<string, string[]>();
  for (const line of text.slice(start).split('\n')) {
    if (!line.startsWith('|')) break;
    const cells = line
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim());
    rows.set(cells[0], cells.slice(1));
  }
  return rows;
}

/** "FBS 25 HU" / "FBN 32" / "none" as settings. */
function discretisationCell(cell: string): DiscretisationSettings {
  if (cell === 'none') return { method: 'none' };
  const m = /^(FBS|FBN) ([0-9.]+)/.exec(cell);
  if (m === null) throw new Error(`unexpected discretisation cell ${cell}`);
  return m[1] === 'FBS' ? { method: 'fbs', binWidth: Number(m[2]) } : { method: 'fbn', binCount: Number(m[2]) };
}

describe.skipIf(!existsSync(README))('IBSI presets follow the configuration table of the IBSI README', () => {
  const table = existsSync(README) ? configurationTable() : new Map<string, string[]>();
  const row = (label: string): string[] => {
    const key = [...table.keys()].find((k) => k.startsWith(label));
    if (key === undefined) throw new Error(`row ${label} not found`);
    return table.get(key) as string[];
  };
  const configs = ['ibsi-A', 'ibsi-B', 'ibsi-C', 'ibsi-D', 'ibsi-E'] as const;

  it.each(configs.map((name, i) => [name, i] as const))('%s', (name, i) => {
    const p = PRESETS[name].preprocessing;
    const f = PRESETS[name].features;
    expect(p.sliceWise).toBe(row('slice-wise')[i] === '2D');

    const spacing = row('resampled spacing')[i];
    const interpolation = row('image interpolation')[i];
    if (spacing === 'none') {
      expect(p.resampling).toBeNull();
    } else {
      const r = p.resampling;
      expect(r).not.toBeNull();
      if (r === null) return;
      expect(r.spacing).toEqual(spacing === '2 × 2 in-plane' ? [2, 2, null] : [2, 2, 2]);
      // Bilinear and trilinear are linear interpolation in 2D and 3D; "tricubic spline" is the cubic B-spline.
      expect(r.interpolation).toBe({ bilinear: 'linear', trilinear: 'linear', 'tricubic spline': 'bspline' }[interpolation]);
      expect(r.roundIntensities).toBe(row('round intensities')[i] === 'yes');
      const [maskInterpolation, threshold] = row('ROI interpolation')[i].split(', ');
      expect(r.maskInterpolation).toBe({ bilinear: 'linear', trilinear: 'linear' }[maskInterpolation]);
      expect(r.maskThreshold).toBe(Number(threshold));
    }

    const range = row('re-segmentation range')[i];
    if (range === 'none') expect(p.resegmentation.range).toBeNull();
    else {
      // The README writes the minus sign as U+2212.
      const [lower, upper] = range.replace(/[[\]]/g, '').replace(/\u2212/g, '-').split(', ').map(Number);
      expect(p.resegmentation.range).toEqual({ lower, upper });
    }
    expect(p.resegmentation.outlierSigma).toBe(row('outlier filter')[i] === 'yes' ? 3 : null);
    expect(p.normalisation).toEqual({ method: 'none' });

    expect(f.discretisation).toEqual(discretisationCell(row('texture and intensity-histogram discretisation')[i]));
    expect(f.ivhDiscretisation).toEqual(discretisationCell(row('intensity-volume histogram discretisation')[i]));
  });

  it('all configurations: distance 1, symmetric GLCM, NGLDM alpha 0, all families; A and B 2D/2.5D, C-E 3D', () => {
    for (const name of configs) {
      const f = PRESETS[name].features;
      expect(f.glcm).toEqual({ distance: 1, symmetric: true });
      expect(f.ngtdm).toEqual({ distance: 1 });
      expect(f.ngldm).toEqual({ distance: 1, alpha: 0 });
      expect(f.families).toEqual([...FAMILIES]);
      expect(f.ibsiCodes).toEqual([]);
      if (name === 'ibsi-A' || name === 'ibsi-B') {
        expect(f.directionalAggregations).toEqual(['2D, averaged', '2D, slice-merged', '2.5D, direction-merged', '2.5D, merged']);
        expect(f.zoneAggregations).toEqual(['2D', '2.5D']);
      } else {
        expect(f.directionalAggregations).toEqual(['3D, averaged', '3D, merged']);
        expect(f.zoneAggregations).toEqual(['3D']);
      }
    }
  });
});

describe('presets', () => {
  it('default: no preprocessing, no discretisation, all families, 3D aggregations', () => {
    expect(PRESETS.default).toEqual({
      preprocessing: {
        sliceWise: false,
        resampling: null,
        normalisation: { method: 'none' },
        resegmentation: { range: null, outlierSigma: null },
      },
      features: {
        families: ['morph', 'loc', 'stat', 'ih', 'ivh', 'cm', 'rlm', 'szm', 'dzm', 'ngt', 'ngl'],
        directionalAggregations: ['3D, averaged', '3D, merged'],
        zoneAggregations: ['3D'],
        discretisation: { method: 'none' },
        ivhDiscretisation: { method: 'none' },
        glcm: { distance: 1, symmetric: true },
        ngtdm: { distance: 1 },
        ngldm: { distance: 1, alpha: 0 },
        ibsiCodes: [],
      },
    });
  });

  it('presetByName returns a copy; the presets themselves are frozen', () => {
    const b = presetByName('ibsi-B');
    expect(b).toEqual(PRESETS['ibsi-B']);
    b.features.families.pop();
    b.preprocessing.sliceWise = false;
    expect(PRESETS['ibsi-B'].features.families).toHaveLength(11);
    expect(PRESETS['ibsi-B'].preprocessing.sliceWise).toBe(true);
    expect(Object.isFrozen(PRESETS['ibsi-B'].features.families)).toBe(true);
    expect(() => (PRESETS['ibsi-C'].features.families as string[]).push('x')).toThrow(TypeError);
  });

  it('an unknown preset is an RgsError listing the presets', () => {
    expect(() => presetByName('ibsi-F')).toThrow(RgsError);
    expect(() => presetByName('ibsi-F')).toThrow('unknown preset `ibsi-F`; presets: ibsi-A, ibsi-B, ibsi-C, ibsi-D, ibsi-E, default');
    expect(() => presetByName('IBSI-c')).toThrow(
      'unknown preset `IBSI-c`; presets: ibsi-A, ibsi-B, ibsi-C, ibsi-D, ibsi-E, default (did you mean `ibsi-C`?)',
    );
  });
});

describe('round trips through YAML', () => {
  it.each(PRESET_NAMES.map((n) => [n]))('presetYaml(%s) parses back to the same settings, without any problem', (name) => {
    const text = presetYaml(name);
    expect(text.startsWith(`# Preset ${name}: `)).toBe(true);
    const r = parseSettingsYaml(text, `${name}.yaml`);
    expect(r.problems).toEqual([]);
    expect(r.settings).toEqual(PRESETS[name as PresetName]);
  });

  it('presetYaml writes short lists on one line', () => {
    const text = presetYaml('ibsi-B');
    expect(text).toContain('    spacing: [2, 2, null]\n');
    expect(text).toContain('    range: [-500, 400]\n');
    expect(text).toContain('    method: fbn\n    bin_count: 32\n');
  });

  it('settings with every kind of block round-trip too', () => {
    const s: ExtractionSettings = {
      preprocessing: {
        sliceWise: true,
        resampling: { spacing: [0.5, 0.75, null], interpolation: 'nearest', roundIntensities: false, maskInterpolation: 'nearest', maskThreshold: 0.25 },
        normalisation: { method: 'percentile', lower: 0.5, upper: 99.5, reference: { mask: '/data/brain mask.nii.gz', label: 3 } },
        resegmentation: { range: { lower: -2.5, upper: null }, outlierSigma: 2.5 },
      },
      features: {
        families: ['cm', 'ngl'],
        directionalAggregations: ['2.5D, merged', '3D, averaged'],
        zoneAggregations: ['2D'],
        discretisation: { method: 'fbs', binWidth: 0.125 },
        ivhDiscretisation: { method: 'fbn', binCount: 1000 },
        glcm: { distance: 2, symmetric: false },
        ngtdm: { distance: 3 },
        ngldm: { distance: 2, alpha: 1 },
        ibsiCodes: ['GYBY', 'SODN'],
      },
    };
    const r = parseSettingsYaml(settingsToYaml(s), '/elsewhere/settings.yaml');
    expect(r.problems).toEqual([]);
    expect(r.settings).toEqual(s);
    const zscore: ExtractionSettings = {
      ...s,
      preprocessing: { ...s.preprocessing, normalisation: { method: 'zscore', reference: 'roi' } },
    };
    expect(parseSettingsYaml(settingsToYaml(zscore), 'x.yaml').settings).toEqual(zscore);
    const range: ExtractionSettings = {
      ...s,
      preprocessing: { ...s.preprocessing, normalisation: { method: 'range', min: -1000, max: 3000 } },
    };
    expect(parseSettingsYaml(settingsToYaml(range), 'x.yaml').settings).toEqual(range);
  });
});
