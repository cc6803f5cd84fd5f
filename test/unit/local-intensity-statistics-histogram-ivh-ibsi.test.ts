/**
 * Local intensity, intensity statistics, intensity histogram and intensity-volume histogram
 * against the IBSI reference values: every loc / stat / ih / ivh row of the digital phantom
 * (49) and of CT phantom configuration A (49; no resampling, so the preprocessing is simple
 * enough to do here: morphological mask = mask > 0.5, intensity mask = that and HU in
 * [-500, 400], intensity histogram FBS 25 HU from -500, IVH without discretisation).
 */
import { describe, expect, it } from 'vitest';
import { computeIntensityHistogram } from '../../src/engine/features/histogram';
import { computeIvh } from '../../src/engine/features/ivh';
import { buildIvhInput } from '../../src/engine/features/ivh-input';
import { computeLocalIntensity } from '../../src/engine/features/local-intensity';
import { computeStatistics } from '../../src/engine/features/statistics';
import type { FeatureInput, FeatureValue } from '../../src/engine/features/types';
import { readNifti } from '../../src/engine/io/nifti';
import { CT_PHANTOM, DIGITAL_PHANTOM, ibsiSkipReason, passesIbsi, readReferenceValues } from '../helpers/ibsi';

const FAMILIES = ['loc', 'stat', 'ih', 'ivh'];

function computeAll(input: FeatureInput): FeatureValue[] {
  return [...computeLocalIntensity(input), ...computeStatistics(input), ...computeIntensityHistogram(input), ...computeIvh(input)];
}

/** Checks every reference row of `data` for the four families; returns the number passed. */
function checkAgainstReference(data: string, rows: FeatureValue[]): { passed: number; total: number; failures: string[] } {
  const refs = readReferenceValues().filter((r) => r.data === data && FAMILIES.includes(r.family) && r.value !== null);
  const failures: string[] = [];
  let passed = 0;
  for (const ref of refs) {
    const row = rows.find((r) => r.family === ref.family && r.ibsi_code === ref.ibsi_code && r.aggregation === ref.aggregation);
    if (!row) {
      failures.push(`${ref.family} ${ref.feature}: not computed`);
      continue;
    }
    expect(row.feature).toBe(ref.feature);
    expect(row.standardised).toBe(true);
    if (passesIbsi(row.value, ref)) passed++;
    else failures.push(`${ref.family} ${ref.feature}: ${row.value} vs ${ref.value} +- ${ref.tolerance}`);
  }
  return { passed, total: refs.length, failures };
}

function digitalPhantomInput(): FeatureInput {
  const image = readNifti(DIGITAL_PHANTOM.image);
  const mask = readNifti(DIGITAL_PHANTOM.mask);
  const n = image.data.length;
  const roi = new Uint8Array(n);
  const bins = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    if (mask.data[i] > 0) {
      roi[i] = 1;
      // No discretisation: the grey level is the intensity (levels 1..6).
      bins[i] = image.data[i];
    }
  }
  return {
    dims: image.dims,
    spacing: image.spacing,
    // The full image, including the voxel outside the ROI (intensity 9) that local intensity sees.
    image: image.data,
    morphMask: roi,
    intensityMask: roi,
    discretised: { bins, binCount: 6, binValues: Float64Array.from([0, 1, 2, 3, 4, 5, 6]) },
    ivh: buildIvhInput(image.data, roi, { method: 'none' }),
  };
}

function configAInput(): FeatureInput {
  const image = readNifti(CT_PHANTOM.image);
  const mask = readNifti(CT_PHANTOM.mask);
  const n = image.data.length;
  const morph = new Uint8Array(n);
  const roi = new Uint8Array(n);
  const bins = new Int32Array(n);
  const lower = -500;
  const upper = 400;
  const width = 25;
  for (let i = 0; i < n; i++) {
    if (!(mask.data[i] > 0.5)) continue;
    morph[i] = 1;
    const v = image.data[i];
    if (v < lower || v > upper) continue;
    roi[i] = 1;
    bins[i] = Math.floor((v - lower) / width) + 1;
  }
  const binCount = Math.floor((upper - lower) / width) + 1;
  const binValues = new Float64Array(binCount + 1);
  for (let b = 0; b <= binCount; b++) binValues[b] = b;
  return {
    dims: image.dims,
    spacing: image.spacing,
    image: image.data,
    morphMask: morph,
    intensityMask: roi,
    discretised: { bins, binCount, binValues },
    ivh: buildIvhInput(image.data, roi, { method: 'none' }, { lower, upper }),
  };
}

const skip = ibsiSkipReason();

describe.skipIf(skip !== null)('IBSI reference values (loc, stat, ih, ivh)', () => {
  it('reproduces every digital phantom row', () => {
    const rows = computeAll(digitalPhantomInput());
    const { passed, total, failures } = checkAgainstReference('digital_phantom', rows);
    console.log(`digital phantom loc/stat/ih/ivh: ${passed}/${total} reference values reproduced`);
    expect(failures).toEqual([]);
    expect(total).toBe(49);
    expect(passed).toBe(49);
  });

  it('reproduces every CT phantom configuration A row', () => {
    const rows = computeAll(configAInput());
    const { passed, total, failures } = checkAgainstReference('config_A', rows);
    console.log(`CT phantom config A loc/stat/ih/ivh: ${passed}/${total} reference values reproduced`);
    expect(failures).toEqual([]);
    expect(total).toBe(49);
    expect(passed).toBe(49);
  });

  it('reports the IVH area under the curve as not standardised', () => {
    const auc = computeIvh(digitalPhantomInput()).find((r) => r.ibsi_code === '9CMM');
    expect(auc?.standardised).toBe(false);
    expect(auc?.feature).toBe('Area under the IVH curve');
  });
});
