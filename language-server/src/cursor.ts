/**
 * Where the cursor is in a study file, for completion: typing a key, a value after `key: `, or a
 * list item after `- ` or inside `[...]`, and the path of the mapping or list it goes into.
 *
 * Line based on purpose: completion is asked for in documents that do not parse (an unfinished
 * `key: ` line, a half-typed list), where the parser's tree can be missing the very node being
 * typed. Block YAML is what people write in study files; indentation gives the nesting. Flow
 * collections are understood on the cursor's own line (`families: [morph, c|`); a flow
 * collection spanning several lines is not.
 */
import type { PathSegment } from './yaml-nodes';
import { lineIndexAt } from '../../src/engine/util/line-starts';

export type CursorKind = 'key' | 'value' | 'item';

export interface CursorContext {
  /**
   * key: a key of the mapping at `path` is being typed. value: the value at `path` (its last
   * segment is the key). item: an item of the list at `path`; `index` is its position.
   */
  kind: CursorKind;
  path: PathSegment[];
  /** For items: the item's index in its list. */
  index: number;
  /** What has been typed of the word at the cursor (without an opening quote). */
  prefix: string;
  /**
   * Offsets [start, end) of the text a completion replaces: the word at the cursor, quote
   * included; for a key, up to its `:` (which stays); for a value, to the end of the value.
   */
  replace: [number, number];
  /** Inside a flow collection (`[...]`, `{...}`): values with `,`, `[`, `]`, `{`, `}` need quotes. */
  inFlow: boolean;
  /** The quote the typed value starts with, if any. */
  quote: '"' | "'" | null;
  /** Column of the key or item being typed (inserted blocks are indented from it). */
  column: number;
  /** Keys already in the mapping (kind key) or items already in the list (kind item). */
  siblings: string[];
  /** A key's `:` is already written after the word (only the name is then inserted). */
  colonFollows: boolean;
}

/** A line's structure: its `- ` indicators and its key, with columns. */
interface LineInfo {
  /** Columns of the leading `- ` indicators. */
  dashes: number[];
  key: { name: string; column: number; valueStart: number; value: string } | null;
  /** Column of the first entry (a dash, a key or a bare value), -1 for blank and comment lines. */
  first: number;
  /** Column where the text after the dashes starts (a key, a value, or the line end). */
  content: number;
}

const KEY_RE = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"{[\]},&*!|>%@`?][^#]*?|\?)\s*:(?=\s|$)/;

export function lineInfo(line: string): LineInfo {
  let i = 0;
  while (i < line.length && line.charCodeAt(i) === 32) i++;
  const dashes: number[] = [];
  while (line[i] === '-' && (i + 1 === line.length || line[i + 1] === ' ' || line[i + 1] === '\t')) {
    dashes.push(i);
    i++;
    while (i < line.length && (line[i] === ' ' || line[i] === '\t')) i++;
  }
  const content = i;
  const rest = line.slice(i);
  const blank = rest.length === 0 || rest[0] === '#';
  let key: LineInfo['key'] = null;
  if (!blank) {
    const m = KEY_RE.exec(rest);
    if (m !== null) {
      let valueStart = i + m[0].length;
      while (valueStart < line.length && (line[valueStart] === ' ' || line[valueStart] === '\t')) valueStart++;
      key = { name: unquote(m[1]), column: i, valueStart, value: stripComment(line.slice(valueStart)) };
    }
  }
  const first = dashes.length > 0 ? dashes[0] : blank ? -1 : i;
  return { dashes, key, first, content };
}

function unquote(s: string): string {
  if (s.length >= 2 && s[0] === '"' && s[s.length - 1] === '"') {
    try {
      return JSON.parse(s) as string;
    } catch {
      return s.slice(1, -1);
    }
  }
  if (s.length >= 2 && s[0] === "'" && s[s.length - 1] === "'") return s.slice(1, -1).replace(/''/g, "'");
  return s.trimEnd();
}

/** Where a YAML comment starts in `s` (a `#` at the start or after a blank, outside quotes), or -1. */
function commentStart(s: string): number {
  let quote: string | null = null;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote !== null) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || s[i - 1] === ' ' || s[i - 1] === '\t')) return i;
  }
  return -1;
}

