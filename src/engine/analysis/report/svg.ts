/**
 * Inline SVG charts for the self-contained report: an x/y plot (lines, step functions, shaded
 * bands, points with error bars, extra text rows under the axis) and horizontal bar charts. No
 * script, no external resource (inline SVG in HTML needs no namespace declaration), fixed
 * number formatting, so the same results always give the same markup.
 */

import { esc } from '../../util/html';

export const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf'];

/** Coordinates with two decimals (enough for a few hundred pixels; keeps the markup short). */
function c(v: number): string {
  return (Math.round(v * 100) / 100).toFixed(2).replace(/\.?0+$/, '') || '0';
}

export interface Axis {
  min: number;
  max: number;
  ticks: number[];
  label: string;
  format?: (v: number) => string;
}

export interface Series {
  name: string;
  color: string;
  points: [number, number][];
  /** Draw as a right-continuous step function (Kaplan–Meier). */
  step?: boolean;
  dash?: string;
  width?: number;
  /** x positions of tick marks on the curve (censored observations). */
  ticks?: number[];
}

export interface Band {
  color: string;
  /** Upper and lower edges at the same x values. */
  x: number[];
  lower: number[];
  upper: number[];
  step?: boolean;
}

export interface Marker {
  x: number;
  y: number;
  /** Vertical error bar. */
  low?: number;
  high?: number;
  color: string;
  /** Radius; scaled by e.g. bin size. */
  r?: number;
}

export interface TextRow {
  label: string;
  color: string;
  /** Values at the x-axis ticks. */
  values: string[];
  at: number[];
}

export interface PlotOptions {
  title: string;
  width?: number;
  height?: number;
  x: Axis;
  y: Axis;
  series?: Series[];
  bands?: Band[];
  markers?: Marker[];
  /** Draw the y = x diagonal (ROC chance line, perfect calibration). */
  diagonal?: boolean;
  /** Rows of numbers under the x axis (numbers at risk). */
  rows?: TextRow[];
  rowsTitle?: string;
  legend?: boolean;
  /** Corner of the legend inside the plot (default top-right). */
  legendAt?: 'top-right' | 'bottom-right';
}

const FONT = 'font-family="system-ui, sans-serif" font-size="11"';

