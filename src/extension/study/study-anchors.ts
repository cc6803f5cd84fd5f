/**
 * Where the study file's code lenses go: the top-level `cohort:` key (Run study, Validate) and
 * the `manifest:` key inside it (Open subject in viewer). Found in the YAML document rather than
 * by matching lines, so comments, quoting (`"cohort":`), flow style and a `cohort` key in another
 * section do not mislead it; the parser is error-tolerant, so a half-typed file still gets its
 * lenses. No `vscode` import (unit-tested).
 */
import { isMap, isScalar, LineCounter, parseDocument, type Node } from 'yaml';

/** A 0-based position (as vscode.Position). */
export interface Anchor {
  line: number;
  character: number;
}

export interface StudyAnchors {
  /** The top-level `cohort` key. */
  cohort: Anchor | null;
  /** The `manifest` key of the cohort mapping. */
  manifest: Anchor | null;
}

/** The key `name` of a mapping node and its value, or null. */
function entry(map: unknown, name: string): { key: Node; value: unknown } | null {
  if (!isMap(map)) return null;
  for (const pair of map.items) {
    if (isScalar(pair.key) && pair.key.value === name) return { key: pair.key, value: pair.value };
  }
  return null;
}

export function findStudyAnchors(text: string): StudyAnchors {
  const lineCounter = new LineCounter();
  // Aliases and tags are irrelevant here; the document is only walked, never converted to JS.
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false });
  const at = (node: Node): Anchor | null => {
    const offset = node.range?.[0];
    if (offset === undefined) return null;
    const pos = lineCounter.linePos(offset);
    // linePos is 1-based, and reports line 0 before the first recorded line start.
    return pos.line === 0 ? { line: 0, character: offset } : { line: pos.line - 1, character: pos.col - 1 };
  };
  const cohort = entry(doc.contents, 'cohort');
  const manifest = cohort === null ? null : entry(cohort.value, 'manifest');
  return { cohort: cohort === null ? null : at(cohort.key), manifest: manifest === null ? null : at(manifest.key) };
}