/** A value without its trailing comment (` # ...` outside quotes). */
function stripComment(s: string): string {
  const at = commentStart(s);
  return (at < 0 ? s : s.slice(0, at)).trimEnd();
}

/** Lines of a text and the offset each starts at. */
export class Lines {
  readonly lines: string[];
  readonly starts: number[];
  private readonly infos: (LineInfo | undefined)[];

  constructor(readonly text: string) {
    this.lines = text.split(/\r\n|\r|\n/);
    this.starts = new Array<number>(this.lines.length);
    let offset = 0;
    for (let i = 0; i < this.lines.length; i++) {
      this.starts[i] = offset;
      offset += this.lines[i].length;
      // The separator's length: \r\n is two code units.
      if (text.charCodeAt(offset) === 13 && text.charCodeAt(offset + 1) === 10) offset += 2;
      else offset += 1;
    }
    this.infos = new Array<LineInfo | undefined>(this.lines.length);
  }

  info(i: number): LineInfo {
    let info = this.infos[i];
    if (info === undefined) {
      info = lineInfo(this.lines[i]);
      this.infos[i] = info;
    }
    return info;
  }

  /** 0-based line and column of an offset. */
  position(offset: number): { line: number; column: number } {
    const lo = lineIndexAt(this.starts, offset);
    return { line: lo, column: offset - this.starts[lo] };
  }
}

/**
 * The index of the list item whose `- ` is at `column` on line `line`: the number of items of
 * the same list above it.
 */
export function itemIndex(lines: Lines, line: number, column: number): number {
  let n = 0;
  for (let i = line - 1; i >= 0; i--) {
    const info = lines.info(i);
    if (info.first < 0) continue;
    if (info.first < column) break;
    if (info.first === column) {
      if (info.dashes.length > 0 && info.dashes[0] === column) n++;
      else break; // a key at the list's column: the list's parent (`key:` then `- item`)
    }
  }
  return n;
}

/**
 * The path of the mapping or list that holds an entry starting at `column` on `line`, from the
 * lines above (the entries of `line` itself left of `column` are not included).
 */
export function containerPath(lines: Lines, line: number, column: number, fromDash: boolean): PathSegment[] {
  const path: PathSegment[] = [];
  let threshold = column;
  let dash = fromDash;
  for (let i = line - 1; i >= 0 && (threshold > 0 || dash); i--) {
    const info = lines.info(i);
    if (info.first < 0) continue;
    if (info.first > threshold) continue;
    if (info.first === threshold) {
      // A list at its parent key's column (`key:` then `- item` on the next line).
      if (dash && info.dashes.length === 0 && info.key !== null && info.key.column === threshold && info.key.value === '') {
        path.unshift(info.key.name);
        dash = false;
      }
      continue;
    }
    // Entries left of the threshold, right to left: the key, then the dashes.
    if (info.key !== null && info.key.column < threshold) {
      path.unshift(info.key.name);
      threshold = info.key.column;
      dash = false;
    }
    for (let d = info.dashes.length - 1; d >= 0; d--) {
      const c = info.dashes[d];
      if (c < threshold) {
        path.unshift(d === 0 ? itemIndex(lines, i, c) : 0);
        threshold = c;
        dash = true;
      }
    }
  }
  return path;
}

/** Entries of `line` left of `column`, as path segments (dashes give item indices). */
function inlinePath(lines: Lines, line: number, info: LineInfo, upTo: number): PathSegment[] {
  const path: PathSegment[] = [];
  for (let d = 0; d < info.dashes.length; d++) {
    if (info.dashes[d] >= upTo) break;
    path.push(d === 0 ? itemIndex(lines, line, info.dashes[d]) : 0);
  }
  if (info.key !== null && info.key.column < upTo) path.push(info.key.name);
  return path;
}

/** Keys written at `column` in the mapping that line `line` belongs to (other than on `line`). */
function siblingKeys(lines: Lines, line: number, column: number): string[] {
  const out: string[] = [];
  for (let i = line - 1; i >= 0; i--) {
    const info = lines.info(i);
    if (info.first < 0 || info.first > column) continue;
    if (info.key !== null && info.key.column === column) {
      out.unshift(info.key.name);
      // `- key:`: the first key of a list item's mapping.
      if (info.first < column) break;
    } else break;
  }
  for (let i = line + 1; i < lines.lines.length; i++) {
    const info = lines.info(i);
    if (info.first < 0 || info.first > column) continue;
    if (info.first === column && info.key !== null && info.key.column === column) out.push(info.key.name);
    else break;
  }
  return out;
}

