/**
 * Completion in study files: the keys allowed where the cursor is (from the study schema, with
 * their descriptions), the values a setting allows (enums, the branches of a `oneOf`, booleans),
 * file paths relative to the study file, the columns of the manifest and clinical tables, label
 * and ROI names, IBSI feature identifiers and names, and the values of an outcome column.
 * Works in documents that do not parse: the cursor's context comes from the lines (cursor.ts).
 */
import { readdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { isScalar, isSeq, parse as parseYamlValue } from 'yaml';
import {
  CompletionItemKind,
  InsertTextMode,
  MarkupKind,
  type CompletionItem,
  type Position,
  type TextEdit,
} from 'vscode-languageserver/node';
import { FEATURE_CATALOG } from '../../src/engine/features/catalog';
import type { Family } from '../../src/engine/features/types';
import type { JsonValue } from '../../src/engine/schema/json-schema';
import { nodeAt } from '../../src/engine/schema/validate-yaml';
import type { FileFactsCache } from '../../src/engine/study/file-facts';
import { freeKeysOf, keysAt } from '../../src/engine/study/schema';
import { cursorContext, type CursorContext } from './cursor';
import { definedNames, type NameKind } from './definition';
import type { StudySnapshot } from './documents';
import { FAMILY_DOCS, ibsiReference } from './ibsi-docs';
import { isFamilyItem, isObjectSchema, keysOfMapping, schemaAt, typeSummary, unpickedSchemaAt, valueChoices, valueChoicesOfKey } from './schema-nav';
import { clinicalRefs, distinctValues, manifestRef, readTable, resolveFromStudy, stringAt } from './study-files';
import { describeSchema } from './hover';
import { pathMatches, type PathSegment } from './yaml-nodes';

export interface CompletionDeps {
  files: FileFactsCache;
}

/** Completion items at `position`; an empty list where nothing fits. */
export async function completions(snapshot: StudySnapshot, position: Position, deps: CompletionDeps): Promise<CompletionItem[]> {
  const offset = snapshot.offset(position);
  const cur = cursorContext(snapshot.text, offset, snapshot.lines);
  if (cur === null) return [];
  // An auto-closed quote after the cursor is replaced too.
  if (cur.quote !== null && snapshot.text[offset] === cur.quote) cur.replace[1] = Math.max(cur.replace[1], offset + 1);
  const root = snapshot.root;
  if (cur.kind === 'key') return keyItems(snapshot, cur, cur.path, deps);
  if (cur.kind === 'item') {
    const itemPath = [...cur.path, cur.index];
    const item = schemaAt(root, itemPath);
    if (item !== undefined && isObjectSchema(item)) return keyItems(snapshot, { ...cur, siblings: [] }, itemPath, deps);
    if (cur.colonFollows) return [];
    return valueItems(snapshot, cur, itemPath, deps);
  }
  return valueItems(snapshot, cur, cur.path, deps);
}

function edit(snapshot: StudySnapshot, cur: CursorContext, newText: string, from = cur.replace[0]): TextEdit {
  return { range: snapshot.range(from, cur.replace[1]), newText };
}

function markdown(value: string): { kind: 'markdown'; value: string } {
  return { kind: MarkupKind.Markdown, value };
}

// ---------------------------------------------------------------------------------------------
// Keys

function keyItems(snapshot: StudySnapshot, cur: CursorContext, mapPath: PathSegment[], deps: CompletionDeps): CompletionItem[] {
  const schema = schemaAt(snapshot.root, mapPath);
  if (schema === undefined) return [];
  if (freeKeysOf(schema) !== null) return freeKeyItems(snapshot, cur, mapPath, deps);
  const present = new Set(cur.siblings);
  const indent = ' '.repeat(cur.column + 2);
  const items: CompletionItem[] = [];
  keysOfMapping(mapPath, schema).forEach((k, i) => {
    if (present.has(k.name)) return;
    const block = isObjectSchema(k.schema);
    const text = cur.colonFollows ? k.name : block ? `${k.name}:\n${indent}` : `${k.name}: `;
    items.push({
      label: k.name,
      kind: block ? CompletionItemKind.Module : CompletionItemKind.Property,
      detail: `${typeSummary(k.schema)}${k.required ? ' (required)' : ''}`,
      documentation: markdown(describeSchema(k.schema, [...mapPath, k.name])),
      sortText: `${k.required ? 0 : 1}${String(i).padStart(3, '0')}`,
      filterText: k.name,
      textEdit: edit(snapshot, cur, text),
      insertTextMode: InsertTextMode.asIs,
    });
  });
  return items;
}

/** Names in a mapping the user names: a sequence can be named after a manifest column. */
function freeKeyItems(snapshot: StudySnapshot, cur: CursorContext, mapPath: PathSegment[], deps: CompletionDeps): CompletionItem[] {
  if (!pathMatches(mapPath, ['cohort', 'sequences'])) return [];
  const ref = manifestRef(snapshot);
  const table = ref === undefined ? undefined : readTable(deps.files, ref.file);
  if (table === undefined) return [];
  const root = snapshot.root;
  const taken = new Set<string>([
    stringAt(root, ['cohort', 'subject_column']) ?? 'subject_id',
    stringAt(root, ['cohort', 'mask_column']) ?? 'mask',
    stringAt(root, ['cohort', 'site_column']) ?? '',
  ]);
  for (const name of keysAt(root, ['cohort', 'sequences'])) taken.add(stringAt(root, ['cohort', 'sequences', name, 'column']) ?? '');
  const indent = ' '.repeat(cur.column + 2);
  return table.columns
    .filter((c) => !taken.has(c) && !cur.siblings.includes(c) && /^[A-Za-z][A-Za-z0-9_-]*$/.test(c))
    .map((c) => ({
      label: c,
      kind: CompletionItemKind.Class,
      detail: `sequence from manifest column \`${c}\``,
      documentation: markdown(`A sequence named \`${c}\`, its images in the manifest column \`${c}\` of ${ref?.written ?? 'the manifest'}.`),
      textEdit: edit(snapshot, cur, `${c}:\n${indent}column: ${c}`),
      insertTextMode: InsertTextMode.asIs,
    }));
}

// ---------------------------------------------------------------------------------------------
// Values

async function valueItems(snapshot: StudySnapshot, cur: CursorContext, valuePath: PathSegment[], deps: CompletionDeps): Promise<CompletionItem[]> {
  const root = snapshot.root;
  const last = valuePath[valuePath.length - 1];
  const parentPath = valuePath.slice(0, -1);
  const schema = schemaAt(root, valuePath) ?? unpickedSchemaAt(root, valuePath);
  if (schema === undefined) return [];
  const parent = typeof last === 'string' ? unpickedSchemaAt(root, parentPath) : undefined;
  const exclude = new Set(cur.siblings);
  const items: CompletionItem[] = [];

  const choices = parent !== undefined && typeof last === 'string' ? valueChoicesOfKey(parent, last) : valueChoices(schema);
  choices.forEach((c, i) => {
    if (typeof c.value === 'string' && exclude.has(c.value)) return;
    const label = typeof c.value === 'string' ? c.value : JSON.stringify(c.value);
    items.push(valueItem(snapshot, cur, c.value, label, {
      kind: CompletionItemKind.EnumMember,
      detail: familyDetail(valuePath, c.value),
      documentation: c.description,
      sortText: String(i).padStart(3, '0'),
    }));
  });

  const expected = schema['x-expected'] ?? '';
  if (expected === 'a file path') items.push(...(await pathItems(snapshot, cur, valuePath)));
  else if (expected === 'a column name') items.push(...columnItems(snapshot, cur, valuePath, deps));
  else if (expected === 'a label name' || expected === 'a label or union name') {
    const labels = keysAt(root, ['cohort', 'labels']);
    const unions = expected === 'a label name' ? [] : keysAt(root, ['cohort', 'unions']);
    for (const name of labels) {
      if (exclude.has(name)) continue;
      const value = stringAt(root, ['cohort', 'labels', name]) ?? scalarText(nodeAt(root, ['cohort', 'labels', name]));
      items.push(valueItem(snapshot, cur, name, name, { kind: CompletionItemKind.Constant, detail: `label${value === '' ? '' : ` ${value}`}` }));
    }
    for (const name of unions) {
      if (exclude.has(name)) continue;
      const members = nodeAt(root, ['cohort', 'unions', name]);
      const list = isSeq(members) ? members.items.map(scalarText).join(', ') : '';
      items.push(valueItem(snapshot, cur, name, name, { kind: CompletionItemKind.Struct, detail: `union of ${list}` }));
    }
  } else if (expected === 'a sequence name' || expected === 'an ROI name' || expected === 'an outcome name') {
    const kind: NameKind = expected === 'a sequence name' ? 'sequence' : expected === 'an ROI name' ? 'region' : 'outcome';
    for (const name of definedNames(root, kind)) {
      if (exclude.has(name)) continue;
      items.push(valueItem(snapshot, cur, name, name, { kind: kind === 'outcome' ? CompletionItemKind.Event : CompletionItemKind.Constant, detail: kind === 'region' ? 'label or union' : kind }));
    }
  }
  if (pathMatches(valuePath, ['features', 'ibsi_codes', '*'])) items.push(...ibsiCodeItems(snapshot, cur, exclude));
  if (pathMatches(valuePath, ['outcomes', '*', 'positive'])) items.push(...positiveItems(snapshot, cur, valuePath, deps));
  return items;
}

function scalarText(n: unknown): string {
  return isScalar(n) && n.value !== null ? String(n.value) : '';
}

/** "Grey level co-occurrence based features (GLCM) (IBSI 3.6, LFYI)" for a family in a `families` list. */
function familyDetail(path: readonly PathSegment[], value: JsonValue): string | undefined {
  if (!isFamilyItem(path) || typeof value !== 'string') return undefined;
  const doc = FAMILY_DOCS[value as Family] as (typeof FAMILY_DOCS)[Family] | undefined;
  return doc === undefined ? undefined : `${doc.name} (${ibsiReference(doc)})`;
}

function valueItem(
  snapshot: StudySnapshot,
  cur: CursorContext,
  value: JsonValue,
  label: string,
  extra: { kind: CompletionItemKind; detail?: string; documentation?: string; sortText?: string; filterText?: string },
): CompletionItem {
  let text = yamlText(value, cur.inFlow, cur.quote);
  // Right after `key:` a value needs its space.
  if (cur.replace[0] > 0 && snapshot.text[cur.replace[0] - 1] === ':') text = ` ${text}`;
  return {
    label,
    kind: extra.kind,
    ...(extra.detail === undefined ? {} : { detail: extra.detail }),
    ...(extra.documentation === undefined ? {} : { documentation: markdown(extra.documentation) }),
    ...(extra.sortText === undefined ? {} : { sortText: extra.sortText }),
    // Filtered against what was typed, quote included.
    filterText: `${cur.quote ?? ''}${extra.filterText ?? label}`,
    textEdit: edit(snapshot, cur, text),
  };
}

/**
 * The YAML for a value: plain when it reads back as the same string, else double-quoted (a
 * `2D, averaged` inside `[...]`, a `yes` that must stay text, a number-like string).
 */
export function yamlText(value: JsonValue, inFlow: boolean, quote: '"' | "'" | null): string {
  if (typeof value !== 'string') return JSON.stringify(value);
  if (quote === "'") return `'${value.replace(/'/g, "''")}'`;
  if (quote === '"') return JSON.stringify(value);
  let plain = value !== '' && !/^[\s\-?:,[\]{}#&*!|>'"%@`]/.test(value) && !/\s$|:\s|\s#|:$/.test(value) && !(inFlow && /[,[\]{}]/.test(value));
  if (plain) {
    try {
      plain = parseYamlValue(value) === value;
    } catch {
      plain = false;
    }
  }
  return plain ? value : JSON.stringify(value);
}

// ---------------------------------------------------------------------------------------------
// Paths, columns, IBSI identifiers, outcome values

/** File extensions offered for a path setting (directories are always offered). */
function extensionsFor(path: readonly PathSegment[]): RegExp | null {
  const last = path[path.length - 1];
  if (last === 'manifest' || (last === 'file' && path[1] === 'clinical')) return /\.csv$/i;
  if (last === 'mask') return /\.nii(\.gz)?$/i;
  return null;
}

async function pathItems(snapshot: StudySnapshot, cur: CursorContext, valuePath: PathSegment[]): Promise<CompletionItem[]> {
  if (!snapshot.onDisk) return [];
  const typed = cur.prefix;
  const slash = typed.lastIndexOf('/');
  const dirPart = slash < 0 ? '' : typed.slice(0, slash + 1);
  const namePart = slash < 0 ? typed : typed.slice(slash + 1);
  const dir = dirPart === '' ? dirname(snapshot.file) : resolveFromStudy(snapshot, dirPart);
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const wanted = extensionsFor(valuePath);
  const self = resolve(snapshot.file);
  // Only the last path component is replaced: what was typed before it stays.
  const from = cur.replace[0] + (cur.quote === null ? 0 : 1) + dirPart.length;
  const items: CompletionItem[] = [];
  for (const e of entries) {
    if (e.name.startsWith('.') && !namePart.startsWith('.')) continue;
    const isDir = e.isDirectory();
    if (!isDir && wanted !== null && !wanted.test(e.name)) continue;
    if (!isDir && resolve(dir, e.name) === self) continue;
    const text = isDir ? `${e.name}/` : e.name;
    items.push({
      label: text,
      kind: isDir ? CompletionItemKind.Folder : CompletionItemKind.File,
      sortText: `${isDir ? 1 : 0}${e.name}`,
      filterText: text,
      textEdit: { range: snapshot.range(from, cur.replace[1] - (cur.quote !== null && snapshot.text[cur.replace[1] - 1] === cur.quote ? 1 : 0)), newText: text },
      ...(isDir ? { command: { title: 'Suggest', command: 'editor.action.triggerSuggest' } } : {}),
    });
  }
  return items;
}

function columnItems(snapshot: StudySnapshot, cur: CursorContext, valuePath: PathSegment[], deps: CompletionDeps): CompletionItem[] {
  const sources: { written: string; file: string }[] = [];
  if (valuePath[0] === 'cohort' && (valuePath[1] !== 'clinical' || valuePath.length < 3)) {
    const m = manifestRef(snapshot);
    if (m !== undefined) sources.push(m);
  } else if (pathMatches(valuePath, ['cohort', 'clinical', '*', 'subject_column'])) {
    const c = clinicalRefs(snapshot).find((r) => r.index === valuePath[2]);
    if (c !== undefined) sources.push(c);
  } else {
    sources.push(...clinicalRefs(snapshot));
  }
  const items: CompletionItem[] = [];
  const seen = new Set<string>();
  for (const src of sources) {
    const table = readTable(deps.files, src.file);
    if (table === undefined) continue;
    table.columns.forEach((column, i) => {
      if (seen.has(column)) return;
      seen.add(column);
      const examples = distinctValues(table, column, 4);
      items.push(valueItem(snapshot, cur, column, column, {
        kind: CompletionItemKind.Field,
        detail: `column of ${src.written}`,
        documentation: examples.length === 0 ? undefined : `e.g. ${examples.map((v) => `\`${v}\``).join(', ')}`,
        sortText: `5${String(i).padStart(4, '0')}`,
      }));
    });
  }
  return items;
}

function ibsiCodeItems(snapshot: StudySnapshot, cur: CursorContext, exclude: ReadonlySet<string>): CompletionItem[] {
  const families = nodeAt(snapshot.root, ['features', 'families']);
  const listed = isSeq(families) ? new Set(families.items.map(scalarText)) : null;
  const items: CompletionItem[] = [];
  FEATURE_CATALOG.forEach((e, i) => {
    if (exclude.has(e.ibsiCode) || (listed !== null && !listed.has(e.family))) return;
    const family = FAMILY_DOCS[e.family];
    const item = valueItem(snapshot, cur, e.ibsiCode, e.ibsiCode, {
      kind: CompletionItemKind.Value,
      detail: `${family.abbreviation}: ${e.feature}`,
      documentation:
        `**${e.feature}** (${e.ibsiCode}), ${family.name}, ${ibsiReference(family)}.` +
        (e.standardised ? '' : ' IBSI gives no reference value for it.'),
      sortText: `6${String(i).padStart(4, '0')}`,
      filterText: `${e.ibsiCode} ${e.feature}`,
    });
    item.labelDetails = { description: `${e.family} · ${e.feature}` };
    items.push(item);
  });
  return items;
}

function positiveItems(snapshot: StudySnapshot, cur: CursorContext, valuePath: PathSegment[], deps: CompletionDeps): CompletionItem[] {
  const column = stringAt(snapshot.root, [...valuePath.slice(0, -1), 'column']);
  if (column === undefined) return [];
  for (const ref of clinicalRefs(snapshot)) {
    const table = readTable(deps.files, ref.file);
    if (table === undefined || !table.columns.includes(column)) continue;
    return distinctValues(table, column, 20)
      .filter((v) => !['NA', 'N/A', 'na', 'n/a', 'NaN', 'nan'].includes(v))
      // `positive` may be written as an integer (a 0/1 column).
      .map((v) => valueItem(snapshot, cur, /^-?\d+$/.test(v) ? Number(v) : v, v, { kind: CompletionItemKind.Value, detail: `a value of \`${column}\` in ${ref.written}` }));
  }
  return [];
}
