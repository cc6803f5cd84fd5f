/**
 * Hover in study files: a setting's description with its IBSI section and identifier and what it
 * does to the numbers; a feature family or IBSI feature identifier with its definition; a file
 * path with what is in the file (a table's rows and columns, an image header's dimensions,
 * spacing and datatype); a column with its table and example values; a label, union, sequence or
 * outcome with what it is and where it is used.
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import { isMap, isScalar, isSeq } from 'yaml';
import { MarkupKind, type Hover, type Position } from 'vscode-languageserver/node';
import { catalogEntry } from '../../src/engine/features/catalog';
import type { Family } from '../../src/engine/features/types';
import type { JsonSchema } from '../../src/engine/schema/json-schema';
import { nodeAt } from '../../src/engine/schema/validate-yaml';
import type { FileFactsCache } from '../../src/engine/study/file-facts';
import type { StudySnapshot } from './documents';
import { FAMILY_DOCS, IBSI_MANUAL, ibsiReference, settingDoc } from './ibsi-docs';
import { findNameUses, nameKindAt, type NameKind } from './definition';
import { isFamilyItem, schemaAt, typeSummary, unpickedSchemaAt, valueChoicesOfKey, valueChoices } from './schema-nav';
import { clinicalRefs, distinctValues, imageHeader, manifestRef, readTable, resolveFromStudy, stringAt, type ImageHeader } from './study-files';
import { dotted, pathMatches, scalarAt, sourceRange, type PathSegment } from './yaml-nodes';

export interface HoverDeps {
  files: FileFactsCache;
}

/** The documentation of a setting: its description, the IBSI reference, the default. */
export function describeSchema(schema: JsonSchema, path: readonly PathSegment[]): string {
  const parts: string[] = [];
  const text = schema.description ?? schema.title;
  if (text !== undefined) parts.push(text);
  const ibsi = schema['x-ibsi'];
  if (ibsi !== undefined) {
    const ref = ibsiReference(ibsi);
    parts.push(`*IBSI:* ${ibsi.name ?? 'defined'}${ref === '' ? '' : ` (${ref})`}.`);
  }
  const doc = settingDoc(path);
  if (doc !== undefined && doc.text !== text) parts.push(`*${doc.name}* (${ibsiReference(doc)}): ${doc.text}`);
  if (schema.oneOf !== undefined) {
    const choices = schema.oneOf
      .map((b) => {
        const d = b.properties === undefined ? undefined : Object.values(b.properties).find((p) => p.const !== undefined);
        const label = b.const !== undefined ? JSON.stringify(b.const) : d?.const !== undefined ? `${String(d.const)}` : typeSummary(b);
        return `- \`${label}\`: ${b.description ?? ''}`;
      })
      .join('\n');
    parts.push(choices);
  } else if (schema.enum !== undefined && schema.enumDescriptions !== undefined) {
    parts.push(schema.enum.map((v, i) => `- \`${String(v)}\`: ${schema.enumDescriptions?.[i] ?? ''}`).join('\n'));
  }
  if (schema.default !== undefined) parts.push(`Default: \`${JSON.stringify(schema.default)}\``);
  return parts.join('\n\n');
}

export function hoverAt(snapshot: StudySnapshot, position: Position, deps: HoverDeps): Hover | null {
  const offset = snapshot.offset(position);
  const root = snapshot.root;
  const at = scalarAt(root, offset);
  if (at === null) return null;
  const r = sourceRange(at.node);
  if (r === null) return null;
  const value = markdownFor(snapshot, at.path, at.isKey, at.node.value, deps);
  if (value === null || value === '') return null;
  return { contents: { kind: MarkupKind.Markdown, value }, range: snapshot.range(r[0], r[1]) };
}

