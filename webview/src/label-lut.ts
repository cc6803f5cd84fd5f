/**
 * The mask overlay's label colour table for NiiVue: one colour per label, transparent for label
 * 0 and for labels the user has switched off. (NiiVue's makeLabelLut fills the gaps between
 * listed indices with transparent entries.)
 */
import type { LabelInfo } from '../../src/extension/messages';

export interface NiivueLabelColormap {
  R: number[];
  G: number[];
  B: number[];
  A: number[];
  I: number[];
  labels: string[];
}

export function labelColormap(labels: readonly LabelInfo[], visible: ReadonlySet<number>): NiivueLabelColormap {
  const cm: NiivueLabelColormap = { R: [0], G: [0], B: [0], A: [0], I: [0], labels: [''] };
  for (const l of [...labels].sort((a, b) => a.value - b.value)) {
    if (l.value === 0) continue;
    cm.R.push(l.color[0]);
    cm.G.push(l.color[1]);
    cm.B.push(l.color[2]);
    cm.A.push(visible.has(l.value) ? 255 : 0);
    cm.I.push(l.value);
    cm.labels.push(l.name);
  }
  return cm;
}

/** NiiVue's colour table for a drawing layer: 256 RGBA entries indexed by the voxel value. */
export interface DrawLut {
  lut: Uint8ClampedArray;
  labels: string[];
}

/**
 * The same colours as a drawing-layer table (the mask shown as NiiVue's label drawing): each
 * label's colour at its value, every other value (0, unlisted values, labels switched off)
 * transparent. Values above 255 cannot be in a drawing; the caller keeps such masks as overlays.
 */
export function labelDrawLut(labels: readonly LabelInfo[], visible: ReadonlySet<number>): DrawLut {
  const lut = new Uint8ClampedArray(256 * 4);
  const names: string[] = Array.from({ length: 256 }, () => '');
  for (const l of labels) {
    if (!Number.isInteger(l.value) || l.value <= 0 || l.value > 255) continue;
    lut.set([l.color[0], l.color[1], l.color[2], visible.has(l.value) ? 255 : 0], l.value * 4);
    names[l.value] = l.name;
  }
  return { lut, labels: names };
}
