/**
 * Formatting that never loses a comment: a conservative re-indentation, not a re-serialisation.
 * Only the whitespace at the start and end of lines changes (and the space after a list's `-`):
 * every nesting level is indented by `tabSize` spaces, trailing spaces go, the file ends with
 * one newline. Comments, blank lines, quoting, flow style and key order stay as written.
 *
 * Which lines start a key or a list item comes from the YAML CST, so text inside block scalars
 * (`|`, `>`) and multi-line quoted strings is never mistaken for structure; such lines move
 * with the line that owns them, keeping their relative indentation. A document with YAML errors
 * is left alone, and the result is checked before it is offered: it must parse to the same data
 * with the same comments, else no edit is returned.
 */
import { isMap, isScalar, isSeq, Parser, parseDocument, type CST } from 'yaml';
import type { FormattingOptions, TextEdit } from 'vscode-languageserver/node';
import type { StudySnapshot } from './documents';
import { lineIndexAt } from '../../src/engine/util/line-starts';

interface Level {
  /** Column in the original text. */
  orig: number;
  depth: number;
}

/** Per line: what formatting does with it. */
type LineRole =
  | { kind: 'blank' }
  | { kind: 'comment' }
  | { kind: 'structure'; cols: number[] }
  /** Inside a block scalar or a multi-line quoted scalar: moved with its owner, never trimmed. */
  | { kind: 'inside' }
  /** Other content (a value on its own line, a flow collection's continuation): moved with its owner. */
  | { kind: 'other' };

/** The edits that format the document; [] when it is formatted already or cannot be safely formatted. */
export function formatDocument(snapshot: StudySnapshot, options: FormattingOptions): TextEdit[] {
  const formatted = formatText(snapshot.text, options);
  if (formatted === null || formatted === snapshot.text) return [];
  return lineEdits(snapshot, formatted);
}

/** The formatted text, or null when the text has YAML errors or formatting would change its meaning. */
export function formatText(text: string, options: Pick<FormattingOptions, 'tabSize' | 'insertFinalNewline' | 'trimFinalNewlines'>): string | null {
  const step = Math.max(1, Math.min(8, Math.floor(options.tabSize) || 2));
  const doc = parseDocument(text, { uniqueKeys: false });
  if (doc.errors.length > 0) return null;
  const eol = /\r\n/.test(text) ? '\r\n' : '\n';
  const lines = text.split(/\r\n|\n/);
  const starts: number[] = [];
  let offset = 0;
  for (const l of lines) {
    starts.push(offset);
    offset += l.length + (text.startsWith('\r\n', offset + l.length) ? 2 : 1);
  }
  const roles = classify(text, lines, starts);
  if (roles === null) return null;

  // Pass 1: the new column of every structural line (and of each level on it).
  const stack: Level[] = [];
  const newCols = new Map<number, number[]>();
  roles.forEach((role, i) => {
    if (role.kind !== 'structure') return;
    const first = role.cols[0];
    while (stack.length > 0 && stack[stack.length - 1].orig >= first) stack.pop();
    const cols: number[] = [];
    for (const c of role.cols) {
      if (stack.length > 0 && stack[stack.length - 1].orig >= c) continue;
      stack.push({ orig: c, depth: stack.length });
      cols.push(stack.length - 1);
    }
    newCols.set(i, cols.map((d) => d * step));
  });

  // Pass 2: the lines.
  const out: string[] = [];
  let ownerDelta = 0;
  let nextStructure = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const role = roles[i];
    const indent = line.length - line.trimStart().length;
    switch (role.kind) {
      case 'blank':
        out.push('');
        break;
      case 'inside':
        out.push(shift(line, ownerDelta));
        break;
      case 'other':
        out.push(shift(line, ownerDelta).trimEnd());
        break;
      case 'comment': {
        // Aligned with the next key or item: moves with it; else stays where it is.
        while (nextStructure < lines.length && (nextStructure <= i || roles[nextStructure].kind !== 'structure')) nextStructure++;
        const next = roles[nextStructure];
        const target = next?.kind === 'structure' && next.cols[0] === indent ? (newCols.get(nextStructure)?.[0] ?? indent) : indent;
        out.push(' '.repeat(target) + line.trim());
        break;
      }
      case 'structure': {
        const cols = newCols.get(i) ?? [indent];
        out.push(rebuild(line, role.cols, cols));
        // Content that follows belongs to the innermost node on this line.
        ownerDelta = cols[cols.length - 1] - role.cols[role.cols.length - 1];
        break;
      }
    }
  }
  let result = out.join(eol);
  if (options.trimFinalNewlines !== false) result = result.replace(/(\r?\n)+$/, '');
  if (options.insertFinalNewline !== false && result !== '') result += eol;
  else if (options.trimFinalNewlines === false && /\r?\n$/.test(text) && !result.endsWith('\n')) result += eol;
  return sameMeaning(text, result) ? result : null;
}