export function plot(o: PlotOptions): string {
  const width = o.width ?? 420;
  const plotH = o.height ?? 300;
  const left = 52;
  const right = 12;
  const top = 24;
  const bottom = 40;
  const rowsH = o.rows !== undefined && o.rows.length > 0 ? 18 * (o.rows.length + 1) + 6 : 0;
  const height = top + plotH + bottom + rowsH;
  const w = width - left - right;
  const sx = (v: number): number => left + ((v - o.x.min) / (o.x.max - o.x.min || 1)) * w;
  const sy = (v: number): number => top + plotH - ((v - o.y.min) / (o.y.max - o.y.min || 1)) * plotH;
  const fx = o.x.format ?? ((v: number) => String(v));
  const fy = o.y.format ?? ((v: number) => String(v));
  const parts: string[] = [];
  parts.push(`<svg width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${esc(o.title)}" ${FONT}>`);
  parts.push(`<title>${esc(o.title)}</title>`);
  parts.push(`<rect x="${left}" y="${top}" width="${c(w)}" height="${plotH}" fill="#fff" stroke="#999"/>`);
  for (const t of o.x.ticks) {
    const x = sx(t);
    parts.push(`<line x1="${c(x)}" y1="${top}" x2="${c(x)}" y2="${top + plotH}" stroke="#eee"/>`);
    parts.push(`<text x="${c(x)}" y="${top + plotH + 14}" text-anchor="middle">${esc(fx(t))}</text>`);
  }
  for (const t of o.y.ticks) {
    const y = sy(t);
    parts.push(`<line x1="${left}" y1="${c(y)}" x2="${c(left + w)}" y2="${c(y)}" stroke="#eee"/>`);
    parts.push(`<text x="${left - 6}" y="${c(y + 4)}" text-anchor="end">${esc(fy(t))}</text>`);
  }
  parts.push(`<text x="${c(left + w / 2)}" y="${top + plotH + 30}" text-anchor="middle">${esc(o.x.label)}</text>`);
  parts.push(`<text transform="translate(13 ${c(top + plotH / 2)}) rotate(-90)" text-anchor="middle">${esc(o.y.label)}</text>`);
  parts.push(`<text x="${left}" y="15" font-weight="600">${esc(o.title)}</text>`);
  if (o.diagonal) parts.push(`<line x1="${c(sx(o.x.min))}" y1="${c(sy(o.y.min))}" x2="${c(sx(o.x.max))}" y2="${c(sy(o.y.max))}" stroke="#aaa" stroke-dasharray="4 3"/>`);
  for (const b of o.bands ?? []) {
    const up: [number, number][] = [];
    const lo: [number, number][] = [];
    b.x.forEach((x, i) => {
      if (!Number.isFinite(b.lower[i]) || !Number.isFinite(b.upper[i])) return;
      if (b.step && up.length > 0) {
        up.push([x, up[up.length - 1][1]]);
        lo.push([x, lo[lo.length - 1][1]]);
      }
      up.push([x, b.upper[i]]);
      lo.push([x, b.lower[i]]);
    });
    if (up.length < 2) continue;
    const pts = [...up, ...lo.reverse()].map(([x, y]) => `${c(sx(x))},${c(sy(y))}`).join(' ');
    parts.push(`<polygon points="${pts}" fill="${b.color}" fill-opacity="0.15" stroke="none"/>`);
  }
  for (const s of o.series ?? []) {
    if (s.points.length === 0) continue;
    const pts: [number, number][] = [];
    s.points.forEach(([x, y], i) => {
      if (s.step && i > 0) pts.push([x, s.points[i - 1][1]]);
      pts.push([x, y]);
    });
    const d = pts.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${c(sx(x))} ${c(sy(y))}`).join('');
    parts.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="${s.width ?? 2}"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}/>`);
    for (const t of s.ticks ?? []) {
      // The curve's value at t: the last point at or before t.
      let y = s.points[0][1];
      for (const [px, py] of s.points) if (px <= t) y = py;
      parts.push(`<line x1="${c(sx(t))}" y1="${c(sy(y) - 4)}" x2="${c(sx(t))}" y2="${c(sy(y) + 4)}" stroke="${s.color}"/>`);
    }
  }
  for (const m of o.markers ?? []) {
    if (m.low !== undefined && m.high !== undefined && Number.isFinite(m.low) && Number.isFinite(m.high)) {
      parts.push(`<line x1="${c(sx(m.x))}" y1="${c(sy(m.low))}" x2="${c(sx(m.x))}" y2="${c(sy(m.high))}" stroke="${m.color}"/>`);
    }
    parts.push(`<circle cx="${c(sx(m.x))}" cy="${c(sy(m.y))}" r="${c(m.r ?? 4)}" fill="${m.color}" fill-opacity="0.8"/>`);
  }
  if (o.legend !== false) {
    const named = (o.series ?? []).filter((s) => s.name !== '');
    const firstY = o.legendAt === 'bottom-right' ? top + plotH - 8 - 15 * (named.length - 1) : top + 14;
    const labelW = Math.max(60, ...named.map((s) => 6.2 * s.name.length));
    if (named.length > 0) {
      parts.push(`<rect x="${c(left + w - labelW - 38)}" y="${c(firstY - 13)}" width="${c(labelW + 34)}" height="${15 * named.length + 4}" fill="#fff" fill-opacity="0.85"/>`);
    }
    named.forEach((s, i) => {
      const y = firstY + 15 * i;
      const x = left + w - labelW - 32;
      parts.push(`<line x1="${c(x)}" y1="${y - 4}" x2="${c(x + 18)}" y2="${y - 4}" stroke="${s.color}" stroke-width="3"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}/>`);
      parts.push(`<text x="${c(x + 24)}" y="${y}">${esc(s.name)}</text>`);
    });
  }
  if (o.rows !== undefined && o.rows.length > 0) {
    const y0 = top + plotH + bottom + 4;
    parts.push(`<text x="${left}" y="${y0 + 10}" font-weight="600">${esc(o.rowsTitle ?? '')}</text>`);
    o.rows.forEach((r, i) => {
      const y = y0 + 18 * (i + 1) + 10;
      parts.push(`<text x="4" y="${y}" fill="${r.color}">${esc(r.label)}</text>`);
      r.at.forEach((t, k) => parts.push(`<text x="${c(sx(t))}" y="${y}" text-anchor="middle" fill="${r.color}">${esc(r.values[k])}</text>`));
    });
  }
  parts.push('</svg>');
  return parts.join('');
}

export interface Bar {
  label: string;
  value: number;
  color?: string;
}