/** Scalar items of the block list whose dashes are at `column` around `line`. */
function siblingItems(lines: Lines, line: number, column: number): string[] {
  const out: string[] = [];
  const take = (i: number): boolean => {
    const info = lines.info(i);
    if (info.first < 0) return true;
    if (info.first < column || (info.first === column && info.dashes.length === 0)) return false;
    if (info.first === column && info.key === null) {
      const v = unquote(stripComment(lines.lines[i].slice(info.content)));
      if (v !== '') out.push(v);
    }
    return true;
  };
  for (let i = line - 1; i >= 0 && take(i); i--);
  // Collected upwards: back to document order.
  out.reverse();
  for (let i = line + 1; i < lines.lines.length && take(i); i++);
  return out;
}

const WORD_STOP = new Set([' ', '\t', ',', '[', ']', '{', '}', ':']);

/** The cursor context at `offset` of `text`, or null where nothing can be completed (a comment, a block scalar). */
export function cursorContext(text: string, offset: number, lines: Lines = new Lines(text)): CursorContext | null {
  const { line, column: ch } = lines.position(offset);
  const full = lines.lines[line];
  const before = full.slice(0, ch);
  const info = lineInfo(before);
  if (/^\s*#/.test(before) || inComment(before)) return null;

  // After `key:` on this line: a value, possibly inside a flow collection.
  if (info.key !== null && ch >= info.key.valueStart) {
    const valueText = before.slice(info.key.valueStart);
    const base = [...containerPath(lines, line, info.first, info.dashes.length > 0), ...inlinePath(lines, line, info, info.key.column), info.key.name];
    if (/^[|>]/.test(valueText)) return null;
    const flow = flowContext(valueText);
    // After a closed `[...]` or `{...}`: nothing to complete.
    if (flow === null && /^[[{]/.test(valueText)) return null;
    const lineStart = lines.starts[line];
    if (flow !== null) {
      const start = lineStart + info.key.valueStart + flow.wordStart;
      const ctx: CursorContext = {
        kind: flow.kind,
        path: [...base, ...flow.path],
        index: flow.index,
        prefix: flow.prefix,
        replace: [start, offset + restOfWord(full, ch, flow.kind === 'key' ? 'key' : 'flow')],
        inFlow: true,
        quote: flow.quote,
        column: info.key.column,
        siblings: flow.siblings,
        colonFollows: flow.kind === 'key' && /^[^\s:#,[\]{}]*:/.test(full.slice(ch)),
      };
      return ctx;
    }
    const { prefix, quote } = typed(valueText);
    return {
      kind: 'value',
      path: base,
      index: 0,
      prefix,
      replace: [lineStart + info.key.valueStart, offset + restOfWord(full, ch, 'block')],
      inFlow: false,
      quote,
      column: info.key.column,
      siblings: [],
      colonFollows: false,
    };
  }

  // No key on this line (yet): a key being typed, or a list item after `- `.
  const lineStart = lines.starts[line];
  const afterDashes = before.slice(info.content);
  if (afterDashes.includes(':') && !/^["']/.test(afterDashes)) return null;
  const { prefix, quote } = typed(afterDashes);
  const wordStart = lineStart + info.content;
  if (info.dashes.length > 0) {
    const dashColumn = info.dashes[info.dashes.length - 1];
    const listPath = [...containerPath(lines, line, info.first, true), ...inlinePath(lines, line, info, dashColumn)];
    return {
      kind: 'item',
      path: listPath,
      index: info.dashes.length === 1 ? itemIndex(lines, line, dashColumn) : 0,
      prefix,
      replace: [wordStart, offset + restOfWord(full, ch, 'block')],
      inFlow: false,
      quote,
      column: info.content,
      siblings: info.dashes.length === 1 ? siblingItems(lines, line, dashColumn) : [],
      colonFollows: /^[^\s:#,[\]{}]*:(\s|$)/.test(full.slice(ch)),
    };
  }
  const column = info.content;
  // Indentation alone (an empty line) puts the new key in the mapping it is aligned with.
  return {
    kind: 'key',
    path: containerPath(lines, line, column, false),
    index: 0,
    prefix,
    replace: [wordStart, offset + restOfWord(full, ch, 'key')],
    inFlow: false,
    quote,
    column,
    siblings: siblingKeys(lines, line, column),
    colonFollows: /^[^\s:#,[\]{}]*:(\s|$)/.test(full.slice(ch)),
  };
}

/**
 * Length of the rest of the word after the cursor that a completion replaces: a key's rest up
 * to its `:`, a block value up to a comment or the line end, a flow item up to `,`, `]` or `}`.
 */
function restOfWord(line: string, ch: number, mode: 'key' | 'block' | 'flow'): number {
  const rest = line.slice(ch);
  const m = mode === 'key' ? /^[^\s:#,[\]{}]*/.exec(rest) : mode === 'flow' ? /^[^,\]}#]*/.exec(rest) : /^(?:[^#]|#(?<!\s#))*/.exec(rest);
  return m === null ? 0 : m[0].replace(/\s+$/, '').length;
}

function inComment(before: string): boolean {
  return commentStart(before) >= 0;
}

function typed(s: string): { prefix: string; quote: '"' | "'" | null } {
  const t = s.trimStart();
  if (t.startsWith('"') || t.startsWith("'")) return { prefix: t.slice(1), quote: t[0] as '"' | "'" };
  return { prefix: t, quote: null };
}

interface FlowContext {
  kind: CursorKind;
  path: PathSegment[];
  index: number;
  prefix: string;
  wordStart: number;
  quote: '"' | "'" | null;
  siblings: string[];
}

/**
 * The position inside a flow collection that starts in `s` (the text of a value up to the
 * cursor), or null when the cursor is not inside one.
 */
function flowContext(s: string): FlowContext | null {
  interface Frame {
    type: 'seq' | 'map';
    index: number;
    key: string | null;
    entryStart: number;
    items: string[];
  }
  const stack: Frame[] = [];
  let quote: string | null = null;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote !== null) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = null;
      continue;
    }
    const top = stack[stack.length - 1];
    if (c === '"' || c === "'") {
      if (top !== undefined) quote = c;
    } else if (c === '[' || c === '{') {
      stack.push({ type: c === '[' ? 'seq' : 'map', index: 0, key: null, entryStart: i + 1, items: [] });
    } else if (c === ']' || c === '}') {
      stack.pop();
      if (stack.length === 0) return null;
    } else if (top !== undefined && c === ',') {
      if (top.type === 'seq') top.items.push(unquote(s.slice(top.entryStart, i).trim()));
      else if (top.key !== null) top.items.push(top.key);
      top.index++;
      top.key = null;
      top.entryStart = i + 1;
    } else if (top !== undefined && c === ':' && (i + 1 === s.length || s[i + 1] === ' ') && top.type === 'map' && top.key === null) {
      top.key = unquote(s.slice(top.entryStart, i).trim());
      top.entryStart = i + 1;
    }
  }
  if (stack.length === 0) return null;
  const path: PathSegment[] = [];
  for (let f = 0; f < stack.length - 1; f++) {
    const frame = stack[f];
    if (frame.type === 'seq') path.push(frame.index);
    else if (frame.key !== null) path.push(frame.key);
    else return null; // a collection as a key
  }
  const top = stack[stack.length - 1];
  let start = top.entryStart;
  while (start < s.length && (s[start] === ' ' || s[start] === '\t')) start++;
  const word = s.slice(start);
  if ([...word].some((c) => WORD_STOP.has(c) && !/^["']/.test(word))) return null;
  const { prefix, quote: q } = typed(word);
  if (top.type === 'seq') {
    return { kind: 'item', path, index: top.index, prefix, wordStart: start, quote: q, siblings: top.items };
  }
  if (top.key === null) return { kind: 'key', path, index: 0, prefix, wordStart: start, quote: q, siblings: top.items };
  return { kind: 'value', path: [...path, top.key], index: 0, prefix, wordStart: start, quote: q, siblings: [] };
}
