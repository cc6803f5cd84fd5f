/**
 * Turning a label mask and an ROI selector into a binary ROI mask.
 */
import type { Volume } from '../image/volume';
import { BoundingBoxBuilder } from '../preprocess/crop';
import { RgsError } from '../util/errors';
import type { LabelMap } from './label-map';
import { ALL_LABELS, type RoiSelector, formatRoiSelector } from './selector';

export interface SelectedRoi {
  /** 1 inside the ROI, 0 outside, on the mask's grid. */
  mask: Uint8Array;
  /** The labels that make up the ROI (ascending; only those present in the mask). */
  labels: number[];
  /** The ROI's name: the selector's name, or its labels ("4", "1+4"). */
  name: string;
  /** Number of ROI voxels. */
  voxels: number;
  /** Labels of a named union that are not in this mask (allowed, see selectRoi). */
  absent: number[];
  /** Inclusive voxel bounds of the ROI, found in the same pass (null for an empty ROI). */
  box: { lower: [number, number, number]; upper: [number, number, number] } | null;
}

/** Labels with a dense lookup table below this bound; larger (or negative) ones use a Set. */
const DENSE_LABELS = 65536;

function describeVoxel(dims: readonly number[] | undefined, n: number): string {
  if (!dims) return `index ${n}`;
  const i = n % dims[0];
  const j = Math.floor(n / dims[0]) % dims[1];
  const k = Math.floor(n / (dims[0] * dims[1]));
  return `voxel (${i}, ${j}, ${k})`;
}

/**
 * The distinct non-zero labels of a mask, ascending, in one pass. Throws (naming `maskFile`
 * and the first offending value) if a value is not an integer.
 */
export function labelsPresent(mask: Volume<ArrayLike<number>> | ArrayLike<number>, maskFile = 'mask'): number[] {
  const data = 'data' in mask && 'dims' in mask ? mask.data : (mask as ArrayLike<number>);
  const dims = 'dims' in mask ? mask.dims : undefined;
  const dense = new Uint8Array(DENSE_LABELS);
  const sparse = new Set<number>();
  const n = data.length;
  if (data instanceof Uint8Array || data instanceof Uint16Array) {
    // The usual mask types: every value is a whole number that indexes the table directly.
    for (let i = 0; i < n; i++) dense[data[i]] = 1;
  } else for (let i = 0; i < n; i++) {
    const v = data[i];
    if (v >= 0 && v < DENSE_LABELS && (v | 0) === v) {
      dense[v] = 1;
    } else if (Number.isInteger(v)) {
      sparse.add(v);
    } else {
      throw new RgsError(`${maskFile}: mask value ${v} at ${describeVoxel(dims, i)} is not an integer label`, {
        file: maskFile,
      });
    }
  }
  const out: number[] = [];
  for (let v = 1; v < DENSE_LABELS; v++) if (dense[v]) out.push(v);
  for (const v of sparse) if (v !== 0) out.push(v);
  return out.sort((a, b) => a - b);
}

function resolveLabels(
  selector: RoiSelector,
  present: number[],
  ctx: { maskFile: string; labelMap?: LabelMap },
): { labels: number[]; absent: number[]; name: string } {
  const { maskFile } = ctx;
  const notIn = (l: number) =>
    new RgsError(
      `${maskFile}: label ${l} is not in the mask (labels present: ${present.length ? present.join(', ') : 'none'})`,
      { file: maskFile },
    );
  switch (selector.kind) {
    case 'label':
      if (!present.includes(selector.value)) throw notIn(selector.value);
      return { labels: [selector.value], absent: [], name: formatRoiSelector(selector) };
    case 'labels': {
      for (const l of selector.values) if (!present.includes(l)) throw notIn(l);
      return { labels: [...selector.values].sort((a, b) => a - b), absent: [], name: formatRoiSelector(selector) };
    }
    case 'name': {
      if (selector.name === ALL_LABELS) return { labels: present.slice(), absent: [], name: ALL_LABELS };
      const map = ctx.labelMap;
      const wanted = map?.get(selector.name);
      if (!map || !wanted) {
        const defined = map && map.size > 0 ? [...map.keys(), ALL_LABELS].join(', ') : ALL_LABELS;
        const why = map ? `is not defined in the label map ${map.source}` : 'needs a label map (none was given)';
        throw new RgsError(`${maskFile}: ROI "${selector.name}" ${why} (names defined: ${defined})`, {
          file: map?.source ?? maskFile,
        });
      }
      // A single named label must be present. A named union may be partly absent: a case
      // without, e.g., an enhancing part still has a whole tumour (reported in `absent`).
      if (wanted.length === 1 && !present.includes(wanted[0])) throw notIn(wanted[0]);
      const labels = wanted.filter((l) => present.includes(l));
      const absent = wanted.filter((l) => !present.includes(l));
      return { labels, absent, name: selector.name };
    }
  }
}

/**
 * The binary ROI mask of `selector` in the label mask `mask`. Errors (naming `ctx.maskFile`):
 * a mask value that is not an integer; an explicitly chosen label not in the mask; a name the
 * label map does not define; an ROI with no voxels.
 */
export function selectRoi(
  mask: Volume<ArrayLike<number>>,
  selector: RoiSelector,
  ctx: { maskFile: string; labelMap?: LabelMap; /** labelsPresent(mask), when the caller has it: one scan of the mask for many ROIs. */ present?: readonly number[] },
): SelectedRoi {
  const present = ctx.present ? [...ctx.present] : labelsPresent(mask, ctx.maskFile);
  const { labels, absent, name } = resolveLabels(selector, present, ctx);
  if (labels.length === 0) {
    const what = absent.length ? ` (none of its labels ${absent.join(', ')} is in the mask)` : ' (the mask has no non-zero label)';
    throw new RgsError(`${ctx.maskFile}: ROI "${name}" is empty${what}`, { file: ctx.maskFile });
  }
  const data = mask.data;
  const [nx, ny, nz] = mask.dims;
  const out = new Uint8Array(data.length);
  let voxels = 0;
  // Membership of a label: a small dense lookup table when all selected labels fit one.
  const maxLabel = labels[labels.length - 1];
  const lut = labels[0] >= 0 && maxLabel < DENSE_LABELS ? new Uint8Array(maxLabel + 1) : null;
  if (lut) for (const l of labels) lut[l] = 1;
  const set = lut ? null : new Set(labels);
  // Row by row, so the bounding box comes with the same pass (prepareRoi crops to it).
  const boxBuilder = new BoundingBoxBuilder(mask.dims);
  for (let k = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      const row = nx * (j + ny * k);
      let first = -1;
      let last = -1;
      for (let i = 0; i < nx; i++) {
        const v = data[row + i];
        if (lut ? v > 0 && v <= maxLabel && lut[v] === 1 : (set as Set<number>).has(v)) {
          out[row + i] = 1;
          voxels++;
          if (first < 0) first = i;
          last = i;
        }
      }
      if (first >= 0) boxBuilder.addRow(first, last, j, k);
    }
  }
  return { mask: out, labels, name, voxels, absent, box: boxBuilder.box() };
}
