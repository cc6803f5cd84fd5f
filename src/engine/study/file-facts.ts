/**
 * What the study loader needs to know about the files a study names (does it exist, the parsed
 * CSV, the NIfTI grid), cached by path + modification time + size. The language server keeps one
 * cache across keystrokes, so re-analysing a study only stats its files instead of re-reading
 * hundreds of image headers; a file that changes on disk gets a new mtime or size and is re-read.
 */
import { readFileSync, statSync } from 'node:fs';
import type { Grid } from '../image/volume';
import { readNiftiHeader } from '../io/nifti';
import { RgsError } from '../util/errors';
import { CsvSyntaxError, parseCsv, type CsvTable } from './csv';

export interface FileStat {
  isFile: boolean;
  mtimeMs: number;
  size: number;
}

export type CsvFacts =
  | { ok: true; table: CsvTable }
  /** `line`/`column` are set for a CSV syntax error (1-based). */
  | { ok: false; missing: boolean; error: string; line?: number; column?: number };

export type NiftiFacts = { ok: true; grid: Grid } | { ok: false; missing: boolean; error: string };

interface Entry<T> {
  key: string;
  value: T;
}

/** Entries kept at most (a few hundred bytes each, plus the CSV tables). */
const DEFAULT_MAX_ENTRIES = 20_000;

export class FileFactsCache {
  private readonly csvs = new Map<string, Entry<CsvFacts>>();
  private readonly headers = new Map<string, Entry<NiftiFacts>>();
  private readonly maxEntries: number;

  constructor(options: { maxEntries?: number } = {}) {
    this.maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  }

  /** The file's kind, mtime and size, or null when it does not exist or cannot be seen. Not cached. */
  stat(path: string): FileStat | null {
    try {
      const s = statSync(path, { throwIfNoEntry: false });
      return s === undefined ? null : { isFile: s.isFile(), mtimeMs: s.mtimeMs, size: s.size };
    } catch {
      return null;
    }
  }

  /** A regular file exists at `path`. */
  isFile(path: string): boolean {
    return this.stat(path)?.isFile === true;
  }

  /** The CSV table at `path`, parsed, or why it cannot be read. */
  csv(path: string): CsvFacts {
    return this.cached(this.csvs, path, (): CsvFacts => {
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch (e) {
        return { ok: false, missing: false, error: `cannot read the file (${(e as Error).message})` };
      }
      try {
        return { ok: true, table: parseCsv(text, path) };
      } catch (e) {
        if (e instanceof CsvSyntaxError) return { ok: false, missing: false, error: e.what, line: e.line, column: e.column };
        throw e;
      }
    });
  }

  /** The voxel grid in the header of the NIfTI file at `path` (the voxel data is not read). */
  nifti(path: string): NiftiFacts {
    return this.cached(this.headers, path, (): NiftiFacts => {
      try {
        const h = readNiftiHeader(path);
        return { ok: true, grid: { dims: h.dims, spacing: h.spacing, affine: h.affine } };
      } catch (e) {
        if (e instanceof RgsError) {
          // The reader's messages start with the path; the problem is shown at the path already.
          const what = e.message.startsWith(`${path}: `) ? e.message.slice(path.length + 2) : e.message;
          return { ok: false, missing: false, error: what };
        }
        throw e;
      }
    });
  }

  clear(): void {
    this.csvs.clear();
    this.headers.clear();
  }

  private cached<T>(map: Map<string, Entry<T | { ok: false; missing: boolean; error: string }>>, path: string, read: () => T): T | { ok: false; missing: boolean; error: string } {
    const s = this.stat(path);
    if (s === null) {
      map.delete(path);
      return { ok: false, missing: true, error: 'file not found' };
    }
    if (!s.isFile) return { ok: false, missing: false, error: 'not a file' };
    const key = `${s.mtimeMs}:${s.size}`;
    const hit = map.get(path);
    if (hit !== undefined && hit.key === key) {
      // Most recently used last, so the oldest are evicted first.
      map.delete(path);
      map.set(path, hit);
      return hit.value;
    }
    const value = read();
    map.set(path, { key, value });
    if (map.size > this.maxEntries) {
      const oldest = map.keys().next().value;
      if (oldest !== undefined) map.delete(oldest);
    }
    return value;
  }
}
