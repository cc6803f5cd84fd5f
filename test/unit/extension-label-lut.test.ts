/**
 * The overlay's label colour table for NiiVue (webview/src/label-lut.ts): index 0 transparent,
 * one entry per label in ascending order, alpha 0 for labels switched off in the legend.
 */
import { describe, expect, test } from 'vitest';
import type { LabelInfo } from '../../src/extension/messages';
import { labelColormap } from '../../webview/src/label-lut';

const labels: LabelInfo[] = [
  { value: 4, name: 'enhancing', color: [255, 255, 0], voxels: 3, volumeMl: 0.003 },
  { value: 1, name: 'necrosis', color: [255, 0, 0], voxels: 1, volumeMl: 0.001 },
  { value: 2, name: 'oedema', color: [0, 255, 0], voxels: 2, volumeMl: 0.002 },
];

describe('labelColormap', () => {
  test('all labels visible', () => {
    expect(labelColormap(labels, new Set([1, 2, 4]))).toEqual({
      R: [0, 255, 0, 255],
      G: [0, 0, 255, 255],
      B: [0, 0, 0, 0],
      A: [0, 255, 255, 255],
      I: [0, 1, 2, 4],
      labels: ['', 'necrosis', 'oedema', 'enhancing'],
    });
  });

  test('a label switched off keeps its colour but gets alpha 0', () => {
    const cm = labelColormap(labels, new Set([1, 4]));
    expect(cm.I).toEqual([0, 1, 2, 4]);
    expect(cm.A).toEqual([0, 255, 0, 255]);
  });

  test('a label 0 in the legend does not duplicate the background entry', () => {
    const cm = labelColormap([{ value: 0, name: 'bg', color: [1, 1, 1], voxels: 0, volumeMl: 0 }, labels[1]], new Set([0, 1]));
    expect(cm.I).toEqual([0, 1]);
    expect(cm.A).toEqual([0, 255]);
  });
});