/** `line` with its leading `-` indicators and first content placed at the new columns. */
function rebuild(line: string, origCols: number[], newCols: number[]): string {
  const dashes = origCols.length - 1;
  const content = line.slice(origCols[origCols.length - 1]).trimEnd();
  if (dashes === 0 || origCols.length !== newCols.length) {
    return ' '.repeat(newCols[0]) + line.slice(origCols[0]).trimEnd();
  }
  let s = ' '.repeat(newCols[0]);
  for (let d = 0; d < dashes; d++) s += `-${' '.repeat(Math.max(1, newCols[d + 1] - newCols[d] - 1))}`;
  // A dash with nothing after it on the line: no trailing space.
  return content === '' ? s.trimEnd() : s + content;
}

function shift(line: string, delta: number): string {
  if (delta === 0 || line.length === 0) return line;
  if (delta > 0) return ' '.repeat(delta) + line;
  let n = 0;
  while (n < -delta && line.charCodeAt(n) === 32) n++;
  return line.slice(n);
}

/**
 * The role of every line. Structure: the line's first token is a block mapping key or a block
 * list's `-` (cols: the columns of its `-` indicators and of what follows the last one).
 */
function classify(text: string, lines: string[], starts: number[]): LineRole[] | null {
  const structural = new Set<number>();
  const insideFrom = new Map<number, number>(); // first inside line -> last inside line
  const lineOf = (offset: number): number => lineIndexAt(starts, offset);
  const markMultiLine = (token: CST.Token): void => {
    if (token.type === 'block-scalar' || token.type === 'double-quoted-scalar' || token.type === 'single-quoted-scalar') {
      const first = lineOf(token.offset);
      const last = lineOf(token.offset + Math.max(0, token.source.length - 1));
      if (last > first) insideFrom.set(first + 1, last);
    }
  };
  const walk = (token: CST.Token | null | undefined): void => {
    if (token === null || token === undefined) return;
    switch (token.type) {
      case 'document':
        if (token.value !== undefined) structural.add(token.value.offset);
        walk(token.value);
        break;
      case 'block-map':
      case 'block-seq':
        for (const item of token.items) {
          for (const t of item.start) if (t.type === 'seq-item-ind' || t.type === 'explicit-key-ind') structural.add(t.offset);
          if (item.key !== undefined && item.key !== null) structural.add(item.key.offset);
          walk(item.key);
          walk(item.value);
        }
        break;
      case 'flow-collection':
        for (const item of token.items) {
          walk(item.key);
          walk(item.value);
        }
        break;
      default:
        markMultiLine(token);
    }
  };
  for (const token of new Parser().parse(text)) walk(token);
  const roles: LineRole[] = new Array<LineRole>(lines.length);
  let insideUntil = -1;
  for (let i = 0; i < lines.length; i++) {
    const endOfInside = insideFrom.get(i);
    if (endOfInside !== undefined) insideUntil = Math.max(insideUntil, endOfInside);
    const line = lines[i];
    if (i <= insideUntil) {
      roles[i] = { kind: 'inside' };
      continue;
    }
    const trimmed = line.trimStart();
    const indent = line.length - trimmed.length;
    if (trimmed === '') roles[i] = { kind: 'blank' };
    else if (trimmed.startsWith('#')) roles[i] = { kind: 'comment' };
    else if (/^\t/.test(line.slice(indent - 1, indent + 1)) && indent > 0) return null;
    else if (structural.has(starts[i] + indent)) roles[i] = { kind: 'structure', cols: levelColumns(line, indent) };
    else roles[i] = { kind: 'other' };
  }
  return roles;
}

