/**
 * Renderer of application/vnd.radiogenomics.roc+json: ROC curves with their confidence bands,
 * the chance diagonal, and a legend with each curve's AUC and its interval.
 */
import { ROC_MIME, type RocCurveJson, type RocJson } from '../../src/kernel/mime-types';
import { documentOf, el, fmt, rootIn, SERIES, svgEl, title } from './dom';
import type { ActivationFunction } from './renderer-api';
import { Plot } from './svg-chart';

/** "AUC 0.871 (95% CI 0.802–0.940, DeLong)" */
export function aucText(c: RocCurveJson): string {
  if (c.auc === undefined) return 'AUC —';
  const level = Math.round((c.ciLevel ?? 0.95) * 100);
  const ci = c.aucLower !== undefined && c.aucUpper !== undefined ? ` (${level}% CI ${c.auc < 1 ? c.aucLower.toFixed(3) : fmt(c.aucLower)}–${c.aucUpper.toFixed(3)}${c.ciMethod ? `, ${c.ciMethod}` : ''})` : '';
  return `AUC ${c.auc.toFixed(3)}${ci}`;
}

export function renderRoc(doc: RocJson, root: HTMLElement): void {
  title(root, doc.title);
  const ticks = [0, 0.2, 0.4, 0.6, 0.8, 1];
  const plot = new Plot(420, 400, { top: 10, right: 14, bottom: 46, left: 50 }, [0, 1], [0, 1], { xTicks: ticks, yTicks: ticks, className: 'rgs-roc' });
  plot.axes('1 − specificity (false positive rate)', 'sensitivity (true positive rate)', (v) => v.toFixed(1));
  plot.add(svgEl('path', { class: 'rgs-diagonal', d: plot.line([0, 1], [0, 1]) }));
  doc.curves.forEach((c, i) => {
    const s = `rgs-s${i % SERIES.length}`;
    if (c.band !== undefined && c.band.fpr.length > 0) plot.add(svgEl('path', { class: `rgs-band ${s}`, d: plot.band(c.band.fpr, c.band.lower, c.band.upper) }));
  });
  doc.curves.forEach((c, i) => {
    const s = `rgs-s${i % SERIES.length}`;
    const path = plot.add(svgEl('path', { class: `rgs-curve ${s}`, d: plot.line(c.fpr, c.tpr) }));
    path.append(svgEl('title', {}, `${c.label}: ${aucText(c)}`));
  });
  root.append(plot.svg);
  const legend = el('div', { class: 'rgs-legend' });
  doc.curves.forEach((c, i) => {
    const n = c.positives !== undefined && c.negatives !== undefined ? `, ${c.positives} positive / ${c.negatives} negative` : '';
    legend.append(el('span', { class: 'rgs-legend-item' }, el('span', { class: `rgs-chip rgs-swatch rgs-s${i % SERIES.length}`, style: 'background: var(--rgs-color)' }), `${c.label}: ${aucText(c)}${n}`));
  });
  root.append(legend);
  if (doc.curves.some((c) => c.band !== undefined)) root.append(el('div', { class: 'rgs-note' }, 'Shaded: pointwise confidence band of the sensitivity.'));
}

export const activate: ActivationFunction = () => ({
  renderOutputItem(item, element) {
    const root = rootIn(element, 'roc');
    const doc = documentOf<RocJson>(ROC_MIME, item.json(), root);
    if (doc !== null) renderRoc(doc, root);
  },
});
