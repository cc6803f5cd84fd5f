/**
 * Renderer of application/vnd.radiogenomics.coefficients+json: one row per model term, a bar
 * from zero to the coefficient (with its interval as a whisker), and beside it the selection
 * stability (the fraction of resamples or folds that selected the term) with the threshold.
 */
import { COEFFICIENTS_MIME, type CoefficientsJson } from '../../src/kernel/mime-types';
import { documentOf, el, fmt, rootIn, svgEl, title } from './dom';
import type { ActivationFunction } from './renderer-api';
import { linearScale, r } from './svg-chart';

const MAX_ROWS = 60;

function shorten(name: string, max = 42): string {
  return name.length <= max ? name : `…${name.slice(name.length - max + 1)}`;
}

export function renderCoefficients(doc: CoefficientsJson, root: HTMLElement): void {
  title(root, doc.title ?? doc.model);
  const rows = doc.coefficients.slice(0, MAX_ROWS);
  const hasStability = rows.some((c) => c.stability !== undefined);
  const rowH = 18;
  const labelW = 300;
  const barW = hasStability ? 230 : 340;
  const gap = 26;
  const stabW = hasStability ? 120 : 0;
  const width = labelW + barW + (hasStability ? gap + stabW + 40 : 20);
  const top = 24;
  const height = top + rowH * rows.length + 30;
  const svg = svgEl('svg', { class: 'rgs-chart rgs-coefficients', viewBox: `0 0 ${width} ${height}`, role: 'img', style: 'max-width: 860px' });
  let lo = 0;
  let hi = 0;
  for (const c of rows) {
    lo = Math.min(lo, c.value, c.lower ?? c.value);
    hi = Math.max(hi, c.value, c.upper ?? c.value);
  }
  if (lo === hi) hi = lo + 1;
  const pad = (hi - lo) * 0.05;
  const x = linearScale([lo - pad, hi + pad], [labelW, labelW + barW]);
  const zero = r(x(0));
  svg.append(svgEl('text', { class: 'rgs-axis-title', x: labelW + barW / 2, y: 12, 'text-anchor': 'middle' }, doc.valueLabel ?? 'coefficient'));
  if (hasStability) svg.append(svgEl('text', { class: 'rgs-axis-title', x: labelW + barW + gap + stabW / 2, y: 12, 'text-anchor': 'middle' }, 'selection stability'));
  rows.forEach((c, i) => {
    const y = top + i * rowH;
    // The tooltip on a group around the text, so that the text's content stays the name alone.
    svg.append(
      svgEl(
        'g',
        {},
        svgEl('title', {}, `${c.name}${c.ibsi ? ` (IBSI ${c.ibsi})` : ''}: ${fmt(c.value)}`),
        svgEl('text', { class: 'rgs-coef-label', x: labelW - 8, y: y + 12.5, 'text-anchor': 'end' }, shorten(c.name)),
      ),
    );
    const x1 = r(x(c.value));
    const bar = svgEl('rect', { class: `rgs-bar ${c.value >= 0 ? 'rgs-pos' : 'rgs-neg'}`, x: Math.min(zero, x1), y: y + 3, width: Math.max(0.5, Math.abs(x1 - zero)), height: rowH - 6 });
    bar.append(svgEl('title', {}, `${c.name}: ${fmt(c.value)}${c.lower !== undefined && c.upper !== undefined ? ` (${fmt(c.lower)} to ${fmt(c.upper)})` : ''}`));
    svg.append(bar);
    if (c.lower !== undefined && c.upper !== undefined) {
      svg.append(svgEl('path', { class: 'rgs-whisker rgs-s0', d: `M${r(x(c.lower))},${y + rowH / 2}H${r(x(c.upper))}` }));
    }
    if (hasStability) {
      const sx = labelW + barW + gap;
      svg.append(svgEl('rect', { class: 'rgs-stability-bg', x: sx, y: y + 4, width: stabW, height: rowH - 8 }));
      if (c.stability !== undefined) {
        svg.append(svgEl('rect', { class: 'rgs-stability', x: sx, y: y + 4, width: r(stabW * Math.max(0, Math.min(1, c.stability))), height: rowH - 8 }));
        svg.append(svgEl('text', { class: 'rgs-stability-text', x: sx + stabW + 4, y: y + 12.5 }, `${Math.round(c.stability * 100)}%`));
      }
    }
  });
  const bottom = top + rowH * rows.length;
  svg.append(svgEl('path', { class: 'rgs-axis', d: `M${zero},${top - 2}V${bottom + 2}` }));
  for (const t of x.ticks) {
    svg.append(svgEl('path', { class: 'rgs-tick', d: `M${r(x(t))},${bottom + 2}v4` }));
    svg.append(svgEl('text', { x: r(x(t)), y: bottom + 17, 'text-anchor': 'middle' }, fmt(t, 3)));
  }
  if (hasStability && doc.threshold !== undefined) {
    const tx = r(labelW + barW + gap + stabW * doc.threshold);
    svg.append(svgEl('path', { class: 'rgs-threshold', d: `M${tx},${top - 2}V${bottom + 2}` }));
    svg.append(svgEl('text', { x: tx, y: bottom + 17, 'text-anchor': 'middle' }, `${Math.round(doc.threshold * 100)}%`));
  }
  root.append(svg);
  const notes: string[] = [];
  if (doc.model !== undefined && doc.title !== undefined) notes.push(doc.model);
  if (doc.stabilityLabel !== undefined) notes.push(`stability: ${doc.stabilityLabel}`);
  if (doc.coefficients.length > rows.length) notes.push(`showing the ${rows.length} largest of ${doc.coefficients.length} terms`);
  if (notes.length > 0) root.append(el('div', { class: 'rgs-note' }, notes.join('; ')));
}

export const activate: ActivationFunction = () => ({
  renderOutputItem(item, element) {
    const root = rootIn(element, 'coefficients');
    const doc = documentOf<CoefficientsJson>(COEFFICIENTS_MIME, item.json(), root);
    if (doc !== null) renderCoefficients(doc, root);
  },
});
