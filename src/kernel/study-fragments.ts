/**
 * A notebook's study, written in parts: each YAML cell is a fragment of one study document (a
 * cohort cell, then a features cell, then an analysis cell, ...), optionally on top of a study
 * file the notebook names. The fragments are merged in notebook order into one document, which
 * the engine's study loader checks as if it were a `*.study.yaml` file; the problems it reports
 * are then mapped back to the fragment (cell) and line they come from.
 *
 * Merge rule: mappings merge key by key, recursively; anything else (a scalar, a list, a
 * mapping replacing a scalar) in a later fragment replaces the earlier value wholesale. So a
 * later cell can override one setting (`features: {discretisation: {bin_count: 16}}`) without
 * repeating its section, while lists (`rois`, `clinical`) are replaced, never concatenated. A
 * key keeps the place where it first appeared.
 *
 * How lines map back: the merged document is written here, in block style, one key or list
 * item per line, and every line records which fragment token (key, value) each of its spans
 * came from. A problem's start maps through the span it falls in; its end through the span its
 * end falls in, when that is in the same fragment. Problems about the whole document (a missing
 * top-level section) go to the fragment being run.
 *
 * Pure: YAML in, YAML out; nothing is read or run.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type Node } from 'yaml';
import { parseYamlText } from '../engine/schema/validate-yaml';
import type { StudyProblem } from '../engine/study/types';
import { lineIndexAt } from '../engine/util/line-starts';

export interface StudyFragment {
  /** Stable identity for the caller (e.g. a cell's URI, or the base study's path). */
  id: string;
  /** How messages name it, e.g. "cell 2" or "gbm.study.yaml". */
  label: string;
  text: string;
}

/** A position in a fragment, 1-based lines and columns (end exclusive, as the loader's). */
export interface FragmentRange {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/**
 * A problem located in a fragment (`fragment` = its index in the list given to mergeFragments)
 * or, for problems in files the study names (a manifest line, a clinical cell), in that file
 * (`fragment` null, `file` set).
 */
export interface LocatedProblem extends FragmentRange {
  fragment: number | null;
  file: string | null;
  severity: StudyProblem['severity'];
  message: string;
  path: string;
  code?: string;
}

interface Origin {
  fragment: number;
  start: number;
  end: number;
}

interface MScalar {
  kind: 'scalar';
  value: unknown;
  origin: Origin;
}
interface MSeq {
  kind: 'seq';
  items: MNode[];
  origin: Origin;
}
interface MEntry {
  key: unknown;
  keyOrigin: Origin;
  value: MNode;
}
interface MMap {
  kind: 'map';
  entries: Map<string, MEntry>;
  origin: Origin;
}
type MNode = MScalar | MSeq | MMap;

/** A span of a merged line (1-based columns, `to` exclusive) and where it came from. */
interface Span {
  from: number;
  to: number;
  origin: Origin;
}

export interface MergedStudy {
  /** The merged study document (YAML). */
  text: string;
  /** Problems in the fragments themselves (YAML syntax, a fragment that is not a mapping, tags). */
  problems: LocatedProblem[];
  /** Top-level keys each fragment defines, in its order (e.g. ["cohort"], ["features"]). */
  sections: string[][];
  /** Spans of each merged line (index 0 = line 1). */
  readonly lines: readonly Span[][];
  /** Line starts (offsets) of each fragment's text. */
  readonly lineStarts: readonly number[][];
  /** The merged tree (for locatePath). */
  readonly root: unknown;
}

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

/** 1-based line and column of `offset` in a text with the given line starts. */
function positionOf(starts: readonly number[], offset: number): { line: number; column: number } {
  const lo = lineIndexAt(starts, offset);
  return { line: lo + 1, column: offset - starts[lo] + 1 };
}

function rangeIn(starts: readonly number[], start: number, end: number): FragmentRange {
  const a = positionOf(starts, start);
  const b = positionOf(starts, Math.max(start, end));
  return { line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
}

// ---------------------------------------------------------------------------------------------
// Fragment YAML -> merge tree

class TagFound extends Error {
  constructor(
    readonly tag: string,
    readonly range: [number, number],
  ) {
    super(tag);
  }
}

function originOf(node: { range?: [number, number, number] | null } | null | undefined, fragment: number, fallback: Origin): Origin {
  const r = node?.range;
  return r ? { fragment, start: r[0], end: r[1] } : fallback;
}

function toTree(node: unknown, doc: Document, fragment: number, fallback: Origin): MNode {
  const n = isAlias(node) ? node.resolve(doc) : node;
  if (n === null || n === undefined) return { kind: 'scalar', value: null, origin: fallback };
  const nn = n as Node;
  const origin = originOf(nn, fragment, fallback);
  if (nn.tag !== undefined && nn.tag !== null && nn.tag !== '') throw new TagFound(nn.tag, [origin.start, origin.end]);
  if (isMap(nn)) {
    const entries = new Map<string, MEntry>();
    for (const pair of nn.items) {
      if (!isPair(pair)) continue;
      const k = isAlias(pair.key) ? pair.key.resolve(doc) : pair.key;
      const keyValue = isScalar(k) ? k.value : k;
      const keyOrigin = originOf(k as Node, fragment, origin);
      if ((k as Node | null)?.tag) throw new TagFound(String((k as Node).tag), [keyOrigin.start, keyOrigin.end]);
      const value = toTree(pair.value, doc, fragment, { fragment, start: keyOrigin.end, end: keyOrigin.end });
      entries.set(String(keyValue), { key: keyValue, keyOrigin, value });
    }
    return { kind: 'map', entries, origin };
  }
  if (isSeq(nn)) return { kind: 'seq', items: nn.items.map((it) => toTree(it, doc, fragment, origin)), origin };
  if (isScalar(nn)) return { kind: 'scalar', value: nn.value, origin };
  return { kind: 'scalar', value: null, origin };
}

/** Merge `src` into `dst` (both mappings), later values winning; returns dst. */
function mergeMaps(dst: MMap, src: MMap): MMap {
  for (const [name, e] of src.entries) {
    const have = dst.entries.get(name);
    if (have !== undefined && have.value.kind === 'map' && e.value.kind === 'map') {
      // The later fragment's key is the one problems about this section point at.
      dst.entries.set(name, { key: e.key, keyOrigin: e.keyOrigin, value: mergeMaps(have.value, e.value) });
    } else {
      dst.entries.set(name, { key: e.key, keyOrigin: e.keyOrigin, value: cloneTree(e.value) });
    }
  }
  return dst;
}

function cloneTree(n: MNode): MNode {
  if (n.kind === 'map') {
    const entries = new Map<string, MEntry>();
    for (const [k, e] of n.entries) entries.set(k, { ...e, value: cloneTree(e.value) });
    return { kind: 'map', entries, origin: n.origin };
  }
  if (n.kind === 'seq') return { kind: 'seq', items: n.items.map(cloneTree), origin: n.origin };
  return n;
}

// ---------------------------------------------------------------------------------------------
// Merge tree -> YAML text with spans

const RESERVED = new Set(['true', 'false', 'null', 'True', 'False', 'Null', 'TRUE', 'FALSE', 'NULL', 'y', 'n', 'yes', 'no', 'on', 'off']);

/** A YAML scalar that reads back as the same value under the core schema. */
function scalarText(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return '.nan';
    if (v === Infinity) return '.inf';
    if (v === -Infinity) return '-.inf';
    return String(v);
  }
  if (typeof v === 'bigint') return String(v);
  const s = String(v);
  // Plain where that cannot change the type (a name, a relative path); quoted otherwise.
  if (/^[A-Za-z_][A-Za-z0-9_./-]*$/.test(s) && !RESERVED.has(s)) return s;
  return JSON.stringify(s);
}

class Emitter {
  readonly out: string[] = [];
  readonly spans: Span[][] = [];

