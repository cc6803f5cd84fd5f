/**
 * The GLCM and GLRLM against the IBSI reference values: every digital phantom `cm` and `rlm`
 * row (6 aggregations x 41 features), and every CT phantom configuration A row of the two
 * families (2D and 2.5D aggregations).
 *
 * Configuration A has no interpolation, so its texture input is made here directly: the
 * intensity mask is mask > 0.5 re-segmented to [-500, 400] HU, and the fixed bin size
 * discretisation of 25 HU starts at the lower bound: bin = floor((x + 500) / 25) + 1 (IBSI 2.7.1).
 */
import { describe, expect, it } from 'vitest';
import type { FeatureInput, FeatureValue } from '../../src/engine/features/types';
import { DIRECTIONAL_AGGREGATIONS } from '../../src/engine/features/types';
import { readNifti } from '../../src/engine/io/nifti';
import { computeGlcm } from '../../src/engine/texture/glcm';
import { computeGlrlm } from '../../src/engine/texture/glrlm';
import { CT_PHANTOM, DIGITAL_PHANTOM, ibsiSkipReason, passesIbsi, readReferenceValues } from '../helpers/ibsi';

function textureInput(imagePath: string, maskPath: string, bin: (x: number) => number | null, binCount: number): FeatureInput {
  const image = readNifti(imagePath);
  const roi = readNifti(maskPath);
  const n = image.data.length;
  const mask = new Uint8Array(n);
  const bins = new Int32Array(n);
  for (let v = 0; v < n; v++) {
    const b = roi.data[v] > 0.5 ? bin(image.data[v]) : null;
    if (b === null) continue;
    mask[v] = 1;
    bins[v] = b;
  }
  const binValues = Float64Array.from({ length: binCount + 1 }, (_, b) => b);
  return {
    dims: image.dims,
    spacing: image.spacing,
    image: image.data,
    morphMask: mask,
    intensityMask: mask,
    discretised: { bins, binCount, binValues },
    ivh: { values: image.data, min: 1, max: binCount, step: 1 },
  };
}

/** Compares `rows` with every reference row of `data` for cm and rlm; fails on any mismatch. */
function compare(rows: FeatureValue[], data: string, label: string, expectedCount: number): void {
  const refs = readReferenceValues().filter((r) => r.data === data && (r.family === 'cm' || r.family === 'rlm') && r.value !== null);
  expect(refs.length).toBe(expectedCount);
  const failures: string[] = [];
  let passed = 0;
  for (const ref of refs) {
    const row = rows.find((r) => r.family === ref.family && r.ibsi_code === ref.ibsi_code && r.aggregation === ref.aggregation);
    if (!row) {
      failures.push(`${ref.family} ${ref.feature} (${ref.aggregation}): not computed`);
      continue;
    }
    expect(row.feature).toBe(ref.feature);
    if (passesIbsi(row.value, ref)) passed++;
    else failures.push(`${ref.family} ${ref.feature} (${ref.aggregation}): ${row.value} vs ${ref.value} ± ${ref.tolerance}`);
  }
  console.log(`${label} cm/rlm: ${passed}/${refs.length} reference values reproduced`);
  expect(failures).toEqual([]);
  expect(passed).toBe(expectedCount);
}

const skip = ibsiSkipReason();

describe.skipIf(skip !== null)('IBSI reference values (cm, rlm)', () => {
  it('reproduces every digital phantom row (6 aggregations x 41 features)', () => {
    // No discretisation: the grey level is the intensity (1..6), N_g = 6.
    const input = textureInput(DIGITAL_PHANTOM.image, DIGITAL_PHANTOM.mask, (x) => x, 6);
    const rows = [
      ...computeGlcm(input, { distance: 1, symmetric: true }, DIRECTIONAL_AGGREGATIONS),
      ...computeGlrlm(input, DIRECTIONAL_AGGREGATIONS),
    ];
    expect(rows).toHaveLength(246);
    compare(rows, 'digital_phantom', 'digital phantom', 246);
  });

  it('reproduces every CT phantom configuration A row (2D and 2.5D)', () => {
    const input = textureInput(
      CT_PHANTOM.image,
      CT_PHANTOM.mask,
      (x) => (x >= -500 && x <= 400 ? Math.floor((x + 500) / 25) + 1 : null),
      37,
    );
    const aggregations = ['2D, averaged', '2D, slice-merged', '2.5D, direction-merged', '2.5D, merged'] as const;
    const rows = [...computeGlcm(input, { distance: 1, symmetric: true }, aggregations), ...computeGlrlm(input, aggregations)];
    compare(rows, 'config_A', 'CT phantom config A', 164);
  });
});
