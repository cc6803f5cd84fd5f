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
