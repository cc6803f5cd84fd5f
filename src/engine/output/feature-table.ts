/**
 * Serialising extracted features: the JSON document of `rgs extract` and a one-row-per-ROI CSV
 * whose column names encode family, feature and aggregation. A feature that is undefined for an
 * ROI (NaN internally, e.g. a variance ratio over a constant ROI) is written as JSON null / an
 * empty CSV cell and listed in the diagnostics — never as NaN.
 */
import type { FeatureValue } from '../features/types';

export interface RoiFeatures {
  /** ROI name, e.g. "label 1", "1+4" or a label-map name such as "tumour_core". */
  roi: string;
  features: FeatureValue[];
  diagnostics: Record<string, unknown>;
}

export interface FeatureRow {
  roi: string;
  family: string;
  feature: string;
  ibsi_code: string;
  aggregation: string;
  value: number | null;
  standardised: boolean;
}

function slug(s: string): string {
  return s
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/%/g, 'pct')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/** e.g. "cm.joint_maximum.3d_averaged", "morph.volume_mesh", "szm.small_zone_emphasis.2_5d". */
export function columnName(f: Pick<FeatureValue, 'family' | 'feature' | 'aggregation'>): string {
  const agg = f.aggregation === '' ? '' : '.' + slug(f.aggregation.replace('2.5D', '2_5D'));
  return `${f.family}.${slug(f.feature)}${agg}`;
}

export function toRows(results: readonly RoiFeatures[]): FeatureRow[] {
  const rows: FeatureRow[] = [];
  for (const r of results) {
    for (const f of r.features) {
      rows.push({
        roi: r.roi,
        family: f.family,
        feature: f.feature,
        ibsi_code: f.ibsi_code,
        aggregation: f.aggregation,
        value: Number.isFinite(f.value) ? f.value : null,
        standardised: f.standardised,
      });
    }
  }
  return rows;
}

/** The features each ROI could not define, for the diagnostics. */
export function undefinedFeatures(features: readonly FeatureValue[]): string[] {
  return features.filter((f) => !Number.isFinite(f.value)).map((f) => columnName(f));
}

export function toJson(results: readonly RoiFeatures[], extra: Record<string, unknown> = {}): string {
  const diagnostics: Record<string, unknown> = { ...extra };
  diagnostics.rois = results.map((r) => ({ roi: r.roi, ...r.diagnostics, undefined_features: undefinedFeatures(r.features) }));
  return JSON.stringify({ features: toRows(results), diagnostics }, null, 2) + '\n';
}

function csvCell(v: string): string {
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** Shortest decimal that reads back as the same double, so CSV round-trips exactly. */
function formatNumber(x: number): string {
  return Number.isFinite(x) ? String(x) : '';
}

export function toCsv(results: readonly RoiFeatures[]): string {
  const columns: string[] = [];
  const seen = new Set<string>();
  for (const r of results) {
    for (const f of r.features) {
      const c = columnName(f);
      if (!seen.has(c)) {
        seen.add(c);
        columns.push(c);
      }
    }
  }
  const lines = [['roi', ...columns].map(csvCell).join(',')];
  for (const r of results) {
    const byColumn = new Map(r.features.map((f) => [columnName(f), f.value]));
    const cells = columns.map((c) => {
      const v = byColumn.get(c);
      return v === undefined ? '' : formatNumber(v);
    });
    lines.push([csvCell(r.roi), ...cells].join(','));
  }
  return lines.join('\n') + '\n';
}
