/**
 * The `.rgnb` file format of Radiogenomics notebooks: JSON written so that it diffs cleanly in
 * git and reads back to the same bytes.
 *
 *   {
 *     "format": "radiogenomics-notebook",
 *     "version": 1,
 *     "metadata": { ... },                        (only when non-empty; keys sorted)
 *     "cells": [
 *       {
 *         "kind": "code" | "markdown",
 *         "language": "yaml" | "javascript" | "markdown" | ...,
 *         "source": ["line 1\n", "line 2"],        (lines, each with its line end)
 *         "metadata": { ... },                    (only when non-empty; keys sorted)
 *         "outputs": [                            (code cells only)
 *           { "metadata": { ... }, "items": [
 *               { "mime": "text/plain", "text": ["..."] }             text types
 *               { "mime": "application/vnd...+json", "json": {...} }   JSON types
 *               { "mime": "image/png", "base64": "..." }               anything else
 *           ] }
 *         ],
 *         "execution": { "order": 3, "success": true }   (when the cell has run)
 *       }
 *     ]
 *   }
 *
 * Why this shape: sources and text outputs as arrays of lines (like .ipynb) so a one-line edit
 * is a one-line diff; keys in one fixed order (structure) or sorted (metadata) so that saving an
 * unchanged notebook changes nothing; JSON output data kept as JSON (not base64) and written
 * with objects one key per line and arrays of plain values on one line, so that a changed
 * number shows up as one changed line. No timestamps and no output ids (both change on every
 * run and would make every save a diff).
 *
 * Pure: no vscode import (the serializer adapts it; the tests and the CLI can use it directly).
 */
import { RgsError } from '../../engine/util/errors';

export const RGNB_FORMAT = 'radiogenomics-notebook';
export const RGNB_VERSION = 1;
export const RGNB_EXTENSION = '.rgnb';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export type RgnbOutputItem = { mime: string; text: string } | { mime: string; json: JsonValue } | { mime: string; base64: string };

export interface RgnbOutput {
  metadata: JsonObject;
  items: RgnbOutputItem[];
}

export interface RgnbExecution {
  order?: number;
  success?: boolean;
}

export interface RgnbCell {
  kind: 'code' | 'markdown';
  language: string;
  source: string;
  metadata: JsonObject;
  outputs: RgnbOutput[];
  execution?: RgnbExecution;
}

export interface RgnbNotebook {
  metadata: JsonObject;
  cells: RgnbCell[];
}

// ---------------------------------------------------------------------------------------------
// MIME types and their storage

/** MIME types whose data is JSON (stored as JSON in the file). */
export function isJsonMime(mime: string): boolean {
  return mime === 'application/json' || mime.endsWith('+json') || mime === 'application/vnd.code.notebook.error';
}

/** MIME types whose data is text (stored as lines). */
export function isTextMime(mime: string): boolean {
  return (
    mime.startsWith('text/') ||
    mime === 'application/vnd.code.notebook.stdout' ||
    mime === 'application/vnd.code.notebook.stderr' ||
    mime === 'application/javascript' ||
    mime === 'image/svg+xml'
  );
}

const utf8 = new TextEncoder();
const utf8Strict = new TextDecoder('utf-8', { fatal: true });

/** How an output item's bytes are stored: JSON for JSON types, text for text, else base64. */
export function itemFromBytes(mime: string, bytes: Uint8Array): RgnbOutputItem {
  let text: string | null = null;
  try {
    text = utf8Strict.decode(bytes);
  } catch {
    text = null;
  }
  if (text !== null && isJsonMime(mime)) {
    try {
      return { mime, json: JSON.parse(text) as JsonValue };
    } catch {
      // Not valid JSON after all: keep the text as is.
      return { mime, text };
    }
  }
  if (text !== null && isTextMime(mime)) return { mime, text };
  return { mime, base64: Buffer.from(bytes).toString('base64') };
}

export function itemToBytes(item: RgnbOutputItem): Uint8Array {
  if ('json' in item) return utf8.encode(JSON.stringify(item.json));
  if ('text' in item) return utf8.encode(item.text);
  return new Uint8Array(Buffer.from(item.base64, 'base64'));
}

// ---------------------------------------------------------------------------------------------
// Serialising

/** "a\nb" -> ["a\n", "b"]; joining the lines gives the text back exactly. */
export function splitLines(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      out.push(text.slice(start, i + 1));
      start = i + 1;
    }
  }
  if (start < text.length) out.push(text.slice(start));
  return out;
}

function sortKeys(v: JsonValue): JsonValue {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (!isPlainObject(v)) return v;
  const out: JsonObject = {};
  for (const k of Object.keys(v).sort()) out[k] = sortKeys(v[k]);
  return out;
}

function sortedObject(o: JsonObject): JsonObject {
  return sortKeys(o) as JsonObject;
}

function isPlainObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isScalar(v: JsonValue): v is null | boolean | number | string {
  return v === null || typeof v !== 'object';
}

/**
 * JSON text of `v` at indentation `indent`: objects one key per line (in their own key order),
 * arrays of scalars (and empty containers) on one line, other arrays one element per line.
 * Non-finite numbers cannot be JSON; they are written as null (as JSON.stringify does).
 */
function formatJson(v: JsonValue, indent: string): string {
  if (isScalar(v)) return JSON.stringify(v);
  const inner = indent + '  ';
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    if (v.every(isScalar)) return JSON.stringify(v);
    return `[\n${v.map((x) => inner + formatJson(x, inner)).join(',\n')}\n${indent}]`;
  }
  const keys = Object.keys(v).filter((k) => v[k] !== undefined);
  if (keys.length === 0) return '{}';
  return `{\n${keys.map((k) => `${inner}${JSON.stringify(k)}: ${formatJson(v[k], inner)}`).join(',\n')}\n${indent}}`;
}

