/**
 * A small SVG plotting layer shared by the chart renderers: a plot area with linear scales,
 * axes with round ticks, grid lines, axis titles and path builders (lines, steps, bands).
 * Coordinates are SVG user units of a fixed viewBox; the SVG scales to the output's width.
 */
import { fmt, svgEl } from './dom';

export interface Margins {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

export interface Scale {
  (v: number): number;
  domain: [number, number];
  ticks: number[];
}

/** About `count` round numbers covering [lo, hi] (steps 1, 2, 2.5, 5 x 10^k). */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  const first = Math.ceil(lo / step - 1e-9) * step;
  for (let t = first; t <= hi + step * 1e-9; t += step) out.push(Number(t.toPrecision(12)));
  return out;
}

export function linearScale(domain: [number, number], range: [number, number], ticks?: number[]): Scale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  const f = ((v: number) => r0 + (v - d0) * k) as Scale;
  f.domain = domain;
  f.ticks = ticks ?? niceTicks(d0, d1);
  return f;
}

export class Plot {
  readonly svg: SVGSVGElement;
  readonly x: Scale;
  readonly y: Scale;
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;

  constructor(
    readonly width: number,
    readonly height: number,
    m: Margins,
    xDomain: [number, number],
    yDomain: [number, number],
    opts: { xTicks?: number[]; yTicks?: number[]; className?: string; plotHeight?: number } = {},
  ) {
    this.svg = svgEl('svg', { class: `rgs-chart ${opts.className ?? ''}`.trim(), viewBox: `0 0 ${width} ${height}`, role: 'img' });
    this.left = m.left;
    this.right = width - m.right;
    this.top = m.top;
    this.bottom = opts.plotHeight !== undefined ? m.top + opts.plotHeight : height - m.bottom;
    this.x = linearScale(xDomain, [this.left, this.right], opts.xTicks);
    this.y = linearScale(yDomain, [this.bottom, this.top], opts.yTicks);
  }

  add<T extends SVGElement>(e: T): T {
    this.svg.append(e);
    return e;
  }

  /**
   * Axes, ticks, tick labels, grid lines and axis titles. `xAxisAt` puts the x axis below the
   * plot area (e.g. under a strip drawn between them); default: at its bottom.
   */
  axes(xTitle: string, yTitle: string, tickFormat: (v: number) => string = (v) => fmt(v, 3), xAxisAt: number = this.bottom): void {
    const g = this.add(svgEl('g', { class: 'rgs-axes' }));
    for (const t of this.y.ticks) {
      const y = this.y(t);
      g.append(svgEl('path', { class: 'rgs-grid', d: `M${this.left},${y}H${this.right}` }));
      g.append(svgEl('text', { x: this.left - 6, y: y + 3.5, 'text-anchor': 'end' }, tickFormat(t)));
    }
    for (const t of this.x.ticks) {
      const x = this.x(t);
      g.append(svgEl('path', { class: 'rgs-tick', d: `M${x},${xAxisAt}v5` }));
      g.append(svgEl('text', { x, y: xAxisAt + 17, 'text-anchor': 'middle' }, tickFormat(t)));
    }
    g.append(svgEl('path', { class: 'rgs-axis', d: `M${this.left},${this.top}V${this.bottom}${xAxisAt !== this.bottom ? `M${this.left},${xAxisAt}` : ''}H${this.right}` }));
    g.append(svgEl('text', { class: 'rgs-axis-title', x: (this.left + this.right) / 2, y: xAxisAt + 34, 'text-anchor': 'middle' }, xTitle));
    const cy = (this.top + this.bottom) / 2;
    g.append(svgEl('text', { class: 'rgs-axis-title', x: 14, y: cy, 'text-anchor': 'middle', transform: `rotate(-90 14 ${cy})` }, yTitle));
  }

  /** "M x0,y0 L x1,y1 ..." through the points. */
  line(xs: readonly number[], ys: readonly number[]): string {
    let d = '';
    for (let i = 0; i < xs.length; i++) d += `${i === 0 ? 'M' : 'L'}${r(this.x(xs[i]))},${r(this.y(ys[i]))}`;
    return d;
  }

  /**
   * A right-continuous step function starting at (x0, y0): horizontal to each x, then vertical
   * to its y (Kaplan-Meier curves), ending at xEnd.
   */
  steps(x0: number, y0: number, xs: readonly number[], ys: readonly number[], xEnd: number): string {
    let d = `M${r(this.x(x0))},${r(this.y(y0))}`;
    for (let i = 0; i < xs.length; i++) d += `H${r(this.x(xs[i]))}V${r(this.y(ys[i]))}`;
    return d + `H${r(this.x(xEnd))}`;
  }

  /** A closed band between an upper and a lower line over the same xs. */
  band(xs: readonly number[], lower: readonly number[], upper: readonly number[]): string {
    if (xs.length === 0) return '';
    let d = '';
    for (let i = 0; i < xs.length; i++) d += `${i === 0 ? 'M' : 'L'}${r(this.x(xs[i]))},${r(this.y(upper[i]))}`;
    for (let i = xs.length - 1; i >= 0; i--) d += `L${r(this.x(xs[i]))},${r(this.y(lower[i]))}`;
    return d + 'Z';
  }
}

/** Two decimals are plenty in a viewBox of a few hundred units, and keep the markup small. */
export function r(v: number): number {
  return Math.round(v * 100) / 100;
}
