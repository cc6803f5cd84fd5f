/**
 * Validation of a parsed YAML node against a JsonSchema (json-schema.ts), keeping the source
 * range of every problem so that the CLI can print file:line:col and the language server can
 * underline exactly the offending key or value. Runs on every keystroke in the language server:
 * one pass over the nodes, no conversion to JS first, no allocation per scalar beyond the
 * problems themselves.
 */
import {
  isAlias,
  isMap,
  isNode,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Document,
  type Node,
  type Scalar,
  type YAMLError,
} from 'yaml';
import { discriminatorOf, schemaTypes, type JsonSchema, type JsonType, type JsonValue } from './json-schema';
import { suggest } from './suggest';

/** Start and end offset (end exclusive) in the source text, in UTF-16 code units. */
export type SourceRange = [number, number];

export interface SchemaProblem {
  /** Dotted path of the setting, e.g. "preprocessing.resampling.spacing[2]" ('' for syntax errors). */
  path: string;
  message: string;
  range: SourceRange;
  severity: 'error' | 'warning';
  /** A one-click fix for the language server: rename the misspelt key. */
  fix?: { kind: 'replace-key'; replacement: string };
}

export type PathSegment = string | number;

export interface ValidateOptions {
  /** Needed to resolve aliases (`*name`); without it an alias is reported. */
  doc?: Document;
  /** Range problems about the node as a whole (a missing key) point at, e.g. its key. */
  anchor?: SourceRange;
}

/** "preprocessing.resampling.spacing[2]". */
export function formatPath(path: readonly PathSegment[]): string {
  let s = '';
  for (const seg of path) {
    if (typeof seg === 'number') s += `[${seg}]`;
    else s += s.length === 0 ? seg : `.${seg}`;
  }
  return s;
}

/** Tags of the YAML 1.2 core schema: plain data. Anything else (!!binary, !!timestamp, !custom) is rejected. */
const CORE_TAGS = new Set([
  'tag:yaml.org,2002:str',
  'tag:yaml.org,2002:int',
  'tag:yaml.org,2002:float',
  'tag:yaml.org,2002:bool',
  'tag:yaml.org,2002:null',
  'tag:yaml.org,2002:map',
  'tag:yaml.org,2002:seq',
]);

/** Booleans of YAML 1.1 that YAML 1.2 (and so this parser) reads as strings. */
const YAML11_BOOLEANS = new Set(['yes', 'no', 'on', 'off', 'y', 'n']);

/** Aliases may point at aliases; this bounds the chain (YAML cannot build cycles, but be safe). */
const MAX_ALIAS_DEPTH = 16;
/**
 * Each alias is validated as a copy of its anchor, so nested aliases multiply the work ("billion
 * laughs"); settings files need a handful. Same limit as the yaml package's toJS.
 */
const MAX_ALIAS_RESOLUTIONS = 100;

type ScalarKind = 'null' | 'boolean' | 'integer' | 'number' | 'nonfinite' | 'string' | 'other';
type NodeKind = ScalarKind | 'object' | 'array';

interface Ctx {
  doc: Document | undefined;
  out: SchemaProblem[];
  aliasDepth: number;
  /** Shared with the contexts of trial validations (oneOf), so the limit holds overall. */
  aliases: { resolved: number };
}

/**
 * Problems of `node` against `schema`. `path` is where the node sits in its document (for the
 * messages), e.g. [] for a whole settings file or ['settings'] for a section of a study file.
 */
export function validateYamlNode(
  node: Node | null | undefined,
  schema: JsonSchema,
  path: readonly PathSegment[] = [],
  options: ValidateOptions = {},
): SchemaProblem[] {
  const ctx: Ctx = { doc: options.doc, out: [], aliasDepth: 0, aliases: { resolved: 0 } };
  const own = rangeOf(node);
  const anchor: SourceRange = options.anchor ?? (own ? [own[0], own[0]] : [0, 0]);
  validateNode(ctx, node, schema, [...path], anchor, null);
  return dedupe(ctx.out);
}

/** The value range [start, value-end] of a node, or null for a node without source (or an empty value). */
export function rangeOf(node: unknown): SourceRange | null {
  if (!isNode(node) || !node.range) return null;
  const [start, end] = node.range;
  return end > start ? [start, end] : null;
}

