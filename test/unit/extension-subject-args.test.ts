/**
 * The radiogenomics.openSubject command's arguments (from the study file's code lens or typed by
 * another extension), the legend built from the mask's label volumes, and the sequence names
 * guessed for subjects opened by picking files.
 */
import { describe, expect, test } from 'vitest';
import { RgsError } from '../../src/engine/util/errors';
import { buildLegend, defaultLabelColor, guessSequenceName, parseOpenSubjectArgs } from '../../src/extension/subject-args';

describe('parseOpenSubjectArgs', () => {
  test('a name -> path map keeps its order and resolves relative paths against baseDir', () => {
    const r = parseOpenSubjectArgs({
      images: { T1: 't1.nii.gz', T1CE: '/data/t1ce.nii.gz', T2: 'sub/t2.nii.gz', FLAIR: 'flair.nii.gz' },
      mask: 'seg.nii.gz',
      labels: { necrosis: 1, oedema: 2, enhancing: 4, tumour_core: [1, 4] },
      baseDir: '/study/case-7',
    });
    expect(r.sequences).toEqual([
      { name: 'T1', path: '/study/case-7/t1.nii.gz' },
      { name: 'T1CE', path: '/data/t1ce.nii.gz' },
      { name: 'T2', path: '/study/case-7/sub/t2.nii.gz' },
      { name: 'FLAIR', path: '/study/case-7/flair.nii.gz' },
    ]);
    expect(r.maskPath).toBe('/study/case-7/seg.nii.gz');
    // The union tumour_core is not a single legend entry.
    expect([...r.labelNames]).toEqual([
      [1, 'necrosis'],
      [2, 'oedema'],
      [4, 'enhancing'],
    ]);
    expect(r.title).toBe('T1 · T1CE · T2 · FLAIR');
  });

  test('the list forms, a title, colours, and the default base (the workspace folder)', () => {
    const r = parseOpenSubjectArgs(
      {
        title: 'BraTS 00012',
        images: [{ name: 'FLAIR', path: 'f.nii' }],
        mask: '/abs/seg.nii',
        labels: [{ value: 3, name: 'enhancing', color: [10, 20, 30] }, { value: 1, name: 'necrosis' }],
      },
      '/ws',
    );
    expect(r.title).toBe('BraTS 00012');
    expect(r.sequences).toEqual([{ name: 'FLAIR', path: '/ws/f.nii' }]);
    expect(r.maskPath).toBe('/abs/seg.nii');
    expect(r.labelColors.get(3)).toEqual([10, 20, 30]);
    expect(r.labelColors.has(1)).toBe(false);
  });

  test.each([
    ['not an object', 'seg.nii', /expected an object/],
    ['no images', { mask: 'm.nii' }, /images must map sequence names/],
    ['empty images', { images: {}, mask: 'm.nii' }, /images is empty/],
    ['nine images', { images: Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`S${i}`, `/s${i}.nii`])), mask: '/m.nii' }, /at most 8/],
    ['an empty path', { images: { T1: '' }, mask: '/m.nii' }, /images.T1: the path must be a non-empty string/],
    ['a sequence twice', { images: [{ name: 'T1', path: '/a.nii' }, { name: 'T1', path: '/b.nii' }], mask: '/m.nii' }, /"T1" is given twice/],
    ['no mask', { images: { T1: '/a.nii' } }, /mask must be the path/],
    ['a relative path and no base', { images: { T1: 'a.nii' }, mask: '/m.nii' }, /images.T1 "a.nii" is relative and there is no baseDir/],
    ['a label 0', { images: { T1: '/a.nii' }, mask: '/m.nii', labels: { background: 0 } }, /labels.background: a label must be a non-zero integer/],
    ['a fractional label', { images: { T1: '/a.nii' }, mask: '/m.nii', labels: { x: 1.5 } }, /non-zero integer \(got 1.5\)/],
    ['a label named twice', { images: { T1: '/a.nii' }, mask: '/m.nii', labels: { a: 1, b: 1 } }, /label 1 is named twice \("a" and "b"\)/],
    ['a bad colour', { images: { T1: '/a.nii' }, mask: '/m.nii', labels: [{ value: 1, name: 'a', color: [0, 0, 300] }] }, /color must be \[r, g, b\]/],
    ['labels of the wrong type', { images: { T1: '/a.nii' }, mask: '/m.nii', labels: 'brats' }, /labels must map names/],
  ])('refuses %s, naming the command', (_what, args, message) => {
    let err: unknown;
    try {
      parseOpenSubjectArgs(args);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RgsError);
    expect((err as Error).message).toMatch(/^radiogenomics\.openSubject: /);
    expect((err as Error).message).toMatch(message);
  });
});

describe('buildLegend', () => {
  test('labels present and named labels absent from the mask, ascending, with default colours', () => {
    const legend = buildLegend(
      [
        { value: 4, voxels: 300, volumeMl: 0.3 },
        { value: 1, voxels: 100, volumeMl: 0.1 },
        { value: 7, voxels: 5, volumeMl: 0.005 },
      ],
      new Map([
        [1, 'necrosis'],
        [2, 'oedema'],
        [4, 'enhancing'],
      ]),
      new Map([[4, [1, 2, 3] as [number, number, number]]]),
    );
    expect(legend).toEqual([
      { value: 1, name: 'necrosis', color: [255, 0, 0], voxels: 100, volumeMl: 0.1 },
      // Named but absent: shown with 0 mL rather than left out.
      { value: 2, name: 'oedema', color: [0, 255, 0], voxels: 0, volumeMl: 0 },
      { value: 4, name: 'enhancing', color: [1, 2, 3], voxels: 300, volumeMl: 0.3 },
      { value: 7, name: 'label 7', color: [255, 239, 213], voxels: 5, volumeMl: 0.005 },
    ]);
  });

  test('the default colours cycle through the palette for any integer', () => {
    expect(defaultLabelColor(1)).toEqual([255, 0, 0]);
    expect(defaultLabelColor(4)).toEqual([255, 255, 0]);
    expect(defaultLabelColor(13)).toEqual(defaultLabelColor(1));
    expect(defaultLabelColor(0)).toEqual(defaultLabelColor(12));
    expect(defaultLabelColor(-1)).toEqual(defaultLabelColor(11));
  });
});

describe('guessSequenceName', () => {
  test.each([
    ['BraTS2021_00012_t1.nii.gz', 'T1'],
    ['BraTS2021_00012_t1ce.nii.gz', 'T1CE'],
    ['sub-01_T1Gd.nii', 'T1CE'],
    ['case_t1c.nii.gz', 'T1CE'],
    ['BraTS2021_00012_t2.nii.gz', 'T2'],
    ['BraTS2021_00012_flair.nii.gz', 'FLAIR'],
    ['sub-01_T2w.nii.gz', 'T2'],
    ['sub-01_T1w.nii.gz', 'T1'],
    ['dwi_b1000.nii.gz', 'dwi_b1000'],
    ['st1x.nii', 'st1x'],
  ])('%s -> %s', (file, name) => {
    expect(guessSequenceName(file)).toBe(name);
  });
});
