/**
 * The outline of a study file: its sections (study, cohort, preprocessing, features, outcomes,
 * analysis, report), and inside them the settings, the sequences, labels, unions, clinical
 * tables and outcomes by name, each with a short detail (a label's value, an outcome's type).
 */
import { isMap, isScalar, isSeq, type Pair } from 'yaml';
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver/node';
import type { StudySnapshot } from './documents';
import { pathMatches, sourceRange, type PathSegment } from './yaml-nodes';

/** Levels below the sections shown in the outline (deeper settings are one click away). */
const MAX_DEPTH = 4;

export function documentSymbols(snapshot: StudySnapshot): DocumentSymbol[] {
  const root = snapshot.root;
  if (!isMap(root)) return [];
  return pairsToSymbols(snapshot, root.items, [], 0);
}

function pairsToSymbols(snapshot: StudySnapshot, pairs: readonly Pair[], path: PathSegment[], depth: number): DocumentSymbol[] {
  const out: DocumentSymbol[] = [];
  for (const pair of pairs) {
    if (!isScalar(pair.key) || pair.key.value === null) continue;
    const name = String(pair.key.value);
    const keyRange = sourceRange(pair.key);
    if (keyRange === null) continue;
    const at = [...path, name];
    const valueRange = sourceRange(pair.value);
    const end = valueRange === null ? keyRange[1] : Math.max(keyRange[1], valueRange[1]);
    const symbol: DocumentSymbol = {
      name,
      kind: kindOf(at, pair.value),
      range: snapshot.range(keyRange[0], end),
      selectionRange: snapshot.range(keyRange[0], keyRange[1]),
    };
    const detail = detailOf(at, pair.value);
    if (detail !== '') symbol.detail = detail;
    const children = depth + 1 < MAX_DEPTH ? childrenOf(snapshot, pair.value, at, depth + 1) : [];
    if (children.length > 0) symbol.children = children;
    out.push(symbol);
  }
  return out;
}

function childrenOf(snapshot: StudySnapshot, value: unknown, path: PathSegment[], depth: number): DocumentSymbol[] {
  if (isMap(value)) return pairsToSymbols(snapshot, value.items, path, depth);
  if (!isSeq(value)) return [];
  const out: DocumentSymbol[] = [];
  value.items.forEach((item, i) => {
    if (!isMap(item)) return;
    const r = sourceRange(item);
    if (r === null) return;
    // A list item is named by its file or name, else by its position.
    const label = ['file', 'name', 'id'].map((k) => item.items.find((p) => isScalar(p.key) && p.key.value === k)?.value).find(isScalar);
    const name = label !== undefined && label.value !== null ? String(label.value) : `[${i}]`;
    const children = depth + 1 < MAX_DEPTH ? pairsToSymbols(snapshot, item.items, [...path, i], depth + 1) : [];
    out.push({
      name,
      kind: pathMatches(path, ['cohort', 'clinical']) ? SymbolKind.File : SymbolKind.Object,
      range: snapshot.range(r[0], r[1]),
      selectionRange: snapshot.range(r[0], label !== undefined ? (sourceRange(label)?.[1] ?? r[0]) : r[0]),
      ...(children.length > 0 ? { children } : {}),
    });
  });
  return out;
}

const SECTION_KINDS: Record<string, SymbolKind> = {
  study: SymbolKind.Namespace,
  cohort: SymbolKind.Module,
  preprocessing: SymbolKind.Module,
  features: SymbolKind.Module,
  outcomes: SymbolKind.Module,
  analysis: SymbolKind.Module,
  report: SymbolKind.Module,
};

function kindOf(path: PathSegment[], value: unknown): SymbolKind {
  if (path.length === 1) return SECTION_KINDS[String(path[0])] ?? SymbolKind.Module;
  if (pathMatches(path, ['cohort', 'sequences', '*'])) return SymbolKind.Class;
  if (pathMatches(path, ['cohort', 'labels', '*'])) return SymbolKind.Constant;
  if (pathMatches(path, ['cohort', 'unions', '*'])) return SymbolKind.Struct;
  if (pathMatches(path, ['outcomes', '*'])) return SymbolKind.Event;
  if (pathMatches(path, ['cohort', 'manifest']) || pathMatches(path, ['cohort', 'external', 'manifest'])) return SymbolKind.File;
  if (isSeq(value)) return SymbolKind.Array;
  if (isMap(value)) return SymbolKind.Object;
  return SymbolKind.Property;
}

/** A scalar's value, a list's items (shortened), an outcome's type. */
function detailOf(path: PathSegment[], value: unknown): string {
  if (pathMatches(path, ['outcomes', '*']) && isMap(value)) {
    const type = value.items.find((p) => isScalar(p.key) && p.key.value === 'type')?.value;
    return isScalar(type) && type.value !== null ? String(type.value) : '';
  }
  if (isScalar(value)) return value.value === null ? '' : shorten(String(value.value));
  if (isSeq(value)) return shorten(value.items.map((i: unknown) => (isScalar(i) ? String(i.value) : isMap(i) ? '{…}' : '[…]')).join(', '));
  return '';
}

function shorten(s: string): string {
  const oneLine = s.replace(/\s+/g, ' ');
  return oneLine.length > 60 ? `${oneLine.slice(0, 57)}...` : oneLine;
}
