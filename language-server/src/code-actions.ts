/**
 * Quick fixes for the loader's diagnostics:
 *  - "did you mean": replace a misspelt key, value, label or ROI name with the suggestion
 *    (the loader's `data.replacement`, or the suggestion its message makes);
 *  - a missing required key or section: add it with a skeleton of its required contents (for a
 *    missing `method` of a discretisation or normalisation, one fix per method);
 *  - an unknown label in cohort.unions or cohort.rois: add it to cohort.labels with the next free
 *    mask value.
 *  - a stage of the analysis fitted on the whole cohort before the split (`scope: cohort`, e.g. a
 *    feature selection or SMOTE: information from the test folds leaks into the model) or tuned
 *    on the test data (`tune_on: test`): move it inside the cross-validation. Offered on the
 *    setting itself, with the design check's diagnostic when there is one (the analysis schema,
 *    src/engine/analysis/schema.ts, accepts these values only so that they can be diagnosed).
 */
import { basename } from 'node:path';
import { isMap, isScalar, type Node, type YAMLMap } from 'yaml';
import { CodeActionKind, type CodeAction, type CodeActionParams, type Diagnostic, type TextEdit } from 'vscode-languageserver/node';
import type { JsonSchema, JsonValue } from '../../src/engine/schema/json-schema';
import { discriminatorOf, schemaTypes } from '../../src/engine/schema/json-schema';
import { nodeAt } from '../../src/engine/schema/validate-yaml';
import { freeKeysOf } from '../../src/engine/study/schema';
import { yamlText } from './completion';
import { DIAGNOSTIC_SOURCE, type DiagnosticData } from './diagnostics';
import type { StudySnapshot } from './documents';
import { schemaAt } from './schema-nav';
import { forEachScalar, pairAt, scalarAt, sourceRange, type PathSegment } from './yaml-nodes';

export function codeActions(snapshot: StudySnapshot, params: CodeActionParams): CodeAction[] {
  const only = params.context.only;
  if (only !== undefined && !only.some((k) => k === CodeActionKind.QuickFix || CodeActionKind.QuickFix.startsWith(`${k}.`) || k === CodeActionKind.Empty)) return [];
  const out: CodeAction[] = designFixes(snapshot, params);
  for (const d of params.context.diagnostics) {
    if (d.source !== DIAGNOSTIC_SOURCE) continue;
    const data = (d.data ?? {}) as Partial<DiagnosticData>;
    const replace = replacementFix(snapshot, d, data);
    if (replace !== null) out.push(replace);
    out.push(...missingKeyFixes(snapshot, d, data));
    if (data.code === 'unknown-label' || data.code === 'unknown-roi') {
      const add = addLabelFix(snapshot, d);
      if (add !== null) out.push(add);
    }
  }
  return out;
}

function action(title: string, d: Diagnostic, snapshot: StudySnapshot, edits: TextEdit[], preferred = false): CodeAction {
  return {
    title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [d],
    ...(preferred ? { isPreferred: true } : {}),
    edit: { changes: { [snapshot.uri]: edits } },
  };
}

function messageOf(d: Diagnostic): string {
  return typeof d.message === 'string' ? d.message : d.message.value;
}

// ---------------------------------------------------------------------------------------------
// Did you mean

