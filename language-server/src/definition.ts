/**
 * Go to definition and find references for the names a study defines: regions (labels under
 * cohort.labels and unions under cohort.unions; used as union members, in cohort.rois and in
 * analysis.features.rois), sequences (cohort.sequences; used in analysis.features.sequences) and
 * outcomes (outcomes; used by the analysis and report under `outcome` / `outcomes` keys). A name used where it is not defined has no definition; its other uses are
 * still its references.
 */
import { isMap, isScalar, type Scalar } from 'yaml';
import type { Location, Position } from 'vscode-languageserver/node';
import type { StudySnapshot } from './documents';
import { forEachScalar, pathMatches, scalarAt, sourceRange, type PathSegment } from './yaml-nodes';

export type NameKind = 'region' | 'sequence' | 'outcome';

export interface NameUse {
  range: [number, number];
  /** The key that defines the name. */
  definition: boolean;
  path: PathSegment[];
}

/** Sections whose settings may name outcomes (the analysis and the report). */
const OUTCOME_SECTIONS = new Set(['analysis', 'report']);
/** Keys under which those sections name outcomes. */
const OUTCOME_KEYS = new Set(['outcome', 'outcomes']);

/** Whether the scalar at `path` (a key when `isKey`) defines or uses a name, and which kind. */
export function nameKindAt(path: readonly PathSegment[], isKey: boolean): NameKind | null {
  if (isKey) {
    if (pathMatches(path, ['cohort', 'labels', '*']) || pathMatches(path, ['cohort', 'unions', '*'])) return 'region';
    if (pathMatches(path, ['cohort', 'sequences', '*'])) return 'sequence';
    if (pathMatches(path, ['outcomes', '*'])) return 'outcome';
    if (isOutcomeUse(path, true)) return 'outcome';
    return null;
  }
  if (pathMatches(path, ['cohort', 'unions', '*', '*']) && typeof path[3] === 'number') return 'region';
  if (pathMatches(path, ['cohort', 'rois', '*']) && typeof path[2] === 'number') return 'region';
  // The analysis's candidate features (src/engine/analysis/schema.ts: analysis.features).
  if (pathMatches(path, ['analysis', 'features', 'rois', '*']) && typeof path[3] === 'number') return 'region';
  if (pathMatches(path, ['analysis', 'features', 'sequences', '*']) && typeof path[3] === 'number') return 'sequence';
  if (isOutcomeUse(path, false)) return 'outcome';
  return null;
}

/**
 * In the analysis or report: `outcome: NAME`, `outcomes: [NAME, …]`, or a mapping `outcomes:`
 * keyed by outcome names.
 */
function isOutcomeUse(path: readonly PathSegment[], isKey: boolean): boolean {
  if (path.length < 2 || !OUTCOME_SECTIONS.has(String(path[0]))) return false;
  const last = path[path.length - 1];
  const parent = path[path.length - 2];
  if (isKey) return typeof last === 'string' && typeof parent === 'string' && OUTCOME_KEYS.has(parent) && path.length > 2;
  if (typeof last === 'string') return OUTCOME_KEYS.has(last);
  return typeof parent === 'string' && OUTCOME_KEYS.has(parent);
}

/** Every definition and use of `name` as a `kind` name, in source order. */
export function findNameUses(root: unknown, kind: NameKind, name: string): NameUse[] {
  const out: NameUse[] = [];
  forEachScalar(root, (node: Scalar, path, isKey) => {
    if (node.value === null || String(node.value) !== name) return;
    const k = nameKindAt(path, isKey);
    if (k !== kind) return;
    const r = sourceRange(node);
    if (r === null) return;
    const definition = isKey && (kind === 'outcome' ? path.length === 2 && path[0] === 'outcomes' : true);
    out.push({ range: r, definition, path: [...path] });
  });
  return out;
}

/** The name under the cursor, if any. */
function nameAt(snapshot: StudySnapshot, position: Position): { kind: NameKind; name: string } | null {
  const at = scalarAt(snapshot.root, snapshot.offset(position));
  if (at === null || at.node.value === null) return null;
  const kind = nameKindAt(at.path, at.isKey);
  return kind === null ? null : { kind, name: String(at.node.value) };
}

export function definitionAt(snapshot: StudySnapshot, position: Position): Location[] {
  const n = nameAt(snapshot, position);
  if (n === null) return [];
  return findNameUses(snapshot.root, n.kind, n.name)
    .filter((u) => u.definition)
    .map((u) => ({ uri: snapshot.uri, range: snapshot.range(u.range[0], u.range[1]) }));
}

export function referencesAt(snapshot: StudySnapshot, position: Position, includeDeclaration: boolean): Location[] {
  const n = nameAt(snapshot, position);
  if (n === null) return [];
  return findNameUses(snapshot.root, n.kind, n.name)
    .filter((u) => includeDeclaration || !u.definition)
    .map((u) => ({ uri: snapshot.uri, range: snapshot.range(u.range[0], u.range[1]) }));
}

/** Names of a kind defined in the document (completion of names, e.g. in the analysis). */
export function definedNames(root: unknown, kind: NameKind): string[] {
  const out: string[] = [];
  const collect = (path: PathSegment[]): void => {
    let cur: unknown = root;
    for (const seg of path) {
      if (!isMap(cur)) return;
      cur = cur.items.find((p) => isScalar(p.key) && String(p.key.value) === seg)?.value;
    }
    if (isMap(cur)) for (const p of cur.items) if (isScalar(p.key) && p.key.value !== null) out.push(String(p.key.value));
  };
  if (kind === 'region') {
    collect(['cohort', 'labels']);
    collect(['cohort', 'unions']);
  } else if (kind === 'sequence') collect(['cohort', 'sequences']);
  else collect(['outcomes']);
  return out;
}