function label(path: readonly PathSegment[]): string {
  return path.length === 0 ? 'top level' : formatPath(path);
}

/** "in preprocessing.resampling" / "at the top level". */
function where(path: readonly PathSegment[]): string {
  return path.length === 0 ? 'at the top level' : `in ${formatPath(path)}`;
}

function push(ctx: Ctx, path: readonly PathSegment[], message: string, range: SourceRange, severity: 'error' | 'warning' = 'error'): void {
  ctx.out.push({ path: formatPath(path), message, range, severity });
}

function validateNode(
  ctx: Ctx,
  node: unknown,
  schema: JsonSchema,
  path: PathSegment[],
  anchor: SourceRange,
  rangeOverride: SourceRange | null,
): void {
  const range = rangeOverride ?? rangeOf(node) ?? anchor;

  if (isAlias(node)) {
    const aliasRange = rangeOf(node) ?? anchor;
    if (ctx.doc === undefined) {
      push(ctx, path, `${label(path)}: aliases (\`*${node.source}\`) are not supported here; write the value out`, aliasRange);
      return;
    }
    const target = node.resolve(ctx.doc);
    if (target === undefined) {
      push(ctx, path, `${label(path)}: unknown alias \`*${node.source}\` (no anchor \`&${node.source}\` before it)`, aliasRange);
      return;
    }
    if (ctx.aliasDepth >= MAX_ALIAS_DEPTH || ++ctx.aliases.resolved > MAX_ALIAS_RESOLUTIONS) {
      push(ctx, path, `${label(path)}: too many aliases (at most ${MAX_ALIAS_RESOLUTIONS}); write the values out`, aliasRange);
      return;
    }
    ctx.aliasDepth++;
    // A scalar is reported where the alias is; a collection's problems point into the anchored original.
    validateNode(ctx, target, schema, path, aliasRange, isScalar(target) ? aliasRange : null);
    ctx.aliasDepth--;
    return;
  }

  if (isNode(node) && node.tag !== undefined && !CORE_TAGS.has(node.tag)) {
    push(ctx, path, `${label(path)}: the tag \`${shortTag(node.tag)}\` is not allowed; settings are plain YAML data without tags`, range);
    return;
  }

  if (schema.oneOf !== undefined) {
    validateOneOf(ctx, node, schema, schema.oneOf, path, anchor, range);
    return;
  }

  const kind = kindOf(node);
  const types = schemaTypes(schema);
  if (types !== null && !typeAdmits(types, kind)) {
    let message = `${label(path)}: expected ${describeExpected(schema)}, got ${describeNode(node)}`;
    const v = scalarValue(node);
    if (types.includes('boolean') && typeof v === 'string' && YAML11_BOOLEANS.has(v.toLowerCase())) {
      message += ` (YAML 1.2 reads \`${v}\` as text; write true or false)`;
    }
    push(ctx, path, message, range);
    return;
  }

  if (isMap(node)) {
    validateMapping(ctx, node.items, schema, path, anchor, range);
    return;
  }
  if (isSeq(node)) {
    validateSequence(ctx, node.items, schema, path, range);
    return;
  }
  validateScalar(ctx, node, kind, schema, path, range);
}

function validateScalar(ctx: Ctx, node: unknown, kind: NodeKind, schema: JsonSchema, path: PathSegment[], range: SourceRange): void {
  const value = scalarValue(node);
  if (schema.const !== undefined && value !== schema.const) {
    push(ctx, path, `${label(path)}: expected ${formatValue(schema.const)}, got ${describeNode(node)}`, range);
    return;
  }
  if (schema.enum !== undefined && !schema.enum.some((v) => v === value)) {
    let message = `${label(path)}: expected one of ${schema.enum.map(formatValue).join(', ')}, got ${describeNode(node)}`;
    if (typeof value === 'string') {
      const hint = schema['x-aliases']?.[value.toLowerCase()] ?? suggest(value, schema.enum.filter((v): v is string => typeof v === 'string'));
      if (hint !== null) message += `; did you mean \`${hint}\`?`;
    }
    push(ctx, path, message, range);
    return;
  }
  if (typeof value === 'number' && (kind === 'integer' || kind === 'number')) {
    if (!numberInBounds(value, schema)) {
      const numeric: JsonType = schemaTypes(schema)?.includes('integer') ? 'integer' : 'number';
      push(ctx, path, `${label(path)}: expected ${describeType(numeric, schema)}, got ${describeNode(node)}`, range);
    }
    return;
  }
  if (typeof value === 'string' && schema.pattern !== undefined && !regex(schema.pattern).test(value)) {
    push(ctx, path, `${label(path)}: expected ${describeType('string', schema)}, got ${describeNode(node)}`, range);
  }
}