const DID_YOU_MEAN = /did you mean `([^`]+)`\?/;

function replacementFix(snapshot: StudySnapshot, d: Diagnostic, data: Partial<DiagnosticData>): CodeAction | null {
  const fromData = (data.data as { replacement?: unknown } | undefined)?.replacement;
  const replacement = typeof fromData === 'string' ? fromData : DID_YOU_MEAN.exec(messageOf(d))?.[1];
  if (replacement === undefined) return null;
  // Only a diagnostic on exactly one scalar (the misspelt key or value) is replaced.
  const start = snapshot.offset(d.range.start);
  const end = snapshot.offset(d.range.end);
  const at = scalarAt(snapshot.root, start);
  const r = at === null ? null : sourceRange(at.node);
  if (at === null || r === null || r[0] !== start || r[1] !== end) return null;
  const written = snapshot.text.slice(start, end);
  const quote = written.startsWith('"') ? '"' : written.startsWith("'") ? "'" : null;
  const value: JsonValue = typeof at.node.value === 'number' && /^-?\d+(\.\d+)?$/.test(replacement) ? Number(replacement) : replacement;
  const text = yamlText(value, isInFlow(snapshot, start), quote);
  return action(`Change to \`${replacement}\``, d, snapshot, [{ range: d.range, newText: text }], true);
}

/** Whether an offset is inside `[...]` or `{...}` on its line. */
function isInFlow(snapshot: StudySnapshot, offset: number): boolean {
  const { line, column } = snapshot.lines.position(offset);
  const before = snapshot.lines.lines[line].slice(0, column);
  let depth = 0;
  for (const c of before) {
    if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') depth--;
  }
  return depth > 0;
}

// ---------------------------------------------------------------------------------------------
// Missing keys

const MISSING = /^missing required key `([^`]+)` (?:at the top level|in (\S+?))(?: \(|$)/;

function missingKeyFixes(snapshot: StudySnapshot, d: Diagnostic, data: Partial<DiagnosticData>): CodeAction[] {
  const m = MISSING.exec(messageOf(d));
  if (m === null) return [];
  const key = m[1];
  const mapPath = parsePath(data.path ?? m[2] ?? '');
  const root = snapshot.root;
  const map: unknown = mapPath.length === 0 ? root : nodeAt(root, mapPath);
  const at = insertionPoint(snapshot, map, mapPath);
  if (at === null) return [];
  const mapSchema = schemaAt(root, mapPath);
  if (mapSchema === undefined) return [];
  const indent = ' '.repeat(at.indent);
  const lead = at.needsNewline ? '\n' : '';

  // A missing discriminator: one fix per alternative.
  const branches = mapSchema.oneOf;
  if (branches !== undefined && discriminatorOf(branches) === key) {
    const present = isMap(map) ? new Set(map.items.map((p) => (isScalar(p.key) ? String(p.key.value) : ''))) : new Set<string>();
    return branches.map((b) => {
      const value = b.properties?.[key]?.const;
      let text = `${indent}${key}: ${String(value)}\n`;
      for (const req of b.required ?? []) {
        if (req === key || present.has(req)) continue;
        text += renderKey(req, b.properties?.[req] ?? {}, at.indent, snapshot);
      }
      return action(`Add \`${key}: ${String(value)}\``, d, snapshot, [{ range: snapshot.range(at.offset, at.offset), newText: lead + text }]);
    });
  }
  const schema = mapSchema.properties?.[key] ?? mapSchema.oneOf?.find((b) => b.properties?.[key] !== undefined)?.properties?.[key];
  if (schema === undefined) return [];
  const text = mapPath.length === 0 ? sectionSkeleton(key, schema, snapshot) : renderKey(key, schema, at.indent, snapshot);
  const blankBefore = mapPath.length === 0 && at.offset > 0 ? '\n' : '';
  return [action(`Add \`${key}\``, d, snapshot, [{ range: snapshot.range(at.offset, at.offset), newText: lead + blankBefore + text }], true)];
}

/** "cohort.clinical[0]" -> ['cohort', 'clinical', 0]. */
function parsePath(dotted: string): PathSegment[] {
  const out: PathSegment[] = [];
  for (const m of dotted.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) out.push(m[2] !== undefined ? Number(m[2]) : m[1]);
  return out;
}

interface Insertion {
  offset: number;
  /** Column of the mapping's keys. */
  indent: number;
  /** The document does not end with a newline: the insertion must start one. */
  needsNewline: boolean;
}