/** Columns of the `-` indicators at the start of a line and of the content after them. */
function levelColumns(line: string, indent: number): number[] {
  const cols = [indent];
  let i = indent;
  while (line[i] === '-' && (i + 1 === line.length || line[i + 1] === ' ')) {
    i++;
    while (line[i] === ' ') i++;
    if (i >= line.length || line[i] === '#') break;
    cols.push(i);
    if (line[i] !== '-') break;
  }
  return cols;
}

/** Same data, same comments, no errors. */
function sameMeaning(before: string, after: string): boolean {
  const a = parseDocument(before, { uniqueKeys: false });
  const b = parseDocument(after, { uniqueKeys: false });
  if (b.errors.length > 0) return false;
  if (JSON.stringify(a.toJS({ maxAliasCount: -1 })) !== JSON.stringify(b.toJS({ maxAliasCount: -1 }))) return false;
  return commentsOf(before).join('\n') === commentsOf(after).join('\n') && sameNodeKinds(a.contents, b.contents);
}

/** The comments of a text, in order (from the CST: `#` inside strings is not a comment). */
export function commentsOf(text: string): string[] {
  const out: string[] = [];
  const collect = (tokens: readonly CST.Token[] | undefined): void => {
    for (const t of tokens ?? []) if (t.type === 'comment') out.push(t.source.trim());
  };
  const walk = (token: CST.Token | undefined): void => {
    if (token === undefined) return;
    switch (token.type) {
      case 'document':
        collect(token.start);
        walk(token.value);
        collect(token.end);
        break;
      case 'doc-end':
        collect(token.end);
        break;
      case 'block-map':
      case 'block-seq':
        for (const item of token.items) {
          collect(item.start);
          walk(item.key ?? undefined);
          collect(item.sep);
          walk(item.value);
        }
        break;
      case 'flow-collection':
        for (const item of token.items) {
          collect(item.start);
          walk(item.key ?? undefined);
          collect(item.sep);
          walk(item.value);
        }
        collect(token.end);
        break;
      case 'scalar':
      case 'single-quoted-scalar':
      case 'double-quoted-scalar':
      case 'alias':
        collect(token.end);
        break;
      case 'block-scalar':
        collect(token.props);
        break;
      case 'comment':
        out.push(token.source.trim());
        break;
      default:
        break;
    }
  };
  for (const token of new Parser().parse(text)) walk(token);
  return out;
}

/** Block and flow styles and scalar styles unchanged (toJS alone would not see a `|` becoming plain). */
function sameNodeKinds(a: unknown, b: unknown): boolean {
  if (isMap(a) && isMap(b)) return a.items.length === b.items.length && a.items.every((p, i) => sameNodeKinds(p.key, b.items[i].key) && sameNodeKinds(p.value, b.items[i].value));
  if (isSeq(a) && isSeq(b)) return a.items.length === b.items.length && a.items.every((x, i) => sameNodeKinds(x, b.items[i]));
  if (isScalar(a) && isScalar(b)) return a.type === b.type;
  return (a === null || a === undefined) === (b === null || b === undefined);
}

/** One edit per changed line (and one for the end of the file). */
function lineEdits(snapshot: StudySnapshot, formatted: string): TextEdit[] {
  const before = snapshot.lines;
  const after = formatted.split(/\r\n|\n/);
  const edits: TextEdit[] = [];
  const n = Math.min(before.lines.length, after.length);
  for (let i = 0; i < n; i++) {
    if (before.lines[i] !== after[i]) {
      edits.push({ range: { start: { line: i, character: 0 }, end: { line: i, character: before.lines[i].length } }, newText: after[i] });
    }
  }
  if (before.lines.length !== after.length) {
    // The tail: lines added (a final newline) or removed (extra final newlines).
    const eol = /\r\n/.test(formatted) ? '\r\n' : '\n';
    const last = n - 1;
    const tail = after.slice(n).map((l) => eol + l).join('');
    edits.push({ range: { start: { line: last, character: before.lines[last].length }, end: snapshot.position(snapshot.text.length) }, newText: tail });
  }
  return edits;
}
