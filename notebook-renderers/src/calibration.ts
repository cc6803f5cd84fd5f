/**
 * Renderer of application/vnd.radiogenomics.calibration+json: observed against predicted risk
 * per group of subjects, with the ideal diagonal, interval whiskers, a histogram of the group
 * sizes under the plot, and each series' slope, calibration-in-the-large and Brier score.
 */
import { CALIBRATION_MIME, type CalibrationJson, type CalibrationSeriesJson } from '../../src/kernel/mime-types';
import { documentOf, el, fmt, rootIn, SERIES, svgEl, title } from './dom';
import type { ActivationFunction } from './renderer-api';
import { Plot, r } from './svg-chart';

export function statsText(s: CalibrationSeriesJson): string {
  const parts: string[] = [];
  if (s.slope !== undefined) parts.push(`slope ${fmt(s.slope, 3)}`);
  if (s.intercept !== undefined) parts.push(`calibration-in-the-large ${fmt(s.intercept, 3)}`);
  if (s.brier !== undefined) parts.push(`Brier ${fmt(s.brier, 3)}`);
  return parts.join(', ');
}

export function renderCalibration(doc: CalibrationJson, root: HTMLElement): void {
  title(root, doc.title);
  const ticks = [0, 0.2, 0.4, 0.6, 0.8, 1];
  const histHeight = 40;
  // The plot, then a strip for the histogram of group sizes, then the x axis.
  const plot = new Plot(420, 440, { top: 10, right: 14, bottom: 46, left: 50 }, [0, 1], [0, 1], { xTicks: ticks, yTicks: ticks, className: 'rgs-calibration', plotHeight: 440 - 10 - 46 - histHeight - 8 });
  plot.axes('predicted probability', 'observed proportion', (v) => v.toFixed(1), plot.bottom + 8 + histHeight);
  plot.add(svgEl('path', { class: 'rgs-diagonal', d: plot.line([0, 1], [0, 1]) }));

  const maxN = Math.max(1, ...doc.series.flatMap((s) => s.bins.map((b) => b.n)));
  const histTop = plot.bottom + 8;
  const barW = 6;
  doc.series.forEach((s, i) => {
    const cls = `rgs-s${i % SERIES.length}`;
    const offset = (i - (doc.series.length - 1) / 2) * barW;
    for (const b of s.bins) {
      const h = (b.n / maxN) * histHeight;
      plot.add(svgEl('rect', { class: 'rgs-hist', x: r(plot.x(b.predicted) - barW / 2 + offset), y: r(histTop + histHeight - h), width: barW - 1, height: r(h) }));
    }
    for (const b of s.bins) {
      if (b.lower !== undefined && b.upper !== undefined) plot.add(svgEl('path', { class: `rgs-whisker ${cls}`, d: `M${r(plot.x(b.predicted))},${r(plot.y(b.lower))}V${r(plot.y(b.upper))}` }));
    }
    plot.add(svgEl('path', { class: `rgs-curve ${cls}`, d: plot.line(s.bins.map((b) => b.predicted), s.bins.map((b) => b.observed)) }));
    for (const b of s.bins) {
      const c = plot.add(svgEl('circle', { class: `rgs-point ${cls}`, cx: r(plot.x(b.predicted)), cy: r(plot.y(b.observed)), r: 4 }));
      c.append(svgEl('title', {}, `${s.label}: predicted ${fmt(b.predicted, 3)}, observed ${fmt(b.observed, 3)} (n = ${b.n})`));
    }
  });
  root.append(plot.svg);
  const legend = el('div', { class: 'rgs-legend' });
  doc.series.forEach((s, i) => {
    const stats = statsText(s);
    legend.append(el('span', {}, el('span', { class: `rgs-chip rgs-swatch rgs-s${i % SERIES.length}`, style: 'background: var(--rgs-color)' }), `${s.label}${stats ? `: ${stats}` : ''}`));
  });
  root.append(legend, el('div', { class: 'rgs-note' }, 'Points: groups of subjects by predicted risk (whiskers: confidence interval of the observed proportion); bars: subjects per group.'));
}

export const activate: ActivationFunction = () => ({
  renderOutputItem(item, element) {
    const root = rootIn(element, 'calibration');
    const doc = documentOf<CalibrationJson>(CALIBRATION_MIME, item.json(), root);
    if (doc !== null) renderCalibration(doc, root);
  },
});