/** Where a new key of a block mapping goes: after its last line, at its keys' column. */
function insertionPoint(snapshot: StudySnapshot, map: unknown, mapPath: PathSegment[]): Insertion | null {
  const text = snapshot.text;
  if (mapPath.length === 0 && (map === null || map === undefined)) {
    return { offset: text.length, indent: 0, needsNewline: text.length > 0 && !text.endsWith('\n') };
  }
  if (!isMap(map) || map.flow === true || map.items.length === 0) return null;
  const first = sourceRange(map.items[0].key);
  if (first === null) return null;
  const indent = snapshot.position(first[0]).character;
  let end = first[1];
  for (const pair of map.items) {
    const r = sourceRange(pair.value) ?? sourceRange(pair.key);
    if (r !== null) end = Math.max(end, r[1]);
  }
  // Past the last line of the mapping (a block value's range may end at the next line's start).
  const lastLine = snapshot.position(end > 0 && text[end - 1] === '\n' ? end - 1 : end).line;
  const lines = snapshot.lines;
  if (lastLine + 1 < lines.lines.length) return { offset: lines.starts[lastLine + 1], indent, needsNewline: false };
  return { offset: text.length, indent, needsNewline: !text.endsWith('\n') };
}

/** `key: value` or `key:` and its required contents, at `indent`, ending with a newline. */
function renderKey(key: string, schema: JsonSchema, indent: number, snapshot: StudySnapshot): string {
  const pad = ' '.repeat(indent);
  const s = firstBranch(schema);
  if (isBlockObject(s)) {
    const free = freeKeysOf(s);
    if (free !== null) return `${pad}${key}:\n${renderKey(exampleName(free.values), free.values, indent + 2, snapshot)}`;
    const required = s.required ?? [];
    if (required.length === 0) return `${pad}${key}: {}\n`;
    return `${pad}${key}:\n${required.map((r) => renderKey(r, s.properties?.[r] ?? {}, indent + 2, snapshot)).join('')}`;
  }
  return `${pad}${key}: ${placeholder(s)}\n`;
}

function firstBranch(schema: JsonSchema): JsonSchema {
  if (schema.oneOf === undefined) return schema;
  return schema.oneOf.find((b) => b.properties !== undefined) ?? schema.oneOf[0];
}

function isBlockObject(s: JsonSchema): boolean {
  const t = schemaTypes(s);
  return t !== null && t.includes('object') && (s.properties !== undefined || freeKeysOf(s) !== null);
}

function exampleName(values: JsonSchema): string {
  const t = schemaTypes(values);
  if (t?.includes('integer')) return 'tumour';
  if (values.oneOf !== undefined) return 'outcome';
  return values.properties?.column !== undefined ? 'T1CE' : 'name';
}

/** A value to start from: the default, the first allowed value, or an empty one of the type. */
function placeholder(s: JsonSchema): string {
  if (s.default !== undefined) return yamlText(s.default, true, null);
  if (s.const !== undefined) return yamlText(s.const, false, null);
  if (s.enum !== undefined && s.enum.length > 0) return yamlText(s.enum[0], false, null);
  const t = schemaTypes(s) ?? [];
  if (t.includes('string')) return '""';
  if (t.includes('array')) return '[]';
  if (t.includes('integer')) return String(s.minimum ?? 0);
  if (t.includes('number')) return String(s.minimum ?? 0);
  if (t.includes('boolean')) return 'false';
  return '""';
}

/** A whole top-level section: hand-written where the generic skeleton would not be a good start. */
function sectionSkeleton(key: string, schema: JsonSchema, snapshot: StudySnapshot): string {
  if (key === 'study') {
    const id = basename(snapshot.file).replace(/\.study\.ya?ml$|\.ya?ml$/i, '').toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
    return `study:\n  id: ${/^[a-z0-9]/.test(id) ? id : 'my-study'}\n  title: ""\n  question: ""\n`;
  }
  if (key === 'cohort') {
    return 'cohort:\n  manifest: manifest.csv\n  sequences:\n    T1CE:\n      column: T1CE\n  labels:\n    tumour: 1\n';
  }
  return renderKey(key, schema, 0, snapshot);
}