function validateMapping(
  ctx: Ctx,
  pairs: ReadonlyArray<{ key: unknown; value: unknown }>,
  schema: JsonSchema,
  path: PathSegment[],
  anchor: SourceRange,
  range: SourceRange,
): void {
  const props = schema.properties ?? {};
  const present = new Set<string>();
  // Keys a misspelt key was matched to: their "missing" problem would say the same thing twice.
  const suggested = new Set<string>();
  for (const pair of pairs) {
    const key = pair.key;
    const keyRange = rangeOf(key) ?? range;
    if (!isScalar(key)) {
      push(ctx, path, `${label(path)}: keys must be plain names, got ${describeNode(key)}`, keyRange);
      continue;
    }
    if (key.tag !== undefined && !CORE_TAGS.has(key.tag)) {
      push(ctx, path, `${label(path)}: the tag \`${shortTag(key.tag)}\` is not allowed; settings are plain YAML data without tags`, keyRange);
      continue;
    }
    if (key.value === null) {
      push(ctx, path, `empty key ${where(path)}`, keyRange);
      continue;
    }
    const name = String(key.value);
    present.add(name);
    const propSchema = props[name];
    if (propSchema === undefined) {
      if (schema.additionalProperties === false) {
        const hint = unknownKey(ctx, name, props, present, path, keyRange);
        if (hint !== null) suggested.add(hint);
      }
      continue;
    }
    path.push(name);
    validateNode(ctx, pair.value, propSchema, path, keyRange, null);
    path.pop();
  }
  for (const req of schema.required ?? []) {
    if (!present.has(req) && !suggested.has(req)) {
      const what = props[req]?.oneOf ? oneOfChoices(props[req]) : '';
      push(ctx, path, `missing required key \`${req}\` ${where(path)}${what}`, anchor);
    }
  }
}

/** Reports an unknown key; returns the key it was probably meant to be, if any. */
function unknownKey(
  ctx: Ctx,
  name: string,
  props: Record<string, JsonSchema>,
  present: ReadonlySet<string>,
  path: PathSegment[],
  keyRange: SourceRange,
): string | null {
  let message = `unknown key \`${name}\` ${where(path)}`;
  if (name === '<<') {
    push(ctx, path, `${message}: merge keys are not supported; write the keys out`, keyRange);
    return null;
  }
  const candidates = Object.keys(props).filter((k) => !present.has(k));
  const hint = suggest(name, candidates);
  if (hint !== null) {
    ctx.out.push({
      path: formatPath(path),
      message: `${message}; did you mean \`${hint}\`?`,
      range: keyRange,
      severity: 'error',
      fix: { kind: 'replace-key', replacement: hint },
    });
    return hint;
  }
  // A key one level too high or low: say where it belongs.
  const home = Object.keys(props).find((k) => childKeys(props[k]).includes(name));
  if (home !== undefined) message += `; it belongs in ${formatPath([...path, home])}`;
  else if (Object.keys(props).length > 0) message += `; keys: ${Object.keys(props).join(', ')}`;
  push(ctx, path, message, keyRange);
  return null;
}

function childKeys(schema: JsonSchema): string[] {
  const keys = Object.keys(schema.properties ?? {});
  for (const b of schema.oneOf ?? []) keys.push(...Object.keys(b.properties ?? {}));
  return keys;
}

