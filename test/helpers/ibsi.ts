/**
 * Access to the IBSI reference data in ../shared/ibsi (or $RGS_SHARED_DIR/ibsi), read at test
 * time and never copied into the project. Where the folder is absent, tests that need it are
 * skipped with the reason (see `ibsiSkipReason`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const SHARED_DIR = resolve(process.env.RGS_SHARED_DIR ?? join(__dirname, '..', '..', '..', 'shared'));
export const IBSI_DIR = join(SHARED_DIR, 'ibsi');
export const REFERENCE_CSV = join(IBSI_DIR, 'reference_values.csv');

export const DIGITAL_PHANTOM = {
  image: join(IBSI_DIR, 'digital_phantom', 'image.nii.gz'),
  mask: join(IBSI_DIR, 'digital_phantom', 'mask.nii.gz'),
};
export const CT_PHANTOM = {
  image: join(IBSI_DIR, 'ct_phantom', 'image.nii.gz'),
  mask: join(IBSI_DIR, 'ct_phantom', 'mask.nii.gz'),
};

/** Why IBSI-based tests cannot run here, or null when the data is present. */
export function ibsiSkipReason(): string | null {
  return existsSync(REFERENCE_CSV)
    ? null
    : `IBSI reference data not found at ${IBSI_DIR} (set RGS_SHARED_DIR to the folder holding ibsi/)`;
}

export interface ReferenceRow {
  family: string;
  feature: string;
  ibsi_code: string;
  data: string;
  aggregation: string;
  /** null where IBSI reached no consensus (skip, don't count). */
  value: number | null;
  tolerance: number;
  consensus: string;
}

/** RFC 4180 CSV line splitting (the feature names contain quoted commas). */
export function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

export function readReferenceValues(): ReferenceRow[] {
  const lines = readFileSync(REFERENCE_CSV, 'utf8').split(/\r?\n/).filter((l) => l.length > 0);
  const header = splitCsvLine(lines[0]);
  const col = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`${REFERENCE_CSV}: no column ${name}`);
    return i;
  };
  const c = {
    family: col('family'),
    feature: col('feature'),
    code: col('ibsi_code'),
    data: col('data'),
    agg: col('aggregation'),
    value: col('value'),
    tol: col('tolerance'),
    consensus: col('consensus'),
  };
  return lines.slice(1).map((line) => {
    const f = splitCsvLine(line);
    return {
      family: f[c.family],
      feature: f[c.feature],
      ibsi_code: f[c.code],
      data: f[c.data],
      aggregation: f[c.agg],
      value: f[c.value] === '' ? null : Number(f[c.value]),
      tolerance: f[c.tol] === '' ? 0 : Number(f[c.tol]),
      consensus: f[c.consensus],
    };
  });
}

/** Round to 3 significant digits, as the IBSI comparison rule does. */
export function roundSignificant(x: number, digits = 3): number {
  if (x === 0 || !Number.isFinite(x)) return x;
  return Number(x.toPrecision(digits));
}

/** The IBSI rule (../shared/ibsi/README.md): round to 3 significant digits, then |computed - value| <= tolerance. */
export function passesIbsi(computed: number, ref: ReferenceRow): boolean {
  if (ref.value === null) return false;
  const diff = Math.abs(roundSignificant(computed) - ref.value);
  // A tiny slack for binary floating point in the subtraction itself (e.g. 0.1 steps), not in the rule.
  return diff <= ref.tolerance + 1e-9 * Math.max(1, Math.abs(ref.value));
}
