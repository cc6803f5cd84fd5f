/**
 * DOM helpers shared by the renderers: element builders, the stylesheet (theme-aware through
 * the CSS variables VS Code sets on notebook output webviews, with fallbacks so a standalone
 * page renders too), number formatting, and the error box shown for a document that does not
 * match its schema.
 */
import { checkMimeDocument } from '../../src/kernel/mime-types';

export const SVG_NS = 'http://www.w3.org/2000/svg';

type Attrs = Record<string, string | number | undefined>;

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) e.setAttribute(k, String(v));
  for (const c of children) e.append(c);
  return e;
}

export function svgEl<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Node | string)[]): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) e.setAttribute(k, String(v));
  for (const c of children) e.append(c);
  return e;
}

/** Short, readable numbers: 4 significant digits, exponent form for very large or small ones. */
export function fmt(v: number | null | undefined, digits = 4): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e6 || a < 1e-3) return v.toExponential(digits - 1).replace(/\.?0+e/, 'e');
  return String(Number(v.toPrecision(digits)));
}

/** A p-value as journals print it. */
export function fmtP(p: number): string {
  if (!Number.isFinite(p)) return '—';
  if (p < 0.001) return '< 0.001';
  return p < 0.01 ? p.toFixed(3) : p.toFixed(2);
}

const STYLE_ID = 'rgs-renderer-style';

/** Series colours: VS Code's chart palette, so they follow the theme. */
export const SERIES = ['blue', 'orange', 'green', 'purple', 'red', 'yellow'];

const CSS = `
.rgs-root { font-family: var(--vscode-font-family, system-ui, sans-serif); font-size: var(--vscode-font-size, 13px); color: var(--vscode-foreground, #333); }
.rgs-title { font-weight: 600; margin: 4px 0 6px; }
.rgs-note, .rgs-muted { color: var(--vscode-descriptionForeground, #717171); font-size: 0.92em; }
.rgs-error { color: var(--vscode-errorForeground, #c00); white-space: pre-wrap; }
.rgs-chart { width: 100%; max-width: 620px; height: auto; display: block; overflow: visible; }
.rgs-chart text { fill: var(--vscode-foreground, #333); font-size: 11px; }
.rgs-chart .rgs-axis-title { font-size: 11.5px; }
.rgs-axis, .rgs-tick { stroke: var(--vscode-charts-lines, #8888); fill: none; shape-rendering: crispEdges; }
.rgs-grid { stroke: var(--vscode-charts-lines, #8888); stroke-opacity: 0.25; fill: none; shape-rendering: crispEdges; }
.rgs-diagonal { stroke: var(--vscode-charts-lines, #888); stroke-dasharray: 4 3; fill: none; }
.rgs-curve { fill: none; stroke-width: 2; }
.rgs-band { stroke: none; fill-opacity: 0.18; }
.rgs-censor, .rgs-whisker { fill: none; stroke-width: 1.4; }
.rgs-point { stroke: var(--vscode-editor-background, #fff); stroke-width: 1; }
.rgs-threshold { stroke: var(--vscode-charts-lines, #888); stroke-dasharray: 3 3; }
${SERIES.map(
  (c, i) =>
    `.rgs-s${i} { --rgs-color: var(--vscode-charts-${c}, ${['#3794ff', '#d18616', '#89d185', '#b180d7', '#f14c4c', '#cca700'][i]}); }
.rgs-s${i}.rgs-curve, .rgs-s${i}.rgs-censor, .rgs-s${i}.rgs-whisker { stroke: var(--rgs-color); }
.rgs-s${i}.rgs-band, .rgs-s${i}.rgs-point, .rgs-s${i}.rgs-swatch { fill: var(--rgs-color); }`,
).join('\n')}
.rgs-bar.rgs-pos { fill: var(--vscode-charts-blue, #3794ff); }
.rgs-bar.rgs-neg { fill: var(--vscode-charts-orange, #d18616); }
.rgs-stability { fill: var(--vscode-charts-green, #89d185); }
.rgs-stability-bg { fill: var(--vscode-charts-lines, #8888); fill-opacity: 0.2; }
.rgs-hist { fill: var(--vscode-charts-lines, #888); fill-opacity: 0.45; }
.rgs-table-wrap { overflow: auto; max-height: 480px; border: 1px solid var(--vscode-panel-border, #8884); }
.rgs-table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
.rgs-table th, .rgs-table td { padding: 2px 8px; border-bottom: 1px solid var(--vscode-panel-border, #8883); white-space: nowrap; text-align: right; }
.rgs-table th { position: sticky; top: 0; background: var(--vscode-editor-background, #fff); font-weight: 600; cursor: pointer; vertical-align: bottom; }
.rgs-table th.rgs-key, .rgs-table td.rgs-key { text-align: left; position: sticky; left: 0; background: var(--vscode-editor-background, #fff); z-index: 1; }
.rgs-table th.rgs-key { z-index: 2; }
.rgs-table tbody tr:hover td { background: var(--vscode-list-hoverBackground, #8881); }
.rgs-table .rgs-ibsi { font-weight: normal; font-family: var(--vscode-editor-font-family, monospace); color: var(--vscode-descriptionForeground, #717171); font-size: 0.9em; }
.rgs-table .rgs-missing { color: var(--vscode-descriptionForeground, #999); }
.rgs-spark { display: block; margin-left: auto; }
.rgs-spark rect { fill: var(--vscode-charts-blue, #3794ff); fill-opacity: 0.7; }
.rgs-controls { display: flex; gap: 8px; align-items: center; margin: 4px 0 6px; flex-wrap: wrap; }
.rgs-controls input { background: var(--vscode-input-background, #fff); color: var(--vscode-input-foreground, #333); border: 1px solid var(--vscode-input-border, #8886); padding: 2px 6px; min-width: 220px; font: inherit; }
.rgs-legend { display: flex; gap: 12px; flex-wrap: wrap; margin-top: 4px; }
.rgs-chip { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 4px; vertical-align: middle; }
.rgs-volume canvas { width: 100%; max-width: 640px; height: 360px; display: block; background: var(--vscode-editor-background, #000); }
`;

/** Adds the renderers' stylesheet to the output document once. */
export function ensureStyles(doc: Document = document): void {
  if (doc.getElementById(STYLE_ID) !== null) return;
  const style = doc.createElement('style');
  style.id = STYLE_ID;
  style.textContent = CSS;
  doc.head.append(style);
}

/** Clears `element`, adds the stylesheet and returns a fresh root for the renderer. */
export function rootIn(element: HTMLElement, kind: string): HTMLDivElement {
  ensureStyles(element.ownerDocument);
  element.replaceChildren();
  const root = el('div', { class: `rgs-root rgs-${kind}` });
  element.append(root);
  return root;
}

/**
 * The output's document when it matches its schema, else null after showing why in `root`
 * (a document written by another program must fail visibly, not draw something wrong).
 */
export function documentOf<T>(mime: string, data: unknown, root: HTMLElement): T | null {
  const problem = checkMimeDocument(mime, data);
  if (problem === null) return data as T;
  root.append(el('div', { class: 'rgs-error' }, `Cannot draw this ${mime} output: ${problem}.`));
  return null;
}

export function title(root: HTMLElement, text: string | undefined): void {
  if (text !== undefined && text !== '') root.append(el('div', { class: 'rgs-title' }, text));
}
