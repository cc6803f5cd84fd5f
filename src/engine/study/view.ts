/**
 * A read-only view of a parsed study document for the checks after the schema: the plain data
 * (for values) next to the YAML nodes (for the range of a value or key). Every accessor is
 * defensive: a part that failed the schema reads as absent, so the other checks still run.
 */
import { isMap, isScalar, type Document, type Node } from 'yaml';
import { locate, nodeAt, rangeOf, type PathSegment, type SourceRange } from '../schema/validate-yaml';

export type Data = Record<string, unknown>;

export class StudyView {
  /** The document as plain data ({} when it is not a mapping or cannot be converted). */
  readonly data: Data;

  constructor(
    readonly root: Node | null,
    readonly doc: Document,
  ) {
    let data: unknown = {};
    try {
      data = root === null ? {} : root.toJS(doc);
    } catch {
      // Alias limits: the validator has reported them.
    }
    this.data = isRecord(data) ? data : {};
  }

  /** The value at `path` in the plain data, or undefined. */
  get(path: readonly PathSegment[]): unknown {
    let cur: unknown = this.data;
    for (const seg of path) {
      if (typeof seg === 'number') {
        if (!Array.isArray(cur)) return undefined;
        cur = cur[seg];
      } else {
        if (!isRecord(cur) || !Object.prototype.hasOwnProperty.call(cur, seg)) return undefined;
        cur = cur[seg];
      }
    }
    return cur;
  }

  string(path: readonly PathSegment[]): string | undefined {
    const v = this.get(path);
    return typeof v === 'string' ? v : undefined;
  }

  record(path: readonly PathSegment[]): Data | undefined {
    const v = this.get(path);
    return isRecord(v) ? v : undefined;
  }

  /** Whether the file writes the key (or item) at `path`. */
  has(path: readonly PathSegment[]): boolean {
    return nodeAt(this.root, path) !== undefined || this.keyNode(path) !== undefined;
  }

  /** The range of the value at `path` when written, else of its key, else of the nearest enclosing key. */
  range(path: readonly PathSegment[], fallback?: SourceRange): SourceRange {
    return locate(this.root, path, fallback ?? this.start());
  }

  /** The range of the key of the last segment of `path` (a mapping key), else `range(path)`. */
  keyRange(path: readonly PathSegment[]): SourceRange {
    return rangeOf(this.keyNode(path)) ?? this.range(path);
  }

  /** An empty range at the start of the document. */
  start(): SourceRange {
    const r = rangeOf(this.root);
    return r === null ? [0, 0] : [r[0], r[0]];
  }

  private keyNode(path: readonly PathSegment[]): Node | undefined {
    if (path.length === 0) return undefined;
    const last = path[path.length - 1];
    if (typeof last !== 'string') return undefined;
    const parent = path.length === 1 ? this.root : nodeAt(this.root, path.slice(0, -1));
    if (!isMap(parent)) return undefined;
    const pair = parent.items.find((p) => isScalar(p.key) && String(p.key.value) === last);
    return isScalar(pair?.key) ? pair.key : undefined;
  }
}

export function isRecord(v: unknown): v is Data {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/** "a, b, c" or "a, b, c and 7 more" (at most `max` shown). */
export function shortList(items: readonly string[], max = 5): string {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

/** "`a`, `b`" for messages. */
export function quoted(items: readonly string[], max = 12): string {
  return shortList(items.map((s) => `\`${s}\``), max);
}
