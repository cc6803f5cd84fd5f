import { describe, expect, test } from 'vitest';
import { diagonalAffine, type Volume } from '../../src/engine/image/volume';
import { readNifti } from '../../src/engine/io/nifti';
import { LabelMap } from '../../src/engine/roi/label-map';
import { initialRoiMasks } from '../../src/engine/roi/masks';
import { labelsPresent, selectRoi } from '../../src/engine/roi/select';
import { parseRoiSelector } from '../../src/engine/roi/selector';
import { CT_PHANTOM, DIGITAL_PHANTOM, ibsiSkipReason } from '../helpers/ibsi';

/** 4x2x2 BraTS-like label mask:
 *  k=0: [0 1 1 2 | 2 2 4 0]   k=1: [4 4 1 0 | 0 2 0 0]
 *  counts: 1 -> 3, 2 -> 4, 4 -> 3 (10 non-zero of 16). */
const LABELS = [0, 1, 1, 2, 2, 2, 4, 0, 4, 4, 1, 0, 0, 2, 0, 0];
function labelVolume(data: number[] = LABELS): Volume<Float64Array> {
  return { dims: [4, 2, 2], spacing: [1, 1, 1], affine: diagonalAffine([1, 1, 1]), data: Float64Array.from(data) };
}
const BRATS = new LabelMap('labels.yaml', [
  ['necrosis', [1]],
  ['oedema', [2]],
  ['enhancing', [4]],
  ['tumour_core', [1, 4]],
  ['whole_tumour', [1, 2, 4]],
  ['other', [3]],
  ['core_or_other', [1, 3]],
]);
const ctx = { maskFile: 'seg.nii.gz', labelMap: BRATS };

function ones(mask: Uint8Array): number[] {
  const out: number[] = [];
  mask.forEach((v, i) => v && out.push(i));
  return out;
}

describe('labelsPresent', () => {
  test('sorted, without 0, large and negative labels included', () => {
    expect(labelsPresent(labelVolume())).toEqual([1, 2, 4]);
    expect(labelsPresent(labelVolume([0, 70000, -3, 5, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]))).toEqual([-3, 5, 70000]);
    expect(labelsPresent(new Float64Array(8))).toEqual([]);
  });

  test('uint8 and uint16 masks (read in their own type) give the same labels as doubles', () => {
    const values = [0, 3, 0, 255, 1, 1, 0, 9];
    expect(labelsPresent(Uint8Array.from(values))).toEqual([1, 3, 9, 255]);
    expect(labelsPresent(Uint16Array.from([...values, 65535, 300]))).toEqual([1, 3, 9, 255, 300, 65535]);
    expect(labelsPresent(new Uint8Array(5))).toEqual([]);
  });

  test('a non-integer value is named with its voxel', () => {
    const v = labelVolume();
    v.data[5] = 0.5; // (1, 1, 0)
    v.data[9] = 2.7;
    expect(() => labelsPresent(v, 'seg.nii.gz')).toThrow('seg.nii.gz: mask value 0.5 at voxel (1, 1, 0) is not an integer label');
    v.data[5] = NaN;
    expect(() => labelsPresent(v, 'seg.nii.gz')).toThrow('seg.nii.gz: mask value NaN at voxel (1, 1, 0) is not an integer label');
  });
});