  line(text: string, spans: Span[]): void {
    this.out.push(text);
    this.spans.push(spans);
  }

  map(m: MMap, indent: string): void {
    for (const e of m.entries.values()) {
      const key = scalarText(e.key);
      const keySpan: Span = { from: indent.length + 1, to: indent.length + key.length + 2, origin: e.keyOrigin };
      const v = e.value;
      if (v.kind === 'map' && v.entries.size > 0) {
        this.line(`${indent}${key}:`, [keySpan]);
        this.map(v, indent + '  ');
      } else if (v.kind === 'seq' && v.items.length > 0) {
        this.line(`${indent}${key}:`, [keySpan]);
        this.seq(v, indent + '  ');
      } else {
        const text = this.inline(v);
        const at = indent.length + key.length + 3;
        this.line(`${indent}${key}: ${text}`, [keySpan, { from: at, to: at + text.length, origin: v.origin }]);
      }
    }
  }

  seq(s: MSeq, indent: string): void {
    for (const item of s.items) {
      const dash: Span = { from: indent.length + 1, to: indent.length + 3, origin: item.origin };
      if ((item.kind === 'map' && item.entries.size > 0) || (item.kind === 'seq' && item.items.length > 0)) {
        this.line(`${indent}-`, [dash]);
        if (item.kind === 'map') this.map(item, indent + '  ');
        else this.seq(item, indent + '  ');
      } else {
        const text = this.inline(item);
        this.line(`${indent}- ${text}`, [dash, { from: indent.length + 3, to: indent.length + 3 + text.length, origin: item.origin }]);
      }
    }
  }