/** Horizontal bars from 0 (negative values to the left of a centre line when any is negative). */
export function barChart(title: string, bars: readonly Bar[], opts: { width?: number; format?: (v: number) => string; max?: number } = {}): string {
  const width = opts.width ?? 640;
  const rowH = 16;
  const labelW = Math.min(330, Math.max(80, ...bars.map((b) => 6.2 * b.label.length)));
  const top = 24;
  const height = top + rowH * bars.length + 10;
  const fmt = opts.format ?? ((v: number) => v.toPrecision(3));
  const hasNeg = bars.some((b) => b.value < 0);
  const maxAbs = opts.max ?? Math.max(1e-12, ...bars.map((b) => Math.abs(b.value)));
  // Room for the value text on each side that has bars.
  const plotW = width - labelW - 8 - (hasNeg ? 120 : 60);
  const zero = labelW + 8 + (hasNeg ? 60 + plotW / 2 : 0);
  const scale = (hasNeg ? plotW / 2 : plotW) / maxAbs;
  const parts: string[] = [`<svg width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${esc(title)}" ${FONT}>`];
  parts.push(`<title>${esc(title)}</title>`);
  parts.push(`<text x="4" y="15" font-weight="600">${esc(title)}</text>`);
  bars.forEach((b, i) => {
    const y = top + i * rowH;
    const len = Math.abs(b.value) * scale;
    const x = b.value < 0 ? zero - len : zero;
    parts.push(`<text x="${labelW}" y="${y + 12}" text-anchor="end">${esc(b.label)}</text>`);
    parts.push(`<rect x="${c(x)}" y="${y + 2}" width="${c(Math.max(0.5, len))}" height="${rowH - 4}" fill="${b.color ?? PALETTE[0]}"/>`);
    const tx = b.value < 0 ? x - 4 : x + len + 4;
    parts.push(`<text x="${c(tx)}" y="${y + 12}" text-anchor="${b.value < 0 ? 'end' : 'start'}">${esc(fmt(b.value))}</text>`);
  });
  parts.push(`<line x1="${c(zero)}" y1="${top}" x2="${c(zero)}" y2="${top + rowH * bars.length}" stroke="#666"/>`);
  parts.push('</svg>');
  return parts.join('');
}

/** Round tick positions covering [lo, hi] (about five). */
function niceTicks(lo: number, hi: number): number[] {
  const span = hi - lo || 1;
  const raw = span / 5;
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let k = Math.ceil(lo / step - 1e-9); k * step <= hi + 1e-9 * span; k++) out.push(Number((k * step).toPrecision(12)));
  return out;
}

/**
 * The GSEA enrichment plot of one gene set: the running sum along the ranked list (corners
 * x, y: linear in between), a dashed line at its extreme (the ES) and, under the axis, a
 * barcode of the set's genes (`hits`, 0-based ranks) in a list of `n` genes.
 */
export function runningSumChart(title: string, x: readonly number[], y: readonly number[], hits: readonly number[], n: number, color = PALETTE[0]): string {
  const width = 460;
  const left = 52;
  const right = 12;
  const top = 24;
  const plotH = 170;
  const barH = 22;
  const height = top + plotH + 6 + barH + 34;
  const w = width - left - right;
  const lo = Math.min(0, ...y);
  const hi = Math.max(0, ...y);
  const pad = 0.05 * (hi - lo || 1);
  const ymin = lo - pad;
  const ymax = hi + pad;
  const sx = (v: number): number => left + (v / (n || 1)) * w;
  const sy = (v: number): number => top + plotH - ((v - ymin) / (ymax - ymin)) * plotH;
  const parts: string[] = [`<svg width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${esc(title)}" ${FONT}>`];
  parts.push(`<title>${esc(title)}</title>`);
  parts.push(`<text x="${left}" y="15" font-weight="600">${esc(title)}</text>`);
  parts.push(`<rect x="${left}" y="${top}" width="${c(w)}" height="${plotH}" fill="#fff" stroke="#999"/>`);
  for (const t of niceTicks(ymin, ymax)) {
    parts.push(`<line x1="${left}" y1="${c(sy(t))}" x2="${c(left + w)}" y2="${c(sy(t))}" stroke="${t === 0 ? '#888' : '#eee'}"/>`);
    parts.push(`<text x="${left - 6}" y="${c(sy(t) + 4)}" text-anchor="end">${esc(t.toFixed(2))}</text>`);
  }
  parts.push(`<text transform="translate(13 ${c(top + plotH / 2)}) rotate(-90)" text-anchor="middle">Running enrichment score</text>`);
  let peak = 0;
  for (let i = 1; i < y.length; i++) if (Math.abs(y[i]) > Math.abs(y[peak])) peak = i;
  if (y.length > 0) {
    parts.push(`<line x1="${c(sx(x[peak]))}" y1="${top}" x2="${c(sx(x[peak]))}" y2="${top + plotH}" stroke="#aaa" stroke-dasharray="4 3"/>`);
    const d = x.map((xv, i) => `${i === 0 ? 'M' : 'L'}${c(sx(xv))} ${c(sy(y[i]))}`).join('');
    parts.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="2"/>`);
  }
  const barTop = top + plotH + 6;
  parts.push(`<rect x="${left}" y="${barTop}" width="${c(w)}" height="${barH}" fill="#fff" stroke="#ccc"/>`);
  for (const h of hits) {
    const hx = sx(h + 0.5);
    parts.push(`<line x1="${c(hx)}" y1="${barTop + 2}" x2="${c(hx)}" y2="${barTop + barH - 2}" stroke="#222"/>`);
  }
  for (const t of niceTicks(0, n)) {
    if (t > n) continue;
    parts.push(`<text x="${c(sx(t))}" y="${barTop + barH + 13}" text-anchor="middle">${esc(String(t))}</text>`);
  }
  parts.push(`<text x="${c(left + w / 2)}" y="${barTop + barH + 28}" text-anchor="middle">Rank in the ordered gene list</text>`);
  parts.push('</svg>');
  return parts.join('');
}
