/**
 * The open study documents: their text per version, and what is derived from a version (its
 * lines, its YAML parse) computed once and shared by every request on that version, so that a
 * completion, a hover and the diagnostics after one keystroke parse the text once.
 */
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { TextDocuments } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseYamlText, type ParsedYaml } from '../../src/engine/schema/validate-yaml';
import { Lines } from './cursor';

/** One version of a document and what is derived from it (lazily). */
export class StudySnapshot {
  private linesCache: Lines | undefined;
  private parsedCache: ParsedYaml | undefined;

  constructor(
    readonly uri: string,
    readonly version: number,
    readonly text: string,
    /** The study file's path on disk (relative paths in it start at its directory). */
    readonly file: string,
    /** Whether `file` is a real file location (file: URI), so the files it names can be read. */
    readonly onDisk: boolean,
  ) {}

  get lines(): Lines {
    if (this.linesCache === undefined) this.linesCache = new Lines(this.text);
    return this.linesCache;
  }

  /** The YAML parse of this version (the same parse the loader makes: core schema, unique keys). */
  get parsed(): ParsedYaml {
    if (this.parsedCache === undefined) this.parsedCache = parseYamlText(this.text);
    return this.parsedCache;
  }

  /** Share a parse made elsewhere for this very text (the loader's). */
  adoptParse(parsed: ParsedYaml): void {
    if (this.parsedCache === undefined) this.parsedCache = parsed;
  }

  /** The root node of the parse (null for an empty document). */
  get root(): unknown {
    return this.parsed.doc.contents;
  }

  /** 0-based position of an offset. */
  position(offset: number): { line: number; character: number } {
    const p = this.lines.position(Math.max(0, Math.min(offset, this.text.length)));
    return { line: p.line, character: p.column };
  }

  /** Offset of a 0-based position (clamped to the line). */
  offset(position: { line: number; character: number }): number {
    const lines = this.lines;
    if (position.line >= lines.lines.length) return this.text.length;
    if (position.line < 0) return 0;
    return lines.starts[position.line] + Math.max(0, Math.min(position.character, lines.lines[position.line].length));
  }

  range(start: number, end: number): { start: { line: number; character: number }; end: { line: number; character: number } } {
    return { start: this.position(start), end: this.position(end) };
  }
}

/** The path a document's URI names; untitled documents get a path in the working directory. */
export function uriToPath(uri: string): { file: string; onDisk: boolean } {
  if (uri.startsWith('file:')) {
    try {
      return { file: fileURLToPath(uri), onDisk: true };
    } catch {
      // fall through
    }
  }
  const name = uri.replace(/^[a-z-]+:/i, '').replace(/[^A-Za-z0-9._-]+/g, '_') || 'untitled.study.yaml';
  return { file: resolve(process.cwd(), name), onDisk: false };
}

export function pathToUri(path: string): string {
  return pathToFileURL(isAbsolute(path) ? path : resolve(path)).href;
}

export class StudyDocuments {
  readonly documents = new TextDocuments(TextDocument);
  private readonly snapshots = new Map<string, StudySnapshot>();

  /** The current version of an open document, or undefined. */
  get(uri: string): StudySnapshot | undefined {
    const doc = this.documents.get(uri);
    if (doc === undefined) {
      this.snapshots.delete(uri);
      return undefined;
    }
    const cached = this.snapshots.get(uri);
    if (cached !== undefined && cached.version === doc.version) return cached;
    const { file, onDisk } = uriToPath(uri);
    const snapshot = new StudySnapshot(uri, doc.version, doc.getText(), file, onDisk);
    this.snapshots.set(uri, snapshot);
    return snapshot;
  }

  forget(uri: string): void {
    this.snapshots.delete(uri);
  }

  /** Every open document's current snapshot. */
  all(): StudySnapshot[] {
    const out: StudySnapshot[] = [];
    for (const doc of this.documents.all()) {
      const s = this.get(doc.uri);
      if (s !== undefined) out.push(s);
    }
    return out;
  }
}
