/**
 * Renderer of application/vnd.radiogenomics.feature-table+json: the cohort feature table, one row
 * per subject. Each column header shows the feature's name, its IBSI identifier and aggregation,
 * the sequence and ROI, and a sparkline of the column's distribution over the subjects. Clicking
 * a header sorts the rows (again: descending; missing values always last). The column filter
 * keeps the columns whose name, IBSI code, family, feature or aggregation contain every word
 * typed (e.g. `T1 whole_tumour glcm` or `QCFX`); the row filter matches subject ids.
 */
import { FEATURE_TABLE_MIME, type FeatureColumnJson, type FeatureTableJson } from '../../src/kernel/mime-types';
import { documentOf, el, fmt, rootIn, svgEl, title } from './dom';
import type { ActivationFunction } from './renderer-api';
import { r } from './svg-chart';

/** Columns and rows drawn at most (the filters reach the others). */
export const MAX_COLUMNS = 60;
export const MAX_ROWS = 500;

const SPARK_W = 84;
const SPARK_H = 18;
const SPARK_BINS = 14;

/** A histogram of the column's finite values as a small SVG (null for a non-numeric column). */
export function sparkline(values: readonly (number | string | null)[]): SVGSVGElement | null {
  const xs = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  if (xs.length === 0) return null;
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of xs) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const counts = new Array<number>(SPARK_BINS).fill(0);
  for (const v of xs) counts[hi > lo ? Math.min(SPARK_BINS - 1, Math.floor(((v - lo) / (hi - lo)) * SPARK_BINS)) : Math.floor(SPARK_BINS / 2)]++;
  const max = Math.max(...counts);
  const svg = svgEl('svg', { class: 'rgs-spark', width: SPARK_W, height: SPARK_H, viewBox: `0 0 ${SPARK_W} ${SPARK_H}` });
  const w = SPARK_W / SPARK_BINS;
  counts.forEach((c, i) => {
    if (c === 0) return;
    const h = Math.max(1, (c / max) * (SPARK_H - 1));
    svg.append(svgEl('rect', { x: r(i * w + 0.5), y: r(SPARK_H - h), width: r(w - 1), height: r(h) }));
  });
  svg.append(svgEl('title', {}, `${xs.length} values from ${fmt(lo)} to ${fmt(hi)}`));
  return svg;
}

function searchText(c: FeatureColumnJson): string {
  return [c.name, c.ibsi, c.family, c.feature, c.aggregation, c.sequence, c.roi].filter((s) => s !== undefined).join(' ').toLowerCase();
}

/** Indices of the columns matching every whitespace-separated word of `query`. */
export function filterColumns(columns: readonly FeatureColumnJson[], query: string): number[] {
  const words = query.toLowerCase().split(/\s+/).filter((w) => w !== '');
  const out: number[] = [];
  columns.forEach((c, i) => {
    const text = searchText(c);
    if (words.every((w) => text.includes(w))) out.push(i);
  });
  return out;
}

/** Row order sorted by a column: numbers numerically, text alphabetically, missing values last. */
export function sortRows(column: FeatureColumnJson, rows: readonly number[], direction: 1 | -1): number[] {
  return [...rows].sort((a, b) => {
    const va = column.values[a];
    const vb = column.values[b];
    if (va === null || vb === null) return va === vb ? a - b : va === null ? 1 : -1;
    const c = typeof va === 'number' && typeof vb === 'number' ? va - vb : String(va).localeCompare(String(vb));
    return c !== 0 ? direction * c : a - b;
  });
}