// ---------------------------------------------------------------------------------------------
// Unknown labels

function addLabelFix(snapshot: StudySnapshot, d: Diagnostic): CodeAction | null {
  const at = scalarAt(snapshot.root, snapshot.offset(d.range.start));
  if (at === null || typeof at.node.value !== 'string') return null;
  const name = at.node.value;
  if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(name)) return null;
  const labels = nodeAt(snapshot.root, ['cohort', 'labels']);
  const values = isMap(labels) ? labels.items.map((p) => (isScalar(p.value) && typeof p.value.value === 'number' ? p.value.value : 0)) : [];
  const next = Math.max(0, ...values) + 1;
  if (isMap(labels)) {
    const where = insertionPoint(snapshot, labels as YAMLMap, ['cohort', 'labels']);
    if (where === null) return null;
    const text = `${where.needsNewline ? '\n' : ''}${' '.repeat(where.indent)}${name}: ${next}\n`;
    return action(`Add label \`${name}\` to cohort.labels (value ${next})`, d, snapshot, [{ range: snapshot.range(where.offset, where.offset), newText: text }]);
  }
  // No labels yet: start the mapping in cohort.
  const cohort = nodeAt(snapshot.root, ['cohort']);
  const where = insertionPoint(snapshot, cohort as Node, ['cohort']);
  if (where === null) return null;
  const pad = ' '.repeat(where.indent);
  const text = `${where.needsNewline ? '\n' : ''}${pad}labels:\n${pad}  ${name}: ${next}\n`;
  return action(`Add label \`${name}\` to cohort.labels (value ${next})`, d, snapshot, [{ range: snapshot.range(where.offset, where.offset), newText: text }]);
}

// ---------------------------------------------------------------------------------------------
// Analysis design: fitting or tuning outside the cross-validation

/** Stages of the analysis with a `scope` (src/engine/analysis/schema.ts), as named in titles. */
const STAGES: Readonly<Record<string, string>> = {
  imputation: 'imputation',
  harmonisation: 'harmonisation',
  scaling: 'scaling',
  filters: 'filter',
  selection: 'feature selection',
  balancing: 'balancing',
};

function designFixes(snapshot: StudySnapshot, params: CodeActionParams): CodeAction[] {
  const analysis = pairAt(snapshot.root, ['analysis']);
  if (analysis === undefined) return [];
  const first = params.range.start.line;
  const last = params.range.end.line;
  const out: CodeAction[] = [];
  forEachScalar(analysis.value, (node, relPath, isKey) => {
    if (isKey || typeof node.value !== 'string') return;
    const r = sourceRange(node);
    if (r === null) return;
    const line = snapshot.position(r[0]).line;
    if (line < first || line > last) return;
    const path = ['analysis', ...relPath];
    const related = params.context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE && d.range.start.line <= line && d.range.end.line >= line);
    const replace = (title: string, value: string): CodeAction => ({
      title,
      kind: CodeActionKind.QuickFix,
      ...(related.length > 0 ? { diagnostics: related } : {}),
      isPreferred: true,
      edit: { changes: { [snapshot.uri]: [{ range: snapshot.range(r[0], r[1]), newText: value }] } },
    });
    const stage = STAGES[String(path[1])];
    if (node.value === 'cohort' && path[path.length - 1] === 'scope' && stage !== undefined) {
      out.push(replace(`Move the ${stage} inside the cross-validation (scope: fold): fit it on the training folds only`, 'fold'));
    } else if (node.value === 'test' && path.length === 3 && path[1] === 'validation' && path[2] === 'tune_on') {
      out.push(replace('Tune inside the cross-validation (tune_on: training): never on the test data', 'training'));
    }
  });
  return out;
}
