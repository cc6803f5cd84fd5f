/**
 * When the subject view shows the mask as each view's label drawing rather than as an overlay
 * volume (webview/src/mask-layer.ts, webview/src/label-lut.ts), and the drawing's colour table.
 */
import { describe, expect, test } from 'vitest';
import type { LabelInfo } from '../../src/extension/messages';
import { labelDrawLut } from '../../webview/src/label-lut';
import { maskFitsDrawing, type GridImage } from '../../webview/src/mask-layer';

const affine = [
  [-1, 0, 0, 120],
  [0, -1, 0, 120],
  [0, 0, 1, -80],
  [0, 0, 0, 1],
];

function grid(dims: number[], a: number[][] = affine, img: unknown = new Uint8Array(1)): GridImage {
  return { hdr: { dims, affine: a }, img };
}

describe('maskFitsDrawing', () => {
  const image = grid([3, 240, 240, 155, 1], affine, new Int16Array(1));

  test('a uint8 mask on the image grid is drawn as a drawing', () => {
    expect(maskFitsDrawing(image, grid([3, 240, 240, 155, 1]))).toBe(true);
  });

  test('float32 rounding in the affine still counts as the same grid', () => {
    const a = affine.map((r) => r.map((v) => Math.fround(v + 1e-6)));
    expect(maskFitsDrawing(image, grid([3, 240, 240, 155, 1], a))).toBe(true);
  });

  test('other dims, a shifted or rotated grid, or non-uint8 labels: an overlay', () => {
    expect(maskFitsDrawing(image, grid([3, 240, 240, 154, 1]))).toBe(false);
    const shifted = affine.map((r, i) => (i === 2 ? [0, 0, 1, -79] : r));
    expect(maskFitsDrawing(image, grid([3, 240, 240, 155, 1], shifted))).toBe(false);
    const flipped = affine.map((r, i) => (i === 0 ? [1, 0, 0, -119] : r));
    expect(maskFitsDrawing(image, grid([3, 240, 240, 155, 1], flipped))).toBe(false);
    expect(maskFitsDrawing(image, grid([3, 240, 240, 155, 1], affine, new Int16Array(1)))).toBe(false);
    expect(maskFitsDrawing(image, grid([4, 240, 240, 155, 2]))).toBe(false);
    expect(maskFitsDrawing(image, { hdr: null, img: new Uint8Array(1) })).toBe(false);
  });
});

describe('labelDrawLut', () => {
  const labels: LabelInfo[] = [
    { value: 4, name: 'enhancing', color: [255, 255, 0], voxels: 3, volumeMl: 0.003 },
    { value: 1, name: 'necrosis', color: [255, 0, 0], voxels: 1, volumeMl: 0.001 },
    { value: 2, name: 'oedema', color: [0, 255, 0], voxels: 2, volumeMl: 0.002 },
  ];
  const rgba = (lut: Uint8ClampedArray, v: number) => Array.from(lut.slice(4 * v, 4 * v + 4));

  test('each label its colour at its value; 0 and unlisted values transparent', () => {
    const { lut, labels: names } = labelDrawLut(labels, new Set([1, 2, 4]));
    expect(lut.length).toBe(256 * 4);
    expect(rgba(lut, 0)).toEqual([0, 0, 0, 0]);
    expect(rgba(lut, 1)).toEqual([255, 0, 0, 255]);
    expect(rgba(lut, 2)).toEqual([0, 255, 0, 255]);
    expect(rgba(lut, 3)).toEqual([0, 0, 0, 0]);
    expect(rgba(lut, 4)).toEqual([255, 255, 0, 255]);
    for (let v = 5; v < 256; v++) expect(lut[4 * v + 3]).toBe(0);
    expect(names.length).toBe(256);
    expect([names[1], names[2], names[4]]).toEqual(['necrosis', 'oedema', 'enhancing']);
  });

  test('a label switched off is transparent; values outside 1..255 are ignored', () => {
    const { lut } = labelDrawLut([...labels, { value: 300, name: 'big', color: [1, 2, 3], voxels: 1, volumeMl: 0 }], new Set([1, 4, 300]));
    expect(lut[4 * 2 + 3]).toBe(0);
    expect(lut[4 * 1 + 3]).toBe(255);
    expect(lut.length).toBe(1024);
  });
});
