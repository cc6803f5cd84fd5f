/**
 * The JSON documents behind the notebook's output MIME types: what the kernel emits and what
 * the renderers in notebook-renderers/ draw. Each document is self-contained (a renderer needs
 * nothing else), so any program (a Python notebook, a report script) can emit the same MIME type
 * and get the same rendering. docs/notebook-mime-types.md documents the schemas for those
 * programs; keep the two in step.
 *
 * Every document carries `version: 1`; fields may be added, never renamed or re-typed.
 *
 * Pure data: imported by the kernel (Node), the extension host and the renderers (browser).
 */

export const FEATURE_TABLE_MIME = 'application/vnd.radiogenomics.feature-table+json';
export const ROC_MIME = 'application/vnd.radiogenomics.roc+json';
export const CALIBRATION_MIME = 'application/vnd.radiogenomics.calibration+json';
export const KM_MIME = 'application/vnd.radiogenomics.km+json';
export const COEFFICIENTS_MIME = 'application/vnd.radiogenomics.coefficients+json';
export const VOLUME_MIME = 'application/vnd.radiogenomics.volume+json';

export const RADIOGENOMICS_MIME_TYPES = [FEATURE_TABLE_MIME, ROC_MIME, CALIBRATION_MIME, KM_MIME, COEFFICIENTS_MIME, VOLUME_MIME] as const;

// ---- feature table -----------------------------------------------------------------------------

/** One column of a feature table; `values` has one entry per row (null: missing / undefined). */
export interface FeatureColumnJson {
  /** Full column name, e.g. "T1.whole_tumour.cm.joint_maximum.3d_averaged". */
  name: string;
  values: (number | string | null)[];
  /** IBSI identifier of the feature (e.g. "GYBY"), when the column is an IBSI feature. */
  ibsi?: string;
  /** IBSI family code (morph, stat, cm, ...), feature name and aggregation as in the IBSI tables. */
  family?: string;
  feature?: string;
  aggregation?: string;
  sequence?: string;
  roi?: string;
}

export interface FeatureTableJson {
  version: 1;
  title?: string;
  /** Header of the row-key column (default "subject_id"). */
  rowLabel?: string;
  /** Row keys (subject ids), in display order. */
  rows: string[];
  columns: FeatureColumnJson[];
  /** Size of the table this document was cut from, when it holds only a part of it. */
  totalRows?: number;
  totalColumns?: number;
  /** One line shown under the table (e.g. how to get the rest). */
  note?: string;
}

// ---- ROC ---------------------------------------------------------------------------------------

export interface RocCurveJson {
  label: string;
  /** False positive rate (1 - specificity), non-decreasing from 0 to 1; same length as tpr. */
  fpr: number[];
  /** True positive rate (sensitivity). */
  tpr: number[];
  auc?: number;
  /** Confidence interval of the AUC. */
  aucLower?: number;
  aucUpper?: number;
  /** Level of every interval in this curve (default 0.95). */
  ciLevel?: number;
  /** How the AUC interval was computed, e.g. "DeLong". */
  ciMethod?: string;
  /** Pointwise confidence band of the TPR at the given FPRs (e.g. from a bootstrap). */
  band?: { fpr: number[]; lower: number[]; upper: number[] };
  positives?: number;
  negatives?: number;
}

export interface RocJson {
  version: 1;
  title?: string;
  curves: RocCurveJson[];
}

// ---- calibration -------------------------------------------------------------------------------

export interface CalibrationBinJson {
  /** Mean predicted probability in the bin. */
  predicted: number;
  /** Observed event proportion in the bin. */
  observed: number;
  /** Subjects in the bin. */
  n: number;
  /** Confidence interval of the observed proportion (e.g. Wilson). */
  lower?: number;
  upper?: number;
}

export interface CalibrationSeriesJson {
  label: string;
  bins: CalibrationBinJson[];
  /** Calibration slope (ideal 1). */
  slope?: number;
  /** Calibration-in-the-large (ideal 0). */
  intercept?: number;
  brier?: number;
}

export interface CalibrationJson {
  version: 1;
  title?: string;
  series: CalibrationSeriesJson[];
}

// ---- Kaplan-Meier ------------------------------------------------------------------------------

export interface KmGroupJson {
  label: string;
  /**
   * Step function: S(t) = survival[i] for time[i] <= t < time[i+1]; S = 1 before time[0].
   * Times increasing.
   */
  time: number[];
  survival: number[];
  /** Pointwise confidence limits at the same times (null where undefined). */
  lower?: (number | null)[];
  upper?: (number | null)[];
  /** Times of censored observations (drawn as ticks on the curve). */
  censored?: number[];
  n?: number;
  events?: number;
  /** Median survival time (null: not reached). */
  median?: number | null;
}

export interface KmJson {
  version: 1;
  title?: string;
  /** Unit of the time axis, e.g. "months". */
  timeUnit?: string;
  groups: KmGroupJson[];
  /** Numbers at risk under the plot: counts[g][t] for group g at times[t]. */
  atRisk?: { times: number[]; counts: number[][] };
  logRank?: { chiSquare: number; df: number; p: number };
}

// ---- model coefficients ------------------------------------------------------------------------

