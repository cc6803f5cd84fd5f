/**
 * The arguments of the `radiogenomics.openSubject` command (called from the study file's code
 * lens, from other extensions' code, or from tests) checked into a request, and the subject
 * view's legend built from the mask's label volumes. No `vscode` import (unit-tested).
 */
import { isAbsolute, resolve } from 'node:path';
import { RgsError } from '../engine/util/errors';
import type { LabelInfo } from './messages';
import type { LabelVolume } from './roi-volumes';

/**
 * What callers pass. Images are given in display order, either as `{ T1: 'a.nii.gz', ... }` or as
 * `[{ name: 'T1', path: 'a.nii.gz' }, ...]`. Labels name mask values like a label map
 * (`{ necrosis: 1, oedema: 2, enhancing: 4 }`; unions such as `tumour_core: [1, 4]` are accepted
 * and left out of the legend, which shows single labels) or as `[{ value, name, color? }]`.
 * Relative paths are resolved against `baseDir` (the study file's folder).
 */
export interface OpenSubjectArgs {
  title?: string;
  images: Record<string, string> | { name: string; path: string }[];
  mask: string;
  labels?: Record<string, number | number[]> | { value: number; name: string; color?: [number, number, number] }[];
  baseDir?: string;
}

export interface SubjectRequest {
  title: string;
  sequences: { name: string; path: string }[];
  maskPath: string;
  labelNames: Map<number, string>;
  labelColors: Map<number, [number, number, number]>;
}

export const MAX_SEQUENCES = 8;
const WHERE = 'radiogenomics.openSubject';