function validateSequence(ctx: Ctx, items: readonly unknown[], schema: JsonSchema, path: PathSegment[], range: SourceRange): void {
  const n = items.length;
  if (schema.minItems !== undefined && schema.minItems === schema.maxItems && n !== schema.minItems) {
    push(ctx, path, `${label(path)}: expected exactly ${plural(schema.minItems, 'item')}, got ${n}`, range);
  } else if (schema.minItems !== undefined && n < schema.minItems) {
    push(ctx, path, `${label(path)}: expected at least ${plural(schema.minItems, 'item')}, got ${n}`, range);
  } else if (schema.maxItems !== undefined && n > schema.maxItems) {
    push(ctx, path, `${label(path)}: expected at most ${plural(schema.maxItems, 'item')}, got ${n}`, range);
  }
  const itemSchema = schema.items;
  const seen = schema.uniqueItems ? new Set<string>() : null;
  for (let i = 0; i < n; i++) {
    const item = items[i];
    path.push(i);
    if (itemSchema !== undefined) validateNode(ctx, item, itemSchema, path, rangeOf(item) ?? range, null);
    if (seen !== null && isScalar(item)) {
      const k = JSON.stringify(item.value) ?? 'null';
      if (seen.has(k)) push(ctx, path, `${label(path)}: ${formatValue(toJsonValue(item.value))} is listed more than once`, rangeOf(item) ?? range);
      seen.add(k);
    }
    path.pop();
  }
}

function validateOneOf(
  ctx: Ctx,
  node: unknown,
  schema: JsonSchema,
  branches: readonly JsonSchema[],
  path: PathSegment[],
  anchor: SourceRange,
  range: SourceRange,
): void {
  const kind = kindOf(node);
  const outerTypes = schemaTypes(schema);
  if (outerTypes !== null && kind === 'null' && outerTypes.includes('null')) return;

  const d = discriminatorOf(branches);
  if (d !== null) {
    const consts = branches.map((b) => b.properties?.[d]?.const as JsonValue);
    if (!isMap(node)) {
      push(ctx, path, `${label(path)}: expected ${describeExpected(schema)}, got ${describeNode(node)}`, range);
      return;
    }
    const pair = node.items.find((p) => isScalar(p.key) && p.key.value === d);
    if (pair === undefined) {
      push(ctx, path, `missing required key \`${d}\` ${where(path)} (one of ${consts.map(formatValue).join(', ')})`, anchor);
      return;
    }
    const value = isScalar(pair.value) ? pair.value.value : undefined;
    const index = consts.findIndex((c) => c === value);
    if (index < 0) {
      const valueRange = rangeOf(pair.value) ?? rangeOf(pair.key) ?? range;
      const shown = typeof value === 'string' ? `\`${value}\`` : describeNode(pair.value);
      let message = `${formatPath([...path, d])}: unknown ${d} ${shown}; ${d}s: ${consts.map((c) => String(c)).join(', ')}`;
      if (typeof value === 'string') {
        const hint = suggest(value, consts.filter((c): c is string => typeof c === 'string'));
        if (hint !== null) message += `; did you mean \`${hint}\`?`;
      }
      push(ctx, [...path, d], message, valueRange);
      return;
    }
    validateNode(ctx, node, branches[index], path, anchor, range);
    return;
  }

  const candidates = branches.filter((b) => branchAdmits(b, kind));
  if (candidates.length === 0) {
    push(ctx, path, `${label(path)}: expected ${describeExpected(schema)}, got ${describeNode(node)}`, range);
    return;
  }
  let best: SchemaProblem[] | null = null;
  for (const b of candidates) {
    const sub: Ctx = { doc: ctx.doc, out: [], aliasDepth: ctx.aliasDepth, aliases: ctx.aliases };
    validateNode(sub, node, b, path, anchor, range);
    if (sub.out.length === 0) return;
    if (best === null || sub.out.length < best.length) best = sub.out;
  }
  if (!isMap(node) && !isSeq(node)) {
    // A scalar that fits no alternative: say what all the alternatives are.
    const value = scalarValue(node);
    let message = `${label(path)}: expected ${describeExpected(schema)}, got ${describeNode(node)}`;
    if (typeof value === 'string') {
      const words = branches.flatMap((b) => [b.const, ...(b.enum ?? [])]).filter((v): v is string => typeof v === 'string');
      const hint = suggest(value, words);
      if (hint !== null) message += `; did you mean \`${hint}\`?`;
    }
    push(ctx, path, message, range);
    return;
  }
  ctx.out.push(...(best ?? []));
}