export interface CoefficientJson {
  /** Feature (column) name. */
  name: string;
  value: number;
  /** Confidence interval of the coefficient. */
  lower?: number;
  upper?: number;
  /** Selection stability: fraction (0..1) of resamples / folds in which it was selected. */
  stability?: number;
  ibsi?: string;
}

export interface CoefficientsJson {
  version: 1;
  title?: string;
  /** e.g. "LASSO-Cox", "elastic net (binomial)". */
  model?: string;
  /** What the values are, e.g. "log hazard ratio per SD". */
  valueLabel?: string;
  /** What stability counts, e.g. "selected in the 5 x 10 outer folds". */
  stabilityLabel?: string;
  /** Stability threshold to mark (e.g. 0.6). */
  threshold?: number;
  coefficients: CoefficientJson[];
}

// ---- volume ------------------------------------------------------------------------------------

export interface VolumeLabelJson {
  value: number;
  name: string;
  /** sRGB 0..255. */
  color?: [number, number, number];
}

export interface VolumeFileJson {
  /** File name; its extension (.nii or .nii.gz) says how `data` is encoded. */
  name: string;
  /** Base64 of the whole NIfTI file. */
  data: string;
}

export interface VolumeJson {
  version: 1;
  title?: string;
  image: VolumeFileJson;
  mask?: VolumeFileJson & { opacity?: number; labels?: VolumeLabelJson[] };
  sliceType?: 'axial' | 'coronal' | 'sagittal' | 'multiplanar';
  /** A line under the viewer (e.g. "cropped to the mask's bounding box + 8 voxels"). */
  note?: string;
}

// ---- checks (shared by the renderers and the tests) -----------------------------------------

function isNumberArray(v: unknown): v is number[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'number');
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Null when `v` is a usable document of the MIME type, else why not (shown by the renderer). */
export function checkMimeDocument(mime: string, v: unknown): string | null {
  if (!isRecord(v)) return 'the output is not a JSON object';
  if (v.version !== 1) return `unsupported version ${JSON.stringify(v.version)} (this renderer reads version 1)`;
  switch (mime) {
    case FEATURE_TABLE_MIME: {
      if (!Array.isArray(v.rows) || !v.rows.every((r) => typeof r === 'string')) return '`rows` must be an array of strings';
      if (!Array.isArray(v.columns)) return '`columns` must be an array';
      const n = v.rows.length;
      for (const c of v.columns) {
        if (!isRecord(c) || typeof c.name !== 'string' || !Array.isArray(c.values)) return 'every column needs a `name` and `values`';
        if (c.values.length !== n) return `column ${c.name} has ${c.values.length} values for ${n} rows`;
      }
      return null;
    }
    case ROC_MIME: {
      if (!Array.isArray(v.curves) || v.curves.length === 0) return '`curves` must be a non-empty array';
      for (const c of v.curves) {
        if (!isRecord(c) || typeof c.label !== 'string' || !isNumberArray(c.fpr) || !isNumberArray(c.tpr)) return 'every curve needs `label`, `fpr` and `tpr`';
        if (c.fpr.length !== c.tpr.length) return `curve ${c.label}: fpr and tpr differ in length`;
      }
      return null;
    }
    case CALIBRATION_MIME: {
      if (!Array.isArray(v.series) || v.series.length === 0) return '`series` must be a non-empty array';
      for (const s of v.series) {
        if (!isRecord(s) || typeof s.label !== 'string' || !Array.isArray(s.bins)) return 'every series needs `label` and `bins`';
        for (const b of s.bins) if (!isRecord(b) || typeof b.predicted !== 'number' || typeof b.observed !== 'number' || typeof b.n !== 'number') return `series ${s.label}: every bin needs predicted, observed and n`;
      }
      return null;
    }
    case KM_MIME: {
      if (!Array.isArray(v.groups) || v.groups.length === 0) return '`groups` must be a non-empty array';
      for (const g of v.groups) {
        if (!isRecord(g) || typeof g.label !== 'string' || !isNumberArray(g.time) || !isNumberArray(g.survival)) return 'every group needs `label`, `time` and `survival`';
        if (g.time.length !== g.survival.length) return `group ${g.label}: time and survival differ in length`;
      }
      if (v.atRisk !== undefined) {
        const a = v.atRisk;
        if (!isRecord(a) || !isNumberArray(a.times) || !Array.isArray(a.counts) || a.counts.length !== v.groups.length) return '`atRisk` needs `times` and one `counts` row per group';
        for (const row of a.counts) if (!isNumberArray(row) || row.length !== a.times.length) return '`atRisk.counts` rows must have one count per time';
      }
      return null;
    }
    case COEFFICIENTS_MIME: {
      if (!Array.isArray(v.coefficients)) return '`coefficients` must be an array';
      for (const c of v.coefficients) if (!isRecord(c) || typeof c.name !== 'string' || typeof c.value !== 'number') return 'every coefficient needs `name` and a numeric `value`';
      return null;
    }
    case VOLUME_MIME: {
      const f = (x: unknown) => isRecord(x) && typeof x.name === 'string' && typeof x.data === 'string';
      if (!f(v.image)) return '`image` needs `name` and base64 `data`';
      if (v.mask !== undefined && !f(v.mask)) return '`mask` needs `name` and base64 `data`';
      return null;
    }
    default:
      return `unknown MIME type ${mime}`;
  }
}
