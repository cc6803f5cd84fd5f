/**
 * Which part of a label mask is the region of interest: one label, a union of labels, or a
 * name defined in a label map (see label-map.ts). The name `all` is reserved and means every
 * non-zero label (e.g. the whole tumour in a BraTS-style segmentation).
 */
import { RgsError } from '../util/errors';

export type RoiSelector =
  | { kind: 'label'; value: number }
  | { kind: 'labels'; values: number[] }
  | { kind: 'name'; name: string };

/** The reserved name for "every non-zero label". */
export const ALL_LABELS = 'all';

/** A valid ROI name: letters, digits, _ and -, starting with a letter. */
export const ROI_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_-]*$/;

const LABEL_PATTERN = /^\d+$/;

function parseLabel(text: string, whole: string, where: string): number {
  const v = Number(text);
  if (!LABEL_PATTERN.test(text) || !Number.isSafeInteger(v)) {
    throw new RgsError(`${where}ROI "${whole}": "${text}" is not a label (a positive integer)`);
  }
  if (v === 0) throw new RgsError(`${where}ROI "${whole}": label 0 is the background and cannot be an ROI`);
  return v;
}

/**
 * Parse an ROI selector: "4" (one label), "1+4" or "1,4" (the union of labels), or a name
 * ("whole_tumour", "all"). `where` (e.g. "study.yaml: roi") prefixes error messages.
 */
export function parseRoiSelector(text: string, where?: string): RoiSelector {
  const prefix = where ? `${where}: ` : '';
  const t = text.trim();
  if (t === '') throw new RgsError(`${prefix}empty ROI selector (expected a label such as 4, a union such as 1+4, or a name)`);
  if (ROI_NAME_PATTERN.test(t)) return { kind: 'name', name: t };
  if (/[+,]/.test(t)) {
    const values: number[] = [];
    for (const part of t.split(/[+,]/)) {
      const v = parseLabel(part.trim(), t, prefix);
      if (!values.includes(v)) values.push(v);
    }
    return { kind: 'labels', values };
  }
  if (LABEL_PATTERN.test(t)) return { kind: 'label', value: parseLabel(t, t, prefix) };
  throw new RgsError(
    `${prefix}ROI "${t}" is not a label (e.g. 4), a union of labels (1+4 or 1,4) or a name (letters, digits, _ and -, starting with a letter)`,
  );
}

/** The selector written back as text ("4", "1+4", "whole_tumour"). */
export function formatRoiSelector(s: RoiSelector): string {
  switch (s.kind) {
    case 'label':
      return String(s.value);
    case 'labels':
      return s.values.join('+');
    case 'name':
      return s.name;
  }
}