function oneOfChoices(schema: JsonSchema): string {
  const d = discriminatorOf(schema.oneOf ?? []);
  if (d === null) return '';
  return ` (a mapping with \`${d}\`: ${(schema.oneOf ?? []).map((b) => formatValue(b.properties?.[d]?.const as JsonValue)).join(', ')})`;
}

// ---------------------------------------------------------------------------------------------
// Kinds and descriptions

function scalarValue(node: unknown): unknown {
  if (node === null || node === undefined) return null;
  return isScalar(node) ? node.value : undefined;
}

function kindOfValue(v: unknown): ScalarKind {
  if (v === null || v === undefined) return 'null';
  switch (typeof v) {
    case 'boolean':
      return 'boolean';
    case 'number':
      return Number.isFinite(v) ? (Number.isInteger(v) ? 'integer' : 'number') : 'nonfinite';
    case 'string':
      return 'string';
    default:
      return 'other';
  }
}

function kindOf(node: unknown): NodeKind {
  if (isMap(node)) return 'object';
  if (isSeq(node)) return 'array';
  if (node === null || node === undefined) return 'null';
  if (isScalar(node)) return kindOfValue(node.value);
  return 'other';
}

function typeAdmits(types: readonly JsonType[], kind: NodeKind): boolean {
  switch (kind) {
    case 'integer':
      return types.includes('integer') || types.includes('number');
    case 'number':
      return types.includes('number');
    case 'nonfinite':
    case 'other':
      return false;
    default:
      return types.includes(kind);
  }
}

function branchAdmits(schema: JsonSchema, kind: NodeKind): boolean {
  if (schema.const !== undefined) return typeAdmits([jsonTypeOf(schema.const)], kind);
  if (schema.enum !== undefined) return schema.enum.some((v) => typeAdmits([jsonTypeOf(v)], kind));
  if (schema.oneOf !== undefined) return schema.oneOf.some((b) => branchAdmits(b, kind));
  const types = schemaTypes(schema);
  return types === null || typeAdmits(types, kind);
}

function jsonTypeOf(v: JsonValue): JsonType {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  switch (typeof v) {
    case 'boolean':
      return 'boolean';
    case 'number':
      return Number.isInteger(v) ? 'integer' : 'number';
    case 'string':
      return 'string';
    default:
      return 'object';
  }
}

function numberInBounds(v: number, schema: JsonSchema): boolean {
  if (schemaTypes(schema)?.includes('integer') && !schemaTypes(schema)?.includes('number') && !Number.isInteger(v)) return false;
  if (schema.minimum !== undefined && v < schema.minimum) return false;
  if (schema.exclusiveMinimum !== undefined && v <= schema.exclusiveMinimum) return false;
  if (schema.maximum !== undefined && v > schema.maximum) return false;
  if (schema.exclusiveMaximum !== undefined && v >= schema.exclusiveMaximum) return false;
  return true;
}

/** What a schema expects, for messages: "a number > 0 or null", "one of `nearest`, `linear`". */
export function describeExpected(schema: JsonSchema): string {
  if (schema['x-expected'] !== undefined) return schema['x-expected'];
  if (schema.const !== undefined) return formatValue(schema.const);
  if (schema.enum !== undefined) return `one of ${schema.enum.map(formatValue).join(', ')}`;
  if (schema.oneOf !== undefined) {
    const d = discriminatorOf(schema.oneOf);
    const alternatives =
      d !== null
        ? [`a mapping with \`${d}\` (${schema.oneOf.map((b) => formatValue(b.properties?.[d]?.const as JsonValue)).join(', ')})`]
        : schema.oneOf.map(describeExpected);
    const types = schemaTypes(schema);
    if (types?.includes('null')) alternatives.push('null');
    return alternatives.join(' or ');
  }
  const types = schemaTypes(schema);
  if (types === null) return 'a value';
  return types.map((t) => describeType(t, schema)).join(' or ');
}