function itemJson(item: RgnbOutputItem): JsonObject {
  if ('json' in item) return { mime: item.mime, json: item.json };
  if ('text' in item) return { mime: item.mime, text: splitLines(item.text) };
  return { mime: item.mime, base64: item.base64 };
}

function cellJson(cell: RgnbCell): JsonObject {
  const out: JsonObject = { kind: cell.kind, language: cell.language, source: splitLines(cell.source) };
  if (Object.keys(cell.metadata).length > 0) out.metadata = sortedObject(cell.metadata);
  if (cell.kind === 'code') {
    out.outputs = cell.outputs.map((o) => {
      const j: JsonObject = {};
      if (Object.keys(o.metadata).length > 0) j.metadata = sortedObject(o.metadata);
      j.items = o.items.map(itemJson);
      return j;
    });
    const e = cell.execution;
    if (e !== undefined && (e.order !== undefined || e.success !== undefined)) {
      const ej: JsonObject = {};
      if (e.order !== undefined) ej.order = e.order;
      if (e.success !== undefined) ej.success = e.success;
      out.execution = ej;
    }
  }
  return out;
}

/** The file text of a notebook (UTF-8, LF line ends, a final newline). */
export function serialiseRgnb(nb: RgnbNotebook): string {
  const doc: JsonObject = { format: RGNB_FORMAT, version: RGNB_VERSION };
  if (Object.keys(nb.metadata).length > 0) doc.metadata = sortedObject(nb.metadata);
  doc.cells = nb.cells.map(cellJson);
  return formatJson(doc, '') + '\n';
}

// ---------------------------------------------------------------------------------------------
// Parsing

function fail(where: string, what: string): never {
  throw new RgsError(`notebook ${where}: ${what}`, { field: where });
}

function objectAt(v: unknown, where: string): JsonObject {
  if (v === undefined) return {};
  if (!isPlainObject(v)) fail(where, 'expected a JSON object');
  return v;
}

function linesAt(v: unknown, where: string): string {
  if (v === undefined) return '';
  if (typeof v === 'string') return v;
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) fail(where, 'expected a string or an array of lines');
  return v.join('');
}

function parseItem(v: unknown, where: string): RgnbOutputItem {
  if (!isPlainObject(v) || typeof v.mime !== 'string') fail(where, 'expected an output item with a `mime`');
  const mime = v.mime;
  if ('json' in v) return { mime, json: v.json };
  if ('text' in v) return { mime, text: linesAt(v.text, `${where}.text`) };
  if (typeof v.base64 === 'string') return { mime, base64: v.base64 };
  fail(where, 'an output item needs `json`, `text` or `base64`');
}

function parseCell(v: unknown, where: string): RgnbCell {
  if (!isPlainObject(v)) fail(where, 'expected a cell object');
  const kind = v.kind;
  if (kind !== 'code' && kind !== 'markdown') fail(`${where}.kind`, `expected "code" or "markdown", got ${JSON.stringify(kind)}`);
  const language = v.language === undefined ? (kind === 'markdown' ? 'markdown' : 'yaml') : v.language;
  if (typeof language !== 'string') fail(`${where}.language`, 'expected a string');
  const outputsRaw = v.outputs ?? [];
  if (!Array.isArray(outputsRaw)) fail(`${where}.outputs`, 'expected an array');
  const outputs = outputsRaw.map((o, i): RgnbOutput => {
    const w = `${where}.outputs[${i}]`;
    if (!isPlainObject(o)) fail(w, 'expected an output object');
    const items = o.items ?? [];
    if (!Array.isArray(items)) fail(`${w}.items`, 'expected an array');
    return { metadata: objectAt(o.metadata, `${w}.metadata`), items: items.map((it, j) => parseItem(it, `${w}.items[${j}]`)) };
  });
  const cell: RgnbCell = { kind, language, source: linesAt(v.source, `${where}.source`), metadata: objectAt(v.metadata, `${where}.metadata`), outputs };
  if (v.execution !== undefined) {
    const e = objectAt(v.execution, `${where}.execution`);
    const exec: RgnbExecution = {};
    if (e.order !== undefined) {
      if (typeof e.order !== 'number' || !Number.isInteger(e.order)) fail(`${where}.execution.order`, 'expected a whole number');
      exec.order = e.order;
    }
    if (e.success !== undefined) {
      if (typeof e.success !== 'boolean') fail(`${where}.execution.success`, 'expected true or false');
      exec.success = e.success;
    }
    cell.execution = exec;
  }
  return cell;
}

/**
 * Reads a notebook file's text. An empty (or whitespace-only) file is an empty notebook, so that
 * "New File" + save works. Throws RgsError naming the place of the first problem.
 */
export function parseRgnb(text: string): RgnbNotebook {
  if (text.trim() === '') return { metadata: {}, cells: [] };
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new RgsError(`not a Radiogenomics notebook: the file is not valid JSON (${(e as Error).message})`);
  }
  if (!isPlainObject(doc)) fail('file', 'expected a JSON object');
  if (doc.format !== RGNB_FORMAT) fail('format', `expected "${RGNB_FORMAT}", got ${JSON.stringify(doc.format)}`);
  if (typeof doc.version !== 'number') fail('version', 'expected a number');
  if (doc.version > RGNB_VERSION) fail('version', `version ${doc.version} was written by a newer Radiogenomics Studio (this one reads version ${RGNB_VERSION})`);
  const cells = doc.cells ?? [];
  if (!Array.isArray(cells)) fail('cells', 'expected an array');
  return { metadata: objectAt(doc.metadata, 'metadata'), cells: cells.map((c, i) => parseCell(c, `cells[${i}]`)) };
}
