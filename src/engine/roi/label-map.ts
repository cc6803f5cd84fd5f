/**
 * Label maps: names for the labels of a segmentation and for unions of them, e.g.
 *
 *   necrosis: 1
 *   oedema: 2
 *   enhancing: 4
 *   tumour_core: [necrosis, enhancing]   # or [1, 4]
 *   whole_tumour: [1, 2, 4]
 *
 * Read from YAML or JSON (JSON is parsed as YAML 1.2, of which it is a subset, so that duplicate
 * names are caught in both). YAML is parsed as data only: no tags that construct objects.
 */
import { readFileSync } from 'node:fs';
import { LineCounter, isMap, isScalar, parseDocument } from 'yaml';
import { RgsError } from '../util/errors';
import { ALL_LABELS, ROI_NAME_PATTERN } from './selector';

/** Ordered map ROI name -> its labels (ascending, unique; a single label or a union). */
export class LabelMap extends Map<string, number[]> {
  /** The file the map was read from (for error messages). */
  readonly source: string;

  constructor(source: string, entries?: Iterable<readonly [string, number[]]>) {
    super(entries);
    this.source = source;
  }
}

type RawEntry = { name: string; line: number; items: (number | string)[] };

/** Parse label-map text (YAML or JSON). `source` names it in errors. */
export function parseLabelMap(text: string, source: string): LabelMap {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { uniqueKeys: false, lineCounter });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const at = e.linePos ? ` (line ${e.linePos[0].line})` : '';
    throw new RgsError(`${source}: not valid YAML or JSON${at}: ${e.message.split('\n')[0]}`, { file: source });
  }
  const root = doc.contents;
  if (root === null) return new LabelMap(source);
  if (!isMap(root)) {
    throw new RgsError(`${source}: expected a mapping of ROI names to labels, e.g. { necrosis: 1, tumour_core: [1, 4] }`, {
      file: source,
    });
  }

  const raw = new Map<string, RawEntry>();
  for (const item of root.items) {
    const keyNode = item.key;
    const line = isScalar(keyNode) && keyNode.range ? lineCounter.linePos(keyNode.range[0]).line : 0;
    const at = line > 0 ? ` (line ${line})` : '';
    const name = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
    const bad = (what: string): never => {
      throw new RgsError(`${source}: entry "${name}"${at}: ${what}`, { file: source, field: name });
    };
    if (!ROI_NAME_PATTERN.test(name)) bad('not a valid name (letters, digits, _ and -, starting with a letter)');
    if (name === ALL_LABELS) bad(`"${ALL_LABELS}" is reserved (it means every non-zero label)`);
    if (raw.has(name)) {
      throw new RgsError(`${source}: duplicate name "${name}"${at}`, { file: source, field: name });
    }
    const value: unknown = item.value === null ? null : (item.value as { toJSON(): unknown }).toJSON();
    const list = Array.isArray(value) ? value : [value];
    if (list.length === 0) bad('an empty union');
    const items: (number | string)[] = [];
    for (const v of list) {
      if (typeof v === 'number') {
        if (!Number.isSafeInteger(v)) bad(`${v} is not an integer label`);
        if (v <= 0) bad(`label ${v} is not allowed (labels are positive integers; 0 is the background)`);
        items.push(v);
      } else if (typeof v === 'string' && ROI_NAME_PATTERN.test(v)) {
        items.push(v);
      } else {
        bad(`${JSON.stringify(v)} is neither an integer label nor the name of another entry`);
      }
    }
    raw.set(name, { name, line, items });
  }

  // Resolve names in unions (depth-first, any order of definition), detecting cycles.
  const resolved = new Map<string, number[]>();
  const resolve = (entry: RawEntry, stack: string[]): number[] => {
    const done = resolved.get(entry.name);
    if (done) return done;
    const at = entry.line > 0 ? ` (line ${entry.line})` : '';
    if (stack.includes(entry.name)) {
      const cycle = [...stack.slice(stack.indexOf(entry.name)), entry.name].join(' -> ');
      throw new RgsError(`${source}: entry "${entry.name}"${at}: cycle ${cycle}`, { file: source, field: entry.name });
    }
    const labels = new Set<number>();
    for (const it of entry.items) {
      if (typeof it === 'number') {
        labels.add(it);
        continue;
      }
      const ref = raw.get(it);
      if (!ref) {
        throw new RgsError(
          `${source}: entry "${entry.name}"${at}: unknown name "${it}" in the union (defined: ${[...raw.keys()].join(', ')})`,
          { file: source, field: entry.name },
        );
      }
      for (const l of resolve(ref, [...stack, entry.name])) labels.add(l);
    }
    const out = [...labels].sort((x, y) => x - y);
    resolved.set(entry.name, out);
    return out;
  };
  const map = new LabelMap(source);
  for (const entry of raw.values()) map.set(entry.name, resolve(entry, []));
  return map;
}

/** Read a label map from a .yaml/.yml/.json file. */
export function readLabelMap(path: string): LabelMap {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const what = code === 'ENOENT' ? 'file not found' : `cannot read the file (${(e as Error).message})`;
    throw new RgsError(`${path}: ${what}`, { file: path, cause: e });
  }
  return parseLabelMap(text, path);
}