function describeType(t: JsonType, schema: JsonSchema): string {
  switch (t) {
    case 'number':
    case 'integer':
      return (t === 'integer' ? 'an integer' : 'a number') + describeBounds(schema);
    case 'string':
      if (schema['x-expected'] !== undefined) return schema['x-expected'];
      return schema.pattern !== undefined ? `a string matching ${schema.pattern}` : 'a string';
    case 'boolean':
      return 'true or false';
    case 'null':
      return 'null';
    case 'object': {
      const req = schema.required ?? [];
      return req.length > 0 ? `a mapping with ${req.map((k) => `\`${k}\``).join(', ')}` : 'a mapping';
    }
    case 'array':
      if (schema.minItems !== undefined && schema.minItems === schema.maxItems) return `a list of ${plural(schema.minItems, 'item')}`;
      return 'a list';
  }
}

function describeBounds(s: JsonSchema): string {
  if (s.minimum !== undefined && s.maximum !== undefined) return ` from ${s.minimum} to ${s.maximum}`;
  const parts: string[] = [];
  if (s.minimum !== undefined) parts.push(`>= ${s.minimum}`);
  if (s.exclusiveMinimum !== undefined) parts.push(`> ${s.exclusiveMinimum}`);
  if (s.maximum !== undefined) parts.push(`<= ${s.maximum}`);
  if (s.exclusiveMaximum !== undefined) parts.push(`< ${s.exclusiveMaximum}`);
  return parts.length === 0 ? '' : ` ${parts.join(' and ')}`;
}

function describeNode(node: unknown): string {
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isAlias(node)) return `the alias \`*${node.source}\``;
  if (node === null || node === undefined) return 'nothing';
  if (!isScalar(node)) return 'an unsupported value';
  const v = node.value;
  if (v === null || v === undefined) return rangeOf(node) === null ? 'nothing' : 'null';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 37)}...` : v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return 'an unsupported value';
}

function formatValue(v: JsonValue): string {
  return typeof v === 'string' ? `\`${v}\`` : JSON.stringify(v);
}

