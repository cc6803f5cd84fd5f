/**
 * Reading the study schema (src/engine/study/schema.ts, the single source of truth) for
 * completion and hover: the keys a mapping allows, the values a setting allows, and the
 * description of each, including the branches of a `oneOf` that the document has not chosen yet.
 */
import type { JsonSchema, JsonValue } from '../../src/engine/schema/json-schema';
import { schemaTypes } from '../../src/engine/schema/json-schema';
import { ANALYSIS_SCHEMA, REPORT_SCHEMA } from '../../src/engine/analysis/schema';
import { nodeAt, schemaAt as settingsSchemaAt } from '../../src/engine/schema/validate-yaml';
import { STUDY_SCHEMA, freeKeysOf, studySchemaAt } from '../../src/engine/study/schema';
import type { PathSegment } from './yaml-nodes';

/**
 * The sections STUDY_SCHEMA reserves (`analysis: any mapping`) while their modules define them:
 * completion and hover use the module's schema until the study schema includes it.
 */
const SECTION_SCHEMAS: Readonly<Record<string, JsonSchema>> = { analysis: ANALYSIS_SCHEMA, report: REPORT_SCHEMA };

function sectionSchema(name: PathSegment | undefined): JsonSchema | undefined {
  if (typeof name !== 'string') return undefined;
  const own = STUDY_SCHEMA.properties?.[name];
  if (own !== undefined && own.properties !== undefined) return undefined; // the study schema has it
  return SECTION_SCHEMAS[name];
}

/** The schema at `path` as the document selects it (an outcome's `type` picks its branch). */
export function schemaAt(root: unknown, path: readonly PathSegment[]): JsonSchema | undefined {
  const section = sectionSchema(path[0]);
  if (section !== undefined) return settingsSchemaAt(section, nodeAt(root, [path[0]]), path.slice(1));
  return studySchemaAt(root, path);
}

/**
 * The schema of the value at `path` before any `oneOf` branch is picked for it: the choices a
 * discriminator (e.g. `method`) offers are those of every branch, not only of the branch the
 * value currently written selects.
 */
export function unpickedSchemaAt(root: unknown, path: readonly PathSegment[]): JsonSchema | undefined {
  if (path.length === 0) return STUDY_SCHEMA;
  if (path.length === 1) return sectionSchema(path[0]) ?? STUDY_SCHEMA.properties?.[String(path[0])];
  const parent = schemaAt(root, path.slice(0, -1));
  if (parent === undefined) return undefined;
  return childSchema(parent, path[path.length - 1]);
}

/** The schema of one child of a value of schema `s` (a key, a free key, or a list item). */
export function childSchema(s: JsonSchema, seg: PathSegment): JsonSchema | undefined {
  if (typeof seg === 'number') return s.items;
  const direct = s.properties?.[seg] ?? freeKeysOf(s)?.values;
  if (direct !== undefined) return direct;
  return s.oneOf?.find((b) => b.properties?.[seg] !== undefined)?.properties?.[seg];
}

export interface KeyInfo {
  name: string;
  schema: JsonSchema;
  required: boolean;
}

/** The keys of the mapping at `mapPath` (of schema `s`), the sections' own schemas at the top level. */
export function keysOfMapping(mapPath: readonly PathSegment[], s: JsonSchema): KeyInfo[] {
  const keys = keysOf(s);
  if (mapPath.length > 0) return keys;
  return keys.map((k) => ({ ...k, schema: sectionSchema(k.name) ?? k.schema }));
}

/** The keys a mapping of schema `s` allows: its properties, or those of every `oneOf` branch. */
export function keysOf(s: JsonSchema): KeyInfo[] {
  const out: KeyInfo[] = [];
  const seen = new Set<string>();
  const add = (b: JsonSchema): void => {
    for (const [name, schema] of Object.entries(b.properties ?? {})) {
      if (seen.has(name)) continue;
      seen.add(name);
      out.push({ name, schema, required: (b.required ?? []).includes(name) });
    }
  };
  add(s);
  for (const b of s.oneOf ?? []) add(b);
  return out;
}

export interface ValueChoice {
  value: JsonValue;
  description?: string;
}

/**
 * The values a setting of schema `s` allows, when they can be listed: enum values, the `const`
 * of each `oneOf` branch, the values of a key of every branch (`parentKey`: the discriminator
 * case), true/false.
 */
export function valueChoices(s: JsonSchema): ValueChoice[] {
  const out: ValueChoice[] = [];
  const seen = new Set<string>();
  const add = (value: JsonValue, description?: string): void => {
    const k = JSON.stringify(value);
    if (seen.has(k)) return;
    seen.add(k);
    out.push(description === undefined ? { value } : { value, description });
  };
  const visit = (x: JsonSchema, branchDescription?: string): void => {
    if (x.const !== undefined) add(x.const, x.description ?? branchDescription);
    if (x.enum !== undefined) x.enum.forEach((v, i) => add(v, x.enumDescriptions?.[i] ?? branchDescription));
    for (const b of x.oneOf ?? []) visit(b);
    const types = schemaTypes(x);
    if (types?.includes('boolean')) {
      add(true);
      add(false);
    }
  };
  visit(s);
  return out;
}

/** The choices for the value of key `key` in a mapping of schema `parent`, over all its branches. */
export function valueChoicesOfKey(parent: JsonSchema, key: string): ValueChoice[] {
  const schemas: JsonSchema[] = [];
  const direct = parent.properties?.[key] ?? freeKeysOf(parent)?.values;
  if (direct !== undefined) schemas.push(direct);
  for (const b of parent.oneOf ?? []) {
    const p = b.properties?.[key];
    // A discriminator's const is best described by its branch.
    if (p !== undefined) schemas.push(p.const !== undefined ? { ...p, description: b.description ?? p.description } : p);
  }
  const out: ValueChoice[] = [];
  const seen = new Set<string>();
  for (const s of schemas) {
    for (const c of valueChoices(s)) {
      const k = JSON.stringify(c.value);
      if (!seen.has(k)) {
        seen.add(k);
        out.push(c);
      }
    }
  }
  return out;
}

/** "string", "number or null", "list of strings"… for completion details. */
export function typeSummary(s: JsonSchema): string {
  if (s.oneOf !== undefined) {
    const parts = s.oneOf.map((b) => (b.const !== undefined ? JSON.stringify(b.const) : typeSummary(b)));
    return [...new Set(parts)].join(' | ');
  }
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.enum !== undefined) return s.enum.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(' | ');
  const types = schemaTypes(s);
  if (types === null) return 'any';
  return types
    .map((t) => {
      if (t === 'array') return s.items !== undefined ? `list of ${typeSummary(s.items)}` : 'list';
      if (t === 'object') return freeKeysOf(s) !== null ? 'mapping of names' : 'mapping';
      return t;
    })
    .join(' | ');
}

/** Whether values of `s` are mappings (a key completion then opens a block). */
export function isObjectSchema(s: JsonSchema): boolean {
  if (s.oneOf !== undefined) return s.oneOf.every((b) => b.const === undefined && isObjectSchema(b));
  const t = schemaTypes(s);
  return t !== null && t.includes('object');
}

export function isArraySchema(s: JsonSchema): boolean {
  const t = schemaTypes(s);
  return t !== null && t.includes('array');
}

/** An item of a `families` list (features.families, analysis.features.families). */
export function isFamilyItem(path: readonly PathSegment[]): boolean {
  return path.length >= 2 && path[path.length - 2] === 'families' && typeof path[path.length - 1] === 'number';
}
