/**
 * Finding things in a parsed study document by source offset: the key or value under the cursor
 * (hover, definition) and every scalar with its path (references, symbols). Works on whatever
 * the parser could build from a broken document: nodes without a source range are skipped.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, type Node, type Pair, type Scalar } from 'yaml';
import type { PathSegment } from '../../src/engine/schema/validate-yaml';

export type { PathSegment };

/** A scalar of the document under a position. */
export interface ScalarAt {
  /** For a key: the path of its value (the key is the last segment). For a value: its own path. */
  path: PathSegment[];
  isKey: boolean;
  node: Scalar;
  /** The pair the scalar is the key or value of (absent for list items and the root). */
  pair?: Pair;
}

/** [start, end) of a node's source, or null. */
export function sourceRange(node: unknown): [number, number] | null {
  if (!isScalar(node) && !isMap(node) && !isSeq(node) && !isAlias(node)) return null;
  const r = (node as Node).range;
  return r ? [r[0], r[1]] : null;
}

function contains(node: unknown, offset: number): boolean {
  const r = sourceRange(node);
  // Inclusive end: a cursor just after a word is still "on" it.
  return r !== null && offset >= r[0] && offset <= r[1];
}

/** The key or value scalar at `offset`, with its path; null between nodes. */
export function scalarAt(root: unknown, offset: number): ScalarAt | null {
  const path: PathSegment[] = [];
  let cur: unknown = root;
  for (let depth = 0; depth < 256; depth++) {
    if (isMap(cur)) {
      let next: unknown;
      for (const pair of cur.items) {
        const key = pair.key;
        if (isScalar(key) && contains(key, offset)) {
          return { path: [...path, key.value === null ? '' : String(key.value)], isKey: true, node: key, pair };
        }
        if (contains(pair.value, offset)) {
          path.push(isScalar(key) ? String(key.value) : '');
          if (isScalar(pair.value)) return { path, isKey: false, node: pair.value, pair };
          next = pair.value;
          break;
        }
      }
      if (next === undefined) return null;
      cur = next;
    } else if (isSeq(cur)) {
      const index = cur.items.findIndex((item) => contains(item, offset));
      if (index < 0) return null;
      path.push(index);
      const item = cur.items[index];
      if (isScalar(item)) return { path, isKey: false, node: item };
      cur = item;
    } else if (isScalar(cur) && contains(cur, offset)) {
      return { path, isKey: false, node: cur };
    } else {
      return null;
    }
  }
  return null;
}

/** Calls `visit` for every key and value scalar, depth first in source order. */
export function forEachScalar(root: unknown, visit: (node: Scalar, path: readonly PathSegment[], isKey: boolean) => void): void {
  const path: PathSegment[] = [];
  const walk = (node: unknown): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        const name = isScalar(pair.key) ? String(pair.key.value) : '';
        path.push(name);
        if (isScalar(pair.key)) visit(pair.key, path, true);
        walk(pair.value);
        path.pop();
      }
    } else if (isSeq(node)) {
      for (let i = 0; i < node.items.length; i++) {
        path.push(i);
        walk(node.items[i]);
        path.pop();
      }
    } else if (isScalar(node)) {
      visit(node, path, false);
    }
  };
  walk(root);
}

/** The pair of `map` whose key is `name`. */
export function pairOf(map: unknown, name: string): Pair | undefined {
  if (!isMap(map)) return undefined;
  const found = map.items.find((p) => isScalar(p.key) && String(p.key.value) === name);
  return isPair(found) ? found : undefined;
}

/** The pair at `path` (the last segment is its key), or undefined. */
export function pairAt(root: unknown, path: readonly string[]): Pair | undefined {
  let cur: unknown = root;
  let pair: Pair | undefined;
  for (const seg of path) {
    pair = pairOf(cur, seg);
    if (pair === undefined) return undefined;
    cur = pair.value;
  }
  return pair;
}

/** "cohort.labels.necrosis" for display. */
export function dotted(path: readonly PathSegment[]): string {
  let s = '';
  for (const seg of path) s += typeof seg === 'number' ? `[${seg}]` : s.length === 0 ? seg : `.${seg}`;
  return s;
}

/** Whether `path` starts with `prefix` (strings compared exactly, '*' matches any one segment). */
export function pathMatches(path: readonly PathSegment[], pattern: readonly (PathSegment | '*')[]): boolean {
  if (path.length !== pattern.length) return false;
  for (let i = 0; i < pattern.length; i++) if (pattern[i] !== '*' && pattern[i] !== path[i]) return false;
  return true;
}