describe('selectRoi', () => {
  test('one label', () => {
    const r = selectRoi(labelVolume(), parseRoiSelector('2'), ctx);
    expect(r).toMatchObject({ labels: [2], name: '2', voxels: 4, absent: [] });
    expect(ones(r.mask)).toEqual([3, 4, 5, 13]);
  });

  test('the bounding box comes with the selection', () => {
    // Label 2 sits at (3,0,0) (0,1,0) (1,1,0) (1,1,1): x 0..3, y 0..1, z 0..1.
    expect(selectRoi(labelVolume(), parseRoiSelector('2'), ctx).box).toEqual({ lower: [0, 0, 0], upper: [3, 1, 1] });
    // Label 1 at (1,0,0) (2,0,0) (2,0,1): x 1..2, y 0, z 0..1.
    expect(selectRoi(labelVolume(), parseRoiSelector('1'), ctx).box).toEqual({ lower: [1, 0, 0], upper: [2, 0, 1] });
    // A label outside the dense lookup range goes through the Set path.
    const big = labelVolume(LABELS.map((v) => (v === 4 ? 70000 : v)));
    expect(selectRoi(big, parseRoiSelector('70000'), ctx).box).toEqual({ lower: [0, 0, 0], upper: [2, 1, 1] });
  });

  test('a union of labels', () => {
    const r = selectRoi(labelVolume(), parseRoiSelector('4+1'), ctx);
    expect(r).toMatchObject({ labels: [1, 4], name: '4+1', voxels: 6 });
    expect(ones(r.mask)).toEqual([1, 2, 6, 8, 9, 10]);
  });

  test('names from the label map, and all', () => {
    expect(selectRoi(labelVolume(), parseRoiSelector('tumour_core'), ctx)).toMatchObject({ labels: [1, 4], voxels: 6, name: 'tumour_core' });
    expect(selectRoi(labelVolume(), parseRoiSelector('whole_tumour'), ctx).voxels).toBe(10);
    const all = selectRoi(labelVolume(), parseRoiSelector('all'), { maskFile: 'seg.nii.gz' });
    expect(all).toMatchObject({ labels: [1, 2, 4], voxels: 10, name: 'all' });
    expect(ones(all.mask)).toEqual(LABELS.flatMap((v, i) => (v ? [i] : [])));
  });

  test('a named union may be partly absent; the absent labels are reported', () => {
    const r = selectRoi(labelVolume(), parseRoiSelector('core_or_other'), ctx);
    expect(r).toMatchObject({ labels: [1], absent: [3], voxels: 3 });
  });

  test('labels beyond the dense lookup range', () => {
    const data = LABELS.map((v) => (v === 4 ? 100000 : v));
    const r = selectRoi(labelVolume(data), parseRoiSelector('1+100000'), ctx);
    expect(ones(r.mask)).toEqual([1, 2, 6, 8, 9, 10]);
  });

  test('a label not in the mask', () => {
    expect(() => selectRoi(labelVolume(), parseRoiSelector('3'), ctx)).toThrow(
      'seg.nii.gz: label 3 is not in the mask (labels present: 1, 2, 4)',
    );
    expect(() => selectRoi(labelVolume(), parseRoiSelector('1+3'), ctx)).toThrow('seg.nii.gz: label 3 is not in the mask');
    expect(() => selectRoi(labelVolume(), parseRoiSelector('other'), ctx)).toThrow(
      'seg.nii.gz: label 3 is not in the mask (labels present: 1, 2, 4)',
    );
  });

  test('a name the label map does not define, or no label map', () => {
    expect(() => selectRoi(labelVolume(), parseRoiSelector('tumor'), ctx)).toThrow(
      'seg.nii.gz: ROI "tumor" is not defined in the label map labels.yaml (names defined: necrosis, oedema, enhancing, tumour_core, whole_tumour, other, core_or_other, all)',
    );
    expect(() => selectRoi(labelVolume(), parseRoiSelector('tumour_core'), { maskFile: 'seg.nii.gz' })).toThrow(
      'seg.nii.gz: ROI "tumour_core" needs a label map (none was given) (names defined: all)',
    );
  });

  test('an empty ROI', () => {
    expect(() => selectRoi(labelVolume(new Array(16).fill(0)), parseRoiSelector('all'), ctx)).toThrow(
      'seg.nii.gz: ROI "all" is empty (the mask has no non-zero label)',
    );
    const only2 = LABELS.map((v) => (v === 2 ? 2 : 0));
    const m = new LabelMap('labels.yaml', [['core', [1, 4]]]);
    expect(() => selectRoi(labelVolume(only2), parseRoiSelector('core'), { maskFile: 'seg.nii.gz', labelMap: m })).toThrow(
      'seg.nii.gz: ROI "core" is empty (none of its labels 1, 4 is in the mask)',
    );
  });

  test('non-integer mask values', () => {
    const v = labelVolume();
    v.data[0] = 0.25;
    expect(() => selectRoi(v, parseRoiSelector('1'), ctx)).toThrow('seg.nii.gz: mask value 0.25 at voxel (0, 0, 0) is not an integer label');
  });
});

describe('initialRoiMasks', () => {
  test('both masks equal the ROI and are independent arrays', () => {
    const roi = Uint8Array.from([0, 1, 1, 0]);
    const m = initialRoiMasks(roi);
    expect(Array.from(m.morph)).toEqual([0, 1, 1, 0]);
    expect(Array.from(m.intensity)).toEqual([0, 1, 1, 0]);
    m.intensity[1] = 0; // re-segmentation narrows only the intensity mask
    expect(Array.from(m.morph)).toEqual([0, 1, 1, 0]);
    expect(Array.from(roi)).toEqual([0, 1, 1, 0]);
  });
});

describe.skipIf(ibsiSkipReason() !== null)('IBSI masks', () => {
  test('digital phantom: label 1 has 74 voxels', () => {
    const r = selectRoi(readNifti(DIGITAL_PHANTOM.mask), parseRoiSelector('1'), { maskFile: DIGITAL_PHANTOM.mask });
    expect(r.voxels).toBe(74);
    expect(labelsPresent(readNifti(DIGITAL_PHANTOM.mask))).toEqual([1]);
  });

  test('CT phantom: all equals label 1, counted independently', () => {
    const mask = readNifti(CT_PHANTOM.mask);
    let count = 0;
    for (const v of mask.data) if (v === 1) count++;
    expect(labelsPresent(mask)).toEqual([1]);
    expect(selectRoi(mask, parseRoiSelector('all'), { maskFile: CT_PHANTOM.mask }).voxels).toBe(count);
    expect(count).toBeGreaterThan(0);
  });
});