function header(c: FeatureColumnJson, sorted: 1 | -1 | 0): HTMLTableCellElement {
  const name = c.feature !== undefined ? c.feature : c.name;
  const where = c.sequence !== undefined && c.roi !== undefined ? `${c.sequence} · ${c.roi}` : '';
  const code = [c.ibsi, c.aggregation].filter((s) => s !== undefined && s !== '').join(' · ');
  const th = el('th', { title: `${c.name}${c.ibsi ? `\nIBSI ${c.ibsi}` : ''}\nclick to sort`, 'data-column': c.name, 'aria-sort': sorted === 1 ? 'ascending' : sorted === -1 ? 'descending' : 'none' });
  th.append(el('div', { class: 'rgs-col-name' }, `${name}${sorted === 1 ? ' ▲' : sorted === -1 ? ' ▼' : ''}`));
  if (where !== '') th.append(el('div', { class: 'rgs-ibsi rgs-where' }, where));
  if (code !== '') th.append(el('div', { class: 'rgs-ibsi rgs-code' }, code));
  const spark = sparkline(c.values);
  if (spark !== null) th.append(spark);
  return th;
}

export function renderFeatureTable(doc: FeatureTableJson, root: HTMLElement): void {
  title(root, doc.title);
  const colFilter = el('input', { class: 'rgs-col-filter', type: 'search', placeholder: 'filter columns: name, IBSI code, family, ROI…', 'aria-label': 'filter columns' });
  const rowFilter = el('input', { class: 'rgs-row-filter', type: 'search', placeholder: `filter ${doc.rowLabel ?? 'rows'}`, 'aria-label': 'filter rows' });
  const count = el('span', { class: 'rgs-count rgs-muted' });
  root.append(el('div', { class: 'rgs-controls' }, colFilter, rowFilter, count));
  const table = el('table', { class: 'rgs-table' });
  root.append(el('div', { class: 'rgs-table-wrap' }, table));
  if (doc.note !== undefined) root.append(el('div', { class: 'rgs-note' }, doc.note));

  let sortCol: number | null = null;
  let sortDir: 1 | -1 = 1;
  const draw = () => {
    const cols = filterColumns(doc.columns, colFilter.value);
    const shownCols = cols.slice(0, MAX_COLUMNS);
    const q = rowFilter.value.trim().toLowerCase();
    let rows = doc.rows.map((_, i) => i).filter((i) => q === '' || doc.rows[i].toLowerCase().includes(q));
    if (sortCol !== null) rows = sortRows(doc.columns[sortCol], rows, sortDir);
    const shownRows = rows.slice(0, MAX_ROWS);
    const head = el('tr');
    head.append(el('th', { class: 'rgs-key' }, doc.rowLabel ?? 'row'));
    for (const ci of shownCols) {
      const th = header(doc.columns[ci], sortCol === ci ? sortDir : 0);
      th.addEventListener('click', () => {
        if (sortCol === ci) sortDir = sortDir === 1 ? -1 : 1;
        else {
          sortCol = ci;
          sortDir = 1;
        }
        draw();
      });
      head.append(th);
    }
    const body = el('tbody');
    for (const ri of shownRows) {
      const tr = el('tr');
      tr.append(el('td', { class: 'rgs-key' }, doc.rows[ri]));
      for (const ci of shownCols) {
        const v = doc.columns[ci].values[ri];
        tr.append(v === null ? el('td', { class: 'rgs-missing' }, '—') : el('td', {}, typeof v === 'number' ? fmt(v, 5) : v));
      }
      body.append(tr);
    }
    table.replaceChildren(el('thead', {}, head), body);
    const totalCols = doc.totalColumns ?? doc.columns.length;
    const totalRows = doc.totalRows ?? doc.rows.length;
    count.textContent =
      `${shownRows.length} of ${totalRows} ${doc.rowLabel === 'subject_id' ? 'subjects' : 'rows'}, ` +
      `${shownCols.length} of ${totalCols} columns` +
      (cols.length > shownCols.length ? ` (${cols.length} match: refine the filter)` : '');
  };
  colFilter.addEventListener('input', draw);
  rowFilter.addEventListener('input', draw);
  draw();
}

export const activate: ActivationFunction = () => ({
  renderOutputItem(item, element) {
    const root = rootIn(element, 'feature-table');
    const doc = documentOf<FeatureTableJson>(FEATURE_TABLE_MIME, item.json(), root);
    if (doc !== null) renderFeatureTable(doc, root);
  },
});
