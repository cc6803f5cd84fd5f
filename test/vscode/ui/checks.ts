/**
 * What the workbench UI test asserts about the pages the extension draws, as functions that
 * return the problem they found (null: none), so that the test can also show they fail when the
 * thing checked is missing (its negative controls).
 */
import type { Frame } from 'playwright-core';
import type { RgbaImage } from '../../webview/png';

/** IBSI feature identifiers are four characters of digits and capitals (e.g. Q4LE). */
export const IBSI_ID = /^[0-9A-Z]{4}$/;

export interface FeatureTableFacts {
  /** Column headers after the subject column: feature name and the IBSI identifier shown. */
  columns: { name: string; ibsi: string | null }[];
  /** Row keys (subject ids), in display order. */
  rows: string[];
}

/** What the feature-table renderer drew (null when there is no table in the page). */
export async function featureTableFacts(frame: Frame): Promise<FeatureTableFacts | null> {
  const table = frame.locator('.rgs-feature-table table.rgs-table').first();
  if ((await table.count()) === 0) return null;
  const columns = await table.locator('thead th[data-column]').evaluateAll((ths) =>
    ths.map((th) => {
      const code = th.querySelector('.rgs-code')?.textContent ?? '';
      return { name: (th.querySelector('.rgs-col-name')?.textContent ?? '').trim(), ibsi: code.split('·')[0].trim() || null };
    }),
  );
  const rows = await table.locator('tbody tr td.rgs-key').allInnerTexts();
  return { columns, rows: rows.map((r) => r.trim()) };
}

/** Null when the table shows one row per subject (in order) and IBSI identifiers in its header
 *  (at least `minColumns` columns, `mustInclude` among them). */
export function featureTableProblem(facts: FeatureTableFacts | null, subjects: readonly string[], minColumns: number, mustInclude: string): string | null {
  if (facts === null) return 'the notebook outputs hold no feature table (.rgs-feature-table table.rgs-table)';
  if (facts.columns.length < minColumns) return `the feature table has ${facts.columns.length} feature columns, fewer than ${minColumns}`;
  const bad = facts.columns.filter((c) => c.ibsi === null || !IBSI_ID.test(c.ibsi));
  if (bad.length > 0) return `columns without an IBSI identifier in their header: ${bad.map((c) => c.name).join(', ')}`;
  if (!facts.columns.some((c) => c.ibsi === mustInclude)) return `no column with IBSI identifier ${mustInclude}: ${facts.columns.map((c) => c.ibsi).join(' ')}`;
  if (facts.rows.join(',') !== subjects.join(',')) return `the rows are ${facts.rows.join(',')}, expected ${subjects.join(',')}`;
  return null;
}

export interface RocFacts {
  /** Curves drawn (path.rgs-curve) and the number of points of the first one. */
  curves: number;
  points: number;
  /** The legend's lines, e.g. "logistic: AUC 0.969 (95% CI 0.921–1.000, DeLong), 16 positive / 16 negative". */
  legend: string[];
  /** The AUC of the first legend line, or null. */
  auc: number | null;
}

/** What the ROC renderer drew (null when there is no ROC chart in the page). */
export async function rocFacts(frame: Frame): Promise<RocFacts | null> {
  const svg = frame.locator('.rgs-roc svg.rgs-chart').first();
  if ((await svg.count()) === 0) return null;
  const paths = await svg.locator('path.rgs-curve').evaluateAll((ps) => ps.map((p) => p.getAttribute('d') ?? ''));
  const legend = (await frame.locator('.rgs-roc .rgs-legend-item').allInnerTexts()).map((t) => t.trim());
  const m = /AUC (\d\.\d{3})/.exec(legend[0] ?? '');
  return {
    curves: paths.length,
    // "Mx,yLx,yLx,y...": one command per point.
    points: paths.length > 0 ? (paths[0].match(/[ML]/g) ?? []).length : 0,
    legend,
    auc: m ? Number(m[1]) : null,
  };
}

/** Pixels whose channels differ by at least `gap`: chart colour, not text, axes or background
 *  (grey in either theme). */
export function colouredPixels(img: RgbaImage, gap = 80): number {
  let n = 0;
  for (let i = 0; i < img.width * img.height; i++) {
    const r = img.data[4 * i];
    const g = img.data[4 * i + 1];
    const b = img.data[4 * i + 2];
    if (Math.max(r, g, b) - Math.min(r, g, b) >= gap) n++;
  }
  return n;
}

/** Null when a ROC curve with at least 3 points, its AUC at least `minAuc` in the legend, and
 *  at least `minColoured` coloured pixels (the curve and its band) in the chart's screenshot. */
export function rocProblem(facts: RocFacts | null, coloured: number, minAuc: number, minColoured = 300): string | null {
  if (facts === null) return 'the notebook outputs hold no ROC chart (.rgs-roc svg.rgs-chart)';
  if (facts.curves === 0) return 'the ROC chart has no curve (path.rgs-curve)';
  if (facts.points < 3) return `the ROC curve has ${facts.points} points`;
  if (facts.auc === null) return `no AUC in the ROC legend: ${JSON.stringify(facts.legend)}`;
  if (facts.auc < minAuc) return `AUC ${facts.auc} is below ${minAuc}`;
  if (coloured < minColoured) return `the ROC chart's screenshot has ${coloured} coloured pixels (< ${minColoured}): the curve is not on screen`;
  return null;
}