function markdownFor(snapshot: StudySnapshot, path: PathSegment[], isKey: boolean, value: unknown, deps: HoverDeps): string | null {
  const root = snapshot.root;
  const title = `**${dotted(path)}**`;

  // Names the study defines or refers to: labels, unions, sequences, outcomes.
  const named = nameKindAt(path, isKey);
  if (named !== null && typeof value === 'string') {
    const uses = findNameUses(root, named, value);
    return [`${title}: ${nameSummary(snapshot, named, value)}`, usesLine(uses.length - (uses.some((u) => u.definition) ? 1 : 0))].join('\n\n');
  }

  const schema = schemaAt(root, path) ?? unpickedSchemaAt(root, path);
  if (isKey) {
    // The setting itself, with all its alternatives (not only the one the document chose).
    const setting = unpickedSchemaAt(root, path) ?? schema;
    if (setting === undefined) return null;
    return `${title} — ${typeSummary(setting)}\n\n${describeSchema(setting, path)}`;
  }

  // Values.
  if (isFamilyItem(path) && typeof value === 'string') {
    const doc = FAMILY_DOCS[value as Family] as (typeof FAMILY_DOCS)[Family] | undefined;
    if (doc !== undefined) return `**${doc.name}** (\`${doc.abbreviation}\`, ${ibsiReference(doc)})\n\n${doc.text}\n\n*${IBSI_MANUAL}*`;
  }
  if (pathMatches(path, ['features', 'ibsi_codes', '*']) && typeof value === 'string') {
    const entry = catalogEntry(value);
    if (entry === undefined) return `\`${value}\` is not an IBSI feature identifier the engine computes.`;
    const doc = FAMILY_DOCS[entry.family];
    return (
      `**${entry.feature}** — IBSI identifier \`${entry.ibsiCode}\`\n\n` +
      `Family: ${doc.name} (\`${doc.abbreviation}\`, ${ibsiReference(doc)}). ${doc.text}\n\n` +
      (entry.standardised ? 'IBSI publishes reference values for it.' : 'IBSI defines it but publishes no reference value.') +
      (entry.inPyRadiomics ? ' PyRadiomics computes the same quantity.' : '')
    );
  }
  if (schema === undefined) return null;
  const expected = schema['x-expected'];
  if (expected === 'a file path' && typeof value === 'string') return `${title}: \`${value}\`\n\n${fileSummary(snapshot, path, value, deps)}`;
  if (expected === 'a column name' && typeof value === 'string') return columnSummary(snapshot, path, value, deps);

  // An enum value or a branch's const: what this choice means, then the setting.
  const last = path[path.length - 1];
  const parent = typeof last === 'string' ? unpickedSchemaAt(root, path.slice(0, -1)) : undefined;
  const choices = parent !== undefined && typeof last === 'string' ? valueChoicesOfKey(parent, last) : valueChoices(schema);
  const chosen = choices.find((c) => c.value === value);
  const setting = typeof last === 'number' ? path.slice(0, -1) : path;
  const settingSchema = typeof last === 'number' ? (schemaAt(root, setting) ?? schema) : schema;
  const head = chosen?.description !== undefined ? `\`${String(value)}\`: ${chosen.description}\n\n---\n\n` : '';
  return `${head}**${dotted(setting)}** — ${typeSummary(settingSchema)}\n\n${describeSchema(settingSchema, setting)}`;
}

function usesLine(n: number): string {
  return n === 0 ? 'Not used elsewhere in this file.' : `Used ${n === 1 ? 'once' : `${n} times`} in this file (Find All References).`;
}

function nameSummary(snapshot: StudySnapshot, kind: NameKind, name: string): string {
  const root = snapshot.root;
  switch (kind) {
    case 'region': {
      const members = nodeAt(root, ['cohort', 'unions', name]);
      if (isSeq(members)) return `union \`${name}\` of the labels ${members.items.map((m) => `\`${isScalar(m) ? String(m.value) : '?'}\``).join(', ')}`;
      const v = nodeAt(root, ['cohort', 'labels', name]);
      return isScalar(v) ? `label \`${name}\`, mask value ${String(v.value)}` : `\`${name}\` is neither a label (cohort.labels) nor a union (cohort.unions)`;
    }
    case 'sequence': {
      const column = stringAt(root, ['cohort', 'sequences', name, 'column']);
      return `sequence \`${name}\`${column === undefined ? '' : `, images in the manifest column \`${column}\``}`;
    }
    case 'outcome': {
      const o = nodeAt(root, ['outcomes', name]);
      if (!isMap(o)) return `outcome \`${name}\` (not defined under outcomes)`;
      const type = stringAt(o, ['type']);
      if (type === 'binary') return `binary outcome \`${name}\`: \`${stringAt(o, ['column']) ?? '?'}\` = ${scalarString(nodeAt(o, ['positive']))} is the positive class`;
      if (type === 'survival') {
        return `survival outcome \`${name}\`: time \`${stringAt(o, ['time']) ?? '?'}\` (${stringAt(o, ['unit']) ?? '?'}), event \`${stringAt(o, ['event']) ?? '?'}\``;
      }
      return `outcome \`${name}\``;
    }
  }
}

