/**
 * Whole-pipeline invariants, through NIfTI files: the 3D features of an ROI do not change when
 * the volume is flipped or its axes permuted with the affine updated to match (the same object
 * in the same world), nor when image and mask are padded with empty slices.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readNifti, writeNifti } from '../../src/engine/io/nifti';
import type { Vec3, Volume } from '../../src/engine/image/volume';
import { extractFromFiles } from '../../src/engine/pipeline/extract-files';
import { presetByName } from '../../src/engine/settings/presets';
import type { FeatureValue } from '../../src/engine/features/types';
import { DIGITAL_PHANTOM, ibsiSkipReason } from '../helpers/ibsi';

/** Reorders axes: new axis a is old axis perm[a]; flips new axes where flip[a]. Affine follows. */
function transform(vol: Volume, perm: Vec3, flip: [boolean, boolean, boolean]): Volume {
  const od = vol.dims;
  const nd: Vec3 = [od[perm[0]], od[perm[1]], od[perm[2]]];
  const data = new Float64Array(vol.data.length);
  const o = [0, 0, 0];
  for (let k = 0; k < nd[2]; k++)
    for (let j = 0; j < nd[1]; j++)
      for (let i = 0; i < nd[0]; i++) {
        const n = [i, j, k];
        for (let a = 0; a < 3; a++) o[perm[a]] = flip[a] ? nd[a] - 1 - n[a] : n[a];
        data[i + nd[0] * (j + nd[1] * k)] = vol.data[o[0] + od[0] * (o[1] + od[1] * o[2])];
      }
  // world = A_old * old_index; old_index[perm[a]] = flip ? n_a' - 1 - new[a] : new[a]
  const A = vol.affine;
  const B = new Float64Array(16);
  B[15] = 1;
  for (let r = 0; r < 3; r++) {
    let t = A[r * 4 + 3];
    for (let a = 0; a < 3; a++) {
      const col = A[r * 4 + perm[a]];
      if (flip[a]) {
        B[r * 4 + a] = -col;
        t += col * (nd[a] - 1);
      } else B[r * 4 + a] = col;
    }
    B[r * 4 + 3] = t;
  }
  return { dims: nd, spacing: [vol.spacing[perm[0]], vol.spacing[perm[1]], vol.spacing[perm[2]]], affine: B, data };
}

function padSlices(vol: Volume, before: number, after: number, value: number): Volume {
  const [nx, ny, nz] = vol.dims;
  const nd: Vec3 = [nx, ny, nz + before + after];
  const data = new Float64Array(nx * ny * nd[2]).fill(value);
  data.set(vol.data, nx * ny * before);
  const affine = new Float64Array(vol.affine);
  for (let r = 0; r < 3; r++) affine[r * 4 + 3] -= vol.affine[r * 4 + 2] * before;
  return { dims: nd, spacing: vol.spacing, affine, data };
}

const skip = ibsiSkipReason();
let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rgs-inv-'));
});

function features(image: Volume, mask: Volume, name: string): FeatureValue[] {
  const ip = join(dir, `${name}-image.nii.gz`);
  const mp = join(dir, `${name}-mask.nii.gz`);
  writeNifti(ip, image, { datatype: 'float32' });
  writeNifti(mp, mask, { datatype: 'uint8' });
  return extractFromFiles({ imagePath: ip, maskPath: mp, rois: ['1'], settings: presetByName('default') }).results[0].features;
}

function expectSame(a: FeatureValue[], b: FeatureValue[], skipFamilies: string[] = []) {
  const key = (f: FeatureValue) => `${f.family}|${f.ibsi_code}|${f.aggregation}`;
  const mb = new Map(b.map((f) => [key(f), f.value]));
  let compared = 0;
  const diffs: string[] = [];
  for (const f of a) {
    if (skipFamilies.includes(f.family) || !(f.aggregation === '' || f.aggregation.startsWith('3D'))) continue;
    const v = mb.get(key(f));
    compared++;
    if (v === undefined || (Number.isNaN(f.value) !== Number.isNaN(v)) || Math.abs(f.value - v) > 1e-9 * Math.max(1, Math.abs(f.value))) {
      diffs.push(`${key(f)}: ${f.value} vs ${v}`);
    }
  }
  expect(diffs).toEqual([]);
  expect(compared).toBeGreaterThan(150);
}

describe.skipIf(skip !== null)('3D features are invariant to flips, permutations and padding (digital phantom)', () => {
  it('flipping each axis, with the affine updated', () => {
    const image = readNifti(DIGITAL_PHANTOM.image);
    const mask = readNifti(DIGITAL_PHANTOM.mask);
    const base = features(image, mask, 'base');
    for (const flip of [[true, false, false], [false, true, false], [false, false, true]] as [boolean, boolean, boolean][]) {
      const t = features(transform(image, [0, 1, 2], flip), transform(mask, [0, 1, 2], flip), `flip${flip.join('')}`);
      expectSame(base, t);
    }
  });

  it('permuting the axes, with the affine updated', () => {
    const image = readNifti(DIGITAL_PHANTOM.image);
    const mask = readNifti(DIGITAL_PHANTOM.mask);
    const base = features(image, mask, 'base2');
    for (const perm of [[1, 0, 2], [2, 0, 1], [1, 2, 0]] as Vec3[]) {
      const t = features(transform(image, perm, [false, false, false]), transform(mask, perm, [false, false, false]), `perm${perm.join('')}`);
      expectSame(base, t);
    }
  });

  it('padding image and mask with empty slices (local intensity excluded: new voxels enter its 6.2 mm sphere)', () => {
    const image = readNifti(DIGITAL_PHANTOM.image);
    const mask = readNifti(DIGITAL_PHANTOM.mask);
    const base = features(image, mask, 'base3');
    const t = features(padSlices(image, 2, 3, 1), padSlices(mask, 2, 3, 0), 'padded');
    expectSame(base, t, ['loc']);
  });
});
