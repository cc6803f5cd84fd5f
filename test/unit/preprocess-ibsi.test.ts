/**
 * The preprocessing chain against the IBSI CT phantom, configurations A–E (settings from the
 * table in ../shared/ibsi/README.md, written out here rather than taken from the presets, so this
 * tests the chain alone). Checked are the reference values that depend only on preprocessing:
 * morphology "Volume (voxel counting)" (YEKZ: morphological-mask voxels x voxel volume) and the
 * statistics mean (Q4LE), minimum (1GSF), maximum (84IY) and median (Y12H) over the intensity
 * mask, computed directly in the test.
 */
import { describe, expect, it } from 'vitest';
import { CT_PHANTOM, ibsiSkipReason, passesIbsi, readReferenceValues, roundSignificant, type ReferenceRow } from '../helpers/ibsi';
import { readNifti } from '../../src/engine/io/nifti';
import { prepareImage, prepareRoi } from '../../src/engine/preprocess/pipeline';
import type { DiscretisationSettings, ExtractionSettings, PreprocessingSettings, ResamplingSettings } from '../../src/engine/settings/types';

const skip = ibsiSkipReason();

function resampling(spacing: [number, number, number | null], interpolation: 'linear' | 'bspline'): ResamplingSettings {
  return { spacing, interpolation, roundIntensities: true, maskInterpolation: 'linear', maskThreshold: 0.5 };
}

function config(name: string): ExtractionSettings {
  const none = { method: 'none' } as const;
  const table: Record<string, { pre: PreprocessingSettings; disc: DiscretisationSettings; ivh: DiscretisationSettings }> = {
    A: {
      pre: { sliceWise: true, resampling: null, normalisation: none, resegmentation: { range: { lower: -500, upper: 400 }, outlierSigma: null } },
      disc: { method: 'fbs', binWidth: 25 },
      ivh: none,
    },
    B: {
      pre: { sliceWise: true, resampling: resampling([2, 2, null], 'linear'), normalisation: none, resegmentation: { range: { lower: -500, upper: 400 }, outlierSigma: null } },
      disc: { method: 'fbn', binCount: 32 },
      ivh: none,
    },
    C: {
      pre: { sliceWise: false, resampling: resampling([2, 2, 2], 'linear'), normalisation: none, resegmentation: { range: { lower: -1000, upper: 400 }, outlierSigma: null } },
      disc: { method: 'fbs', binWidth: 25 },
      ivh: { method: 'fbs', binWidth: 2.5 },
    },
    D: {
      pre: { sliceWise: false, resampling: resampling([2, 2, 2], 'linear'), normalisation: none, resegmentation: { range: null, outlierSigma: 3 } },
      disc: { method: 'fbn', binCount: 32 },
      ivh: none,
    },
    E: {
      pre: { sliceWise: false, resampling: resampling([2, 2, 2], 'bspline'), normalisation: none, resegmentation: { range: { lower: -1000, upper: 400 }, outlierSigma: 3 } },
      disc: { method: 'fbn', binCount: 32 },
      ivh: { method: 'fbn', binCount: 1000 },
    },
  };
  const c = table[name];
  return {
    preprocessing: c.pre,
    features: {
      families: ['morph', 'stat', 'ih', 'ivh'],
      directionalAggregations: [],
      zoneAggregations: [],
      discretisation: c.disc,
      ivhDiscretisation: c.ivh,
      glcm: { distance: 1, symmetric: true },
      ngtdm: { distance: 1 },
      ngldm: { distance: 1, alpha: 0 },
      ibsiCodes: [],
    },
  };
}

describe.skipIf(skip !== null)(`preprocessing vs the IBSI CT phantom${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const rows = skip === null ? readReferenceValues() : [];
  const image = skip === null ? readNifti(CT_PHANTOM.image) : null;
  const mask = skip === null ? readNifti(CT_PHANTOM.mask) : null;
  const roi = new Uint8Array(mask?.data.length ?? 0);
  if (mask !== null) for (let q = 0; q < roi.length; q++) roi[q] = mask.data[q] !== 0 ? 1 : 0;

  for (const name of ['A', 'B', 'C', 'D', 'E']) {
    it(`config ${name}: voxel-counting volume and intensity statistics pass`, () => {
      if (image === null) throw new Error('unreachable');
      const s = config(name);
      const prepared = prepareImage(image, s.preprocessing, { imageFile: CT_PHANTOM.image });
      const { input, diagnostics } = prepareRoi(prepared, roi, s, { roiName: 'GTV-1' });

      let morphVoxels = 0;
      const values: number[] = [];
      for (let q = 0; q < input.image.length; q++) {
        if (input.morphMask[q]) morphVoxels++;
        if (input.intensityMask[q]) values.push(input.image[q]);
      }
      values.sort((a, b) => a - b);
      const n = values.length;
      const computed: Record<string, number> = {
        YEKZ: morphVoxels * input.spacing[0] * input.spacing[1] * input.spacing[2],
        Q4LE: values.reduce((a, b) => a + b, 0) / n,
        '1GSF': values[0],
        '84IY': values[n - 1],
        Y12H: n % 2 === 1 ? values[(n - 1) / 2] : (values[n / 2 - 1] + values[n / 2]) / 2,
      };
      const lines: string[] = [];
      const failures: string[] = [];
      for (const code of Object.keys(computed)) {
        const row = rows.find((r: ReferenceRow) => r.data === `config_${name}` && r.ibsi_code === code && r.aggregation === '');
        if (row === undefined || row.value === null) throw new Error(`no reference row config_${name} ${code}`);
        const ok = passesIbsi(computed[code], row);
        const line = `${code} ${row.feature}: ${computed[code]} (${roundSignificant(computed[code])}) vs ${row.value} ± ${row.tolerance} ${ok ? 'pass' : 'FAIL'}`;
        lines.push(line);
        if (!ok) failures.push(line);
      }
      const interp = diagnostics.interpolated;
      console.log(
        `IBSI config ${name}: grid ${(interp?.image.dims ?? diagnostics.initial.image.dims).join('x')}, ` +
          `morph ${morphVoxels} / intensity ${n} voxels\n  ${lines.join('\n  ')}`,
      );
      expect(failures).toEqual([]);
    });
  }
});