function fail(msg: string): never {
  throw new RgsError(`${WHERE}: ${msg}`, { field: WHERE });
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function nonEmptyString(x: unknown): x is string {
  return typeof x === 'string' && x.trim().length > 0;
}

function isColor(x: unknown): x is [number, number, number] {
  return Array.isArray(x) && x.length === 3 && x.every((c) => Number.isInteger(c) && c >= 0 && c <= 255);
}

/** Check the command's argument and resolve its paths (relative ones against `baseDir`, else
 *  `defaultBase`, typically the first workspace folder). */
export function parseOpenSubjectArgs(x: unknown, defaultBase?: string): SubjectRequest {
  if (!isRecord(x)) fail('expected an object { images, mask, labels? }');
  const baseRaw = x.baseDir ?? defaultBase;
  if (baseRaw !== undefined && !nonEmptyString(baseRaw)) fail('baseDir must be a path');
  const base = baseRaw;
  const toPath = (p: string, what: string): string => {
    if (isAbsolute(p)) return p;
    if (base === undefined) fail(`${what} "${p}" is relative and there is no baseDir or workspace folder to resolve it against`);
    return resolve(base, p);
  };

  let pairs: [unknown, unknown][];
  if (Array.isArray(x.images)) {
    pairs = x.images.map((e: unknown, i) => {
      if (!isRecord(e)) fail(`images[${i}] must be { name, path }`);
      return [e.name, e.path];
    });
  } else if (isRecord(x.images)) {
    pairs = Object.entries(x.images);
  } else {
    fail('images must map sequence names to image paths, e.g. { "T1": "t1.nii.gz" }');
  }
  if (pairs.length === 0) fail('images is empty: give at least one sequence');
  if (pairs.length > MAX_SEQUENCES) fail(`${pairs.length} images given; the subject view shows at most ${MAX_SEQUENCES}`);
  const seen = new Set<string>();
  const sequences = pairs.map(([name, path], i) => {
    if (!nonEmptyString(name)) fail(`images[${i}]: the sequence name must be a non-empty string`);
    if (!nonEmptyString(path)) fail(`images.${name}: the path must be a non-empty string`);
    if (seen.has(name)) fail(`images: sequence "${name}" is given twice`);
    seen.add(name);
    return { name, path: toPath(path, `images.${name}`) };
  });

  if (!nonEmptyString(x.mask)) fail('mask must be the path of the label mask');
  const maskPath = toPath(x.mask, 'mask');

  const labelNames = new Map<number, string>();
  const labelColors = new Map<number, [number, number, number]>();
  const addLabel = (value: unknown, name: string, where: string): void => {
    if (!Number.isInteger(value) || (value as number) === 0) fail(`${where}: a label must be a non-zero integer (got ${JSON.stringify(value)})`);
    const v = value as number;
    if (labelNames.has(v)) fail(`${where}: label ${v} is named twice ("${labelNames.get(v)}" and "${name}")`);
    labelNames.set(v, name);
  };
  if (Array.isArray(x.labels)) {
    x.labels.forEach((e: unknown, i) => {
      if (!isRecord(e) || !nonEmptyString(e.name)) fail(`labels[${i}] must be { value, name, color? }`);
      addLabel(e.value, e.name, `labels[${i}]`);
      if (e.color !== undefined) {
        if (!isColor(e.color)) fail(`labels[${i}].color must be [r, g, b] with integers 0..255`);
        labelColors.set(e.value as number, e.color);
      }
    });
  } else if (isRecord(x.labels)) {
    for (const [name, value] of Object.entries(x.labels)) {
      if (Array.isArray(value)) continue; // a union (e.g. tumour_core: [1, 4]): not a single legend entry
      addLabel(value, name, `labels.${name}`);
    }
  } else if (x.labels !== undefined) {
    fail('labels must map names to label values, e.g. { "necrosis": 1, "oedema": 2, "enhancing": 4 }');
  }

  const title = x.title === undefined ? sequences.map((s) => s.name).join(' · ') : x.title;
  if (!nonEmptyString(title)) fail('title must be a non-empty string');
  return { title, sequences, maskPath, labelNames, labelColors };
}

/** ITK-SNAP's default label colours (1 red, 2 green, 3 blue, 4 yellow, ...), familiar to anyone
 *  who has looked at a BraTS segmentation. */
const PALETTE: [number, number, number][] = [
  [255, 0, 0],
  [0, 255, 0],
  [0, 0, 255],
  [255, 255, 0],
  [0, 255, 255],
  [255, 0, 255],
  [255, 239, 213],
  [0, 0, 205],
  [205, 133, 63],
  [210, 180, 140],
  [102, 205, 170],
  [0, 0, 128],
];

export function defaultLabelColor(value: number): [number, number, number] {
  const i = (((value - 1) % PALETTE.length) + PALETTE.length) % PALETTE.length;
  return PALETTE[i];
}

/**
 * The legend: every label present in the mask (named, or "label N"), plus every named label the
 * mask lacks (0 voxels, so a missing sub-region shows as 0 mL rather than silently vanishing),
 * ascending by value.
 */
export function buildLegend(
  volumes: LabelVolume[],
  names: Map<number, string>,
  colors: Map<number, [number, number, number]> = new Map(),
): LabelInfo[] {
  const byValue = new Map<number, LabelVolume>(volumes.map((v) => [v.value, v]));
  const values = new Set<number>([...byValue.keys(), ...names.keys()]);
  return [...values]
    .sort((a, b) => a - b)
    .map((value) => {
      const vol = byValue.get(value);
      return {
        value,
        name: names.get(value) ?? `label ${value}`,
        color: colors.get(value) ?? defaultLabelColor(value),
        voxels: vol?.voxels ?? 0,
        volumeMl: vol?.volumeMl ?? 0,
      };
    });
}

/**
 * A sequence name guessed from an image's file name, for subjects opened by picking files
 * (BraTS-style names: sub_t1ce.nii.gz -> T1CE). The file's stem when nothing matches.
 */
export function guessSequenceName(fileName: string): string {
  const stem = fileName.replace(/\.nii(\.gz)?$/i, '');
  const s = stem.toLowerCase();
  // Order matters: t1ce/t1c/t1gd contain "t1".
  if (/(^|[^a-z0-9])(t1ce|t1c|t1gd|t1-gd|t1_gd|t1post|t1-post|t1_post|t1w?ce)($|[^a-z0-9])/.test(s)) return 'T1CE';
  if (/flair/.test(s)) return 'FLAIR';
  if (/(^|[^a-z0-9])t2w?($|[^a-z0-9])/.test(s)) return 'T2';
  if (/(^|[^a-z0-9])t1w?($|[^a-z0-9])/.test(s)) return 'T1';
  return stem;
}