function toJsonValue(v: unknown): JsonValue {
  return v === undefined || typeof v === 'bigint' || typeof v === 'object' ? null : (v as JsonValue);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function shortTag(tag: string): string {
  return tag.startsWith('tag:yaml.org,2002:') ? `!!${tag.slice('tag:yaml.org,2002:'.length)}` : tag;
}

const REGEX_CACHE = new Map<string, RegExp>();
function regex(pattern: string): RegExp {
  let r = REGEX_CACHE.get(pattern);
  if (r === undefined) {
    r = new RegExp(pattern, 'u');
    REGEX_CACHE.set(pattern, r);
  }
  return r;
}

function dedupe(problems: SchemaProblem[]): SchemaProblem[] {
  if (problems.length < 2) return problems;
  const seen = new Set<string>();
  return problems.filter((p) => {
    const k = `${p.range[0]}:${p.range[1]}:${p.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

// ---------------------------------------------------------------------------------------------
// Parsing and locating

export interface ParsedYaml {
  doc: Document.Parsed;
  lineCounter: LineCounter;
  /** Syntax errors and warnings, with ranges; the document is still usable for validation. */
  problems: SchemaProblem[];
}

/**
 * Parses one YAML document (core schema, unique keys), collecting syntax problems with ranges
 * instead of throwing, so that a half-typed file still gets every diagnostic.
 */
export function parseYamlText(text: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, schema: 'core' });
  const problems: SchemaProblem[] = [];
  for (const e of doc.errors) problems.push(syntaxProblem(e, text, 'error', doc.contents));
  // Unresolved tags are reported by the validator, which says why they are refused.
  for (const w of doc.warnings) if (w.code !== 'TAG_RESOLVE_FAILED') problems.push(syntaxProblem(w, text, 'warning', doc.contents));
  return { doc, lineCounter, problems };
}

function syntaxProblem(e: YAMLError, text: string, severity: 'error' | 'warning', root: unknown): SchemaProblem {
  let start = Math.max(0, Math.min(e.pos[0], text.length));
  let end = Math.max(start, Math.min(e.pos[1], text.length));
  const first = e.message.split('\n')[0];
  let message: string;
  switch (e.code) {
    case 'DUPLICATE_KEY': {
      // The parser points at the key's first character; underline and name the whole key.
      const key = keyStartingAt(root, start);
      if (key !== undefined) [start, end] = rangeOf(key) ?? [start, end];
      message = `duplicate key \`${key !== undefined ? String(key.value) : text.slice(start, end)}\``;
      break;
    }
    case 'MULTIPLE_DOCS':
      message = 'only one YAML document is allowed here (remove the second `---` and what follows)';
      break;
    default:
      message = `YAML syntax: ${first.charAt(0).toLowerCase()}${first.slice(1)}`;
  }
  return { path: '', message, range: [start, end], severity };
}

/** The mapping key (anywhere below `root`) whose source starts at `offset`. */
function keyStartingAt(root: unknown, offset: number): Scalar | undefined {
  if (isMap(root)) {
    for (const pair of root.items) {
      if (isScalar(pair.key) && pair.key.range?.[0] === offset) return pair.key;
      const inner = keyStartingAt(pair.value, offset);
      if (inner !== undefined) return inner;
    }
  } else if (isSeq(root)) {
    for (const item of root.items) {
      const inner = keyStartingAt(item, offset);
      if (inner !== undefined) return inner;
    }
  }
  return undefined;
}

/** The node at `path` below `root` (mapping keys and list indices), or undefined. */
export function nodeAt(root: unknown, path: readonly PathSegment[]): Node | undefined {
  let cur: unknown = root;
  for (const seg of path) {
    if (typeof seg === 'number') {
      if (!isSeq(cur)) return undefined;
      cur = cur.items[seg];
    } else {
      if (!isMap(cur)) return undefined;
      const pair = cur.items.find((p) => isScalar(p.key) && String(p.key.value) === seg);
      if (pair === undefined) return undefined;
      cur = pair.value;
    }
  }
  return isNode(cur) ? cur : undefined;
}

/**
 * The best source range for a setting at `path`: its value when written (else its key), else the
 * key of the deepest enclosing setting that is in the file (for settings that come from defaults
 * or a preset), else `fallback` (by default the start of `root`).
 */
export function locate(root: unknown, path: readonly PathSegment[], fallback?: SourceRange): SourceRange {
  const start = rangeOf(root);
  let best: SourceRange = fallback ?? (start !== null ? [start[0], start[0]] : [0, 0]);
  let cur: unknown = root;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    const last = i === path.length - 1;
    if (typeof seg === 'number') {
      if (!isSeq(cur)) return best;
      cur = cur.items[seg];
      const r = rangeOf(cur);
      if (r === null) return best;
      best = r;
    } else {
      if (!isMap(cur)) return best;
      const pair = cur.items.find((p) => isScalar(p.key) && String(p.key.value) === seg);
      if (pair === undefined) return best;
      // A block value starts at its first key, which would point at the wrong setting: use the key.
      best = (last ? (rangeOf(pair.value) ?? rangeOf(pair.key)) : (rangeOf(pair.key) ?? rangeOf(pair.value))) ?? best;
      cur = pair.value;
    }
  }
  return best;
}

/**
 * The schema that applies at `path` (for completion and hover), following `properties`,
 * `items` and, for a `oneOf`, the branch the document selects (by its discriminator, e.g.
 * `method`, or by the kind of value written).
 */
export function schemaAt(schema: JsonSchema, root: unknown, path: readonly PathSegment[]): JsonSchema | undefined {
  let s = pickBranch(schema, root, []);
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    let next: JsonSchema | undefined = typeof seg === 'number' ? s.items : s.properties?.[seg];
    if (next === undefined && typeof seg === 'string' && s.oneOf !== undefined) {
      // No branch selected yet (e.g. `method` not written): any branch that has the key.
      next = s.oneOf.find((b) => b.properties?.[seg] !== undefined)?.properties?.[seg];
    }
    if (next === undefined) return undefined;
    s = pickBranch(next, root, path.slice(0, i + 1));
  }
  return s;
}

function pickBranch(s: JsonSchema, root: unknown, path: readonly PathSegment[]): JsonSchema {
  if (s.oneOf === undefined) return s;
  const node = nodeAt(root, path);
  const d = discriminatorOf(s.oneOf);
  if (d !== null) {
    const value = isMap(node) ? scalarValue(nodeAt(node, [d])) : undefined;
    return s.oneOf.find((b) => b.properties?.[d]?.const === value) ?? s;
  }
  const candidates = s.oneOf.filter((b) => branchAdmits(b, kindOf(node)));
  return candidates.length === 1 ? candidates[0] : s;
}
