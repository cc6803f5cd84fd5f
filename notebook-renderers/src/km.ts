/**
 * Renderer of application/vnd.radiogenomics.km+json: Kaplan-Meier curves as step functions with
 * their pointwise confidence bands and censoring ticks, the numbers at risk under the plot
 * (aligned with the time axis, one row per group), medians and the log-rank test.
 */
import { KM_MIME, type KmGroupJson, type KmJson } from '../../src/kernel/mime-types';
import { documentOf, el, fmt, fmtP, rootIn, SERIES, svgEl, title } from './dom';
import type { ActivationFunction } from './renderer-api';
import { niceTicks, Plot, r } from './svg-chart';

/** The band of a step function as a closed path: steps along the upper limits, back along the lower. */
function stepBand(plot: Plot, g: KmGroupJson, xEnd: number): string | null {
  if (g.lower === undefined || g.upper === undefined) return null;
  const xs: number[] = [];
  const lo: number[] = [];
  const hi: number[] = [];
  // Before the first time S = 1 with no uncertainty; each limit holds until the next time.
  let prevLo = 1;
  let prevHi = 1;
  xs.push(0);
  lo.push(1);
  hi.push(1);
  for (let i = 0; i < g.time.length; i++) {
    const l = g.lower[i];
    const u = g.upper[i];
    if (l === null || u === null || l === undefined || u === undefined) break;
    xs.push(g.time[i], g.time[i]);
    lo.push(prevLo, l);
    hi.push(prevHi, u);
    prevLo = l;
    prevHi = u;
  }
  if (xs.length < 2) return null;
  const last = g.time.length > 0 ? Math.min(xEnd, g.time[g.time.length - 1]) : xEnd;
  xs.push(last);
  lo.push(prevLo);
  hi.push(prevHi);
  return plot.band(xs, lo, hi);
}

/** S(t) of a group's step function. */
export function survivalAt(g: KmGroupJson, t: number): number {
  let s = 1;
  for (let i = 0; i < g.time.length && g.time[i] <= t; i++) s = g.survival[i];
  return s;
}

export function renderKm(doc: KmJson, root: HTMLElement): void {
  title(root, doc.title);
  const unit = doc.timeUnit ?? 'time';
  const maxTime = Math.max(...doc.groups.map((g) => (g.time.length > 0 ? g.time[g.time.length - 1] : 0)), ...(doc.atRisk?.times ?? [0]));
  const xTicks = doc.atRisk !== undefined && doc.atRisk.times.length > 1 ? doc.atRisk.times : niceTicks(0, maxTime > 0 ? maxTime : 1);
  const xMax = Math.max(maxTime, xTicks[xTicks.length - 1] ?? 0, 1e-9);
  const rowH = 16;
  const nGroups = doc.groups.length;
  const tableH = doc.atRisk !== undefined ? 22 + rowH * nGroups : 0;
  const height = 330 + tableH;
  const left = 96;
  const plot = new Plot(560, height, { top: 10, right: 16, bottom: 46 + tableH, left }, [0, xMax], [0, 1], {
    xTicks,
    yTicks: [0, 0.2, 0.4, 0.6, 0.8, 1],
    className: 'rgs-km',
  });
  plot.axes(`time (${unit})`, 'survival probability', (v) => fmt(v, 3));
  doc.groups.forEach((g, i) => {
    const band = stepBand(plot, g, xMax);
    if (band !== null) plot.add(svgEl('path', { class: `rgs-band rgs-s${i % SERIES.length}`, d: band }));
  });
  doc.groups.forEach((g, i) => {
    const cls = `rgs-s${i % SERIES.length}`;
    const end = g.censored !== undefined && g.censored.length > 0 ? Math.max(g.time[g.time.length - 1] ?? 0, ...g.censored) : (g.time[g.time.length - 1] ?? 0);
    const curve = plot.add(svgEl('path', { class: `rgs-curve ${cls}`, d: plot.steps(0, 1, g.time, g.survival, end) }));
    curve.append(svgEl('title', {}, g.label));
    if (g.censored !== undefined && g.censored.length > 0) {
      let d = '';
      for (const t of g.censored) {
        const x = r(plot.x(t));
        const y = r(plot.y(survivalAt(g, t)));
        d += `M${x},${y - 4}V${y + 4}`;
      }
      plot.add(svgEl('path', { class: `rgs-censor ${cls}`, d }));
    }
  });
  if (doc.atRisk !== undefined) {
    const g = plot.add(svgEl('g', { class: 'rgs-at-risk' }));
    const top = plot.bottom + 46;
    g.append(svgEl('text', { class: 'rgs-axis-title', x: 4, y: top }, 'Number at risk'));
    doc.groups.forEach((grp, gi) => {
      const y = top + rowH * (gi + 1);
      g.append(svgEl('text', { class: `rgs-at-risk-label`, x: 4, y }, grp.label.length > 14 ? `${grp.label.slice(0, 13)}…` : grp.label));
      doc.atRisk?.times.forEach((t, ti) => {
        const count = doc.atRisk?.counts[gi][ti] ?? 0;
        g.append(svgEl('text', { class: `rgs-at-risk-count rgs-s${gi % SERIES.length}`, 'data-group': gi, x: r(plot.x(t)), y, 'text-anchor': 'middle' }, fmt(count, 4)));
      });
    });
  }
  root.append(plot.svg);
  const legend = el('div', { class: 'rgs-legend' });
  doc.groups.forEach((g, i) => {
    const parts: string[] = [];
    if (g.n !== undefined) parts.push(`n = ${fmt(g.n)}`);
    if (g.events !== undefined) parts.push(`${fmt(g.events)} events`);
    if (g.median !== undefined) parts.push(g.median === null ? 'median not reached' : `median ${fmt(g.median, 3)} ${unit}`);
    legend.append(el('span', {}, el('span', { class: `rgs-chip rgs-swatch rgs-s${i % SERIES.length}`, style: 'background: var(--rgs-color)' }), `${g.label}${parts.length > 0 ? ` (${parts.join(', ')})` : ''}`));
  });
  root.append(legend);
  if (doc.logRank !== undefined) {
    root.append(el('div', { class: 'rgs-note rgs-logrank' }, `Log-rank test: χ² = ${fmt(doc.logRank.chiSquare, 3)}, df = ${doc.logRank.df}, p ${fmtP(doc.logRank.p).startsWith('<') ? fmtP(doc.logRank.p) : `= ${fmtP(doc.logRank.p)}`}`));
  }
}

export const activate: ActivationFunction = () => ({
  renderOutputItem(item, element) {
    const root = rootIn(element, 'km');
    const doc = documentOf<KmJson>(KM_MIME, item.json(), root);
    if (doc !== null) renderKm(doc, root);
  },
});