  /** A scalar, or an empty collection. */
  inline(n: MNode): string {
    if (n.kind === 'map') return '{}';
    if (n.kind === 'seq') return '[]';
    return scalarText(n.value);
  }
}

/**
 * Merge the fragments in order. Fragments with YAML syntax errors (or that are not mappings)
 * contribute nothing and report their problems; the others are merged regardless.
 */
export function mergeFragments(fragments: readonly StudyFragment[]): MergedStudy {
  const problems: LocatedProblem[] = [];
  const sections: string[][] = [];
  const lineStarts = fragments.map((f) => lineStartsOf(f.text));
  let root: MMap | null = null;
  fragments.forEach((f, index) => {
    const starts = lineStarts[index];
    const problem = (start: number, end: number, message: string, severity: LocatedProblem['severity'] = 'error', path = '') =>
      problems.push({ fragment: index, file: null, ...rangeIn(starts, start, end), severity, message, path });
    const parsed = parseYamlText(f.text);
    let broken = false;
    for (const p of parsed.problems) {
      problem(p.range[0], p.range[1], p.message, p.severity, p.path);
      if (p.severity === 'error') broken = true;
    }
    sections.push([]);
    if (broken) return;
    const contents = parsed.doc.contents;
    if (contents === null || (isScalar(contents) && contents.value === null)) return; // an empty cell: nothing to merge
    let tree: MNode;
    try {
      tree = toTree(contents, parsed.doc, index, { fragment: index, start: 0, end: 0 });
    } catch (e) {
      if (!(e instanceof TagFound)) throw e;
      problem(e.range[0], e.range[1], `YAML tags (\`${e.tag}\`) are not allowed: a study is plain data`);
      return;
    }
    if (tree.kind !== 'map') {
      problem(tree.origin.start, tree.origin.end, `${f.label}: a study cell must be a YAML mapping of study sections (study, cohort, preprocessing, features, outcomes, analysis, report)`);
      return;
    }
    sections[index] = [...tree.entries.keys()];
    root = root === null ? (cloneTree(tree) as MMap) : mergeMaps(root, tree);
  });
  const em = new Emitter();
  if (root !== null) em.map(root, '');
  return { text: em.out.length > 0 ? em.out.join('\n') + '\n' : '', problems, sections, lines: em.spans, lineStarts, root };
}

// ---------------------------------------------------------------------------------------------
// Loader problems -> fragments

function spanAt(spans: readonly Span[] | undefined, column: number): Span | null {
  if (spans === undefined || spans.length === 0) return null;
  let best: Span = spans[0];
  for (const s of spans) if (s.from <= column) best = s;
  return best;
}

/**
 * Where a problem the loader found in the merged document (`mergedFile` is the name it was
 * checked under) comes from. `current` is the fragment being run: problems about the whole
 * document (e.g. a missing top-level section) are put on its first line. Problems in other
 * files pass through with `fragment` null.
 */
export function locateProblem(merged: MergedStudy, p: StudyProblem, mergedFile: string, current: number): LocatedProblem {
  const base = { severity: p.severity, message: p.message, path: p.path, ...(p.code === undefined ? {} : { code: p.code }) };
  if (p.file !== mergedFile) {
    return { ...base, fragment: null, file: p.file, line: p.line, column: p.column, endLine: p.endLine, endColumn: p.endColumn };
  }
  const whole = { ...base, fragment: current, file: null, line: 1, column: 1, endLine: 1, endColumn: 1 };
  const start = spanAt(merged.lines[p.line - 1], p.column);
  // The root mapping's range starts at line 1 and covers the document: a problem about the root.
  const aboutRoot = p.line === 1 && p.column === 1 && (p.endLine > 1 || p.path === '') && merged.lines.length > 1;
  if (start === null || aboutRoot) return whole;
  const starts = merged.lineStarts[start.origin.fragment];
  let endOffset = start.origin.end;
  const end = spanAt(merged.lines[p.endLine - 1], Math.max(1, p.endColumn - 1));
  if (end !== null && end.origin.fragment === start.origin.fragment && end.origin.end >= start.origin.start && (p.endLine > p.line || end !== start)) {
    endOffset = end.origin.end;
  }
  return { ...base, fragment: start.origin.fragment, file: null, ...rangeIn(starts, start.origin.start, endOffset) };
}

/**
 * Where the value at a dotted path of the merged study (e.g. "analysis.selection.scope",
 * "analysis.models.0.type", as the analysis reports its design problems) was written: the
 * deepest node of the path that exists (a scalar's value, else its key). Null when not even the
 * first key exists.
 */
export function locatePath(merged: MergedStudy, path: string): ({ fragment: number } & FragmentRange) | null {
  let node = merged.root as MNode | null;
  let found: Origin | null = null;
  for (const seg of path.split(/[.[\]]+/).filter((x) => x !== '')) {
    if (node === null) break;
    if (node.kind === 'map') {
      const e = node.entries.get(seg);
      if (e === undefined) break;
      found = e.value.kind === 'scalar' ? e.value.origin : e.keyOrigin;
      node = e.value;
    } else if (node.kind === 'seq' && /^\d+$/.test(seg) && Number(seg) < node.items.length) {
      node = node.items[Number(seg)];
      found = node.origin;
    } else break;
  }
  if (found === null) return null;
  return { fragment: found.fragment, ...rangeIn(merged.lineStarts[found.fragment], found.start, found.end) };
}

/** "cell 2:5:3 error message" (fragment problems) or "file:line:col error message". */
export function formatLocatedProblem(p: LocatedProblem, fragments: readonly StudyFragment[]): string {
  const where = p.fragment !== null ? (fragments[p.fragment]?.label ?? `fragment ${p.fragment + 1}`) : (p.file ?? '');
  return `${where}:${p.line}:${p.column} ${p.severity} ${p.message}`;
}