function scalarString(n: unknown): string {
  return isScalar(n) ? `\`${String(n.value)}\`` : '?';
}

function fileSummary(snapshot: StudySnapshot, path: PathSegment[], written: string, deps: HoverDeps): string {
  if (!snapshot.onDisk) return 'The study is not saved to disk: relative paths cannot be resolved.';
  const file = resolveFromStudy(snapshot, written);
  if (/\.nii(\.gz)?$/i.test(file) || path[path.length - 1] === 'mask') return imageSummary(file);
  const facts = deps.files.csv(file);
  if (!facts.ok) return `${file}: ${facts.error}`;
  const t = facts.table;
  const rows = t.rows.length;
  const what = pathMatches(path, ['cohort', 'manifest']) || pathMatches(path, ['cohort', 'external', 'manifest']) ? 'subject' : 'row';
  return `${rows} ${what}${rows === 1 ? '' : 's'}, ${t.columns.length} column${t.columns.length === 1 ? '' : 's'}: ${t.columns.map((c) => `\`${c}\``).join(', ')}\n\n${file}`;
}

export function imageSummary(file: string): string {
  const h = imageHeader(file);
  if (typeof h === 'string') return `${file}: ${h}`;
  return `${describeHeader(h)}\n\n${file}`;
}

/** "NIfTI-1, int16, 240 × 240 × 155 voxels, spacing 1 × 1 × 1 mm, 1 volume, grid from the sform". */
export function describeHeader(h: ImageHeader): string {
  const fmt = (v: number): string => String(Number(v.toPrecision(6)));
  const lines = [
    `NIfTI-${h.version} image, **${h.datatypeName}**${h.scaled && (h.sclSlope !== 1 || h.sclInter !== 0) ? ` (scaled: × ${fmt(h.sclSlope)} + ${fmt(h.sclInter)})` : ''}`,
    `- dimensions: ${h.dims.join(' × ')} voxels${h.volumes > 1 ? `, ${h.volumes} volumes` : ''}`,
    `- spacing: ${h.spacing.map(fmt).join(' × ')} mm`,
    `- orientation from the ${h.transform}`,
  ];
  return lines.join('\n');
}

function columnSummary(snapshot: StudySnapshot, path: PathSegment[], column: string, deps: HoverDeps): string {
  const title = `**${dotted(path)}**: column \`${column}\``;
  const schema = schemaAt(snapshot.root, path);
  const description = schema?.description ?? '';
  const inManifest = path[0] === 'cohort' && path[1] !== 'clinical';
  const refs = inManifest ? [manifestRef(snapshot)].filter((r) => r !== undefined) : clinicalRefs(snapshot);
  for (const ref of refs) {
    const table = readTable(deps.files, ref.file);
    if (table === undefined || !table.columns.includes(column)) continue;
    const idx = table.columns.indexOf(column);
    const filled = table.rows.filter((r) => r.cells[idx].trim() !== '').length;
    const examples = distinctValues(table, column, 6);
    const parts = [`${title} of ${ref.written}: ${filled} of ${table.rows.length} rows filled; e.g. ${examples.map((v) => `\`${v}\``).join(', ')}`];
    // A sequence's column: the first subject's image header.
    if (pathMatches(path, ['cohort', 'sequences', '*', 'column']) || pathMatches(path, ['cohort', 'mask_column'])) {
      const first = table.rows.find((r) => r.cells[idx].trim() !== '');
      if (first !== undefined) {
        const cell = first.cells[idx].trim();
        const image = isAbsolute(cell) ? cell : resolve(dirname(ref.file), cell);
        parts.push(`First subject's image (\`${cell}\`):\n\n${imageSummary(image)}`);
      }
    }
    parts.push(description);
    return parts.join('\n\n');
  }
  return `${title}\n\n${description}`;
}
