/**
 * Content hashes for the cohort runner: SHA-256 of input files (keys of the feature cache and
 * provenance), canonical JSON (so that equal settings hash equally whatever their key order),
 * and the hash index that lets a re-run skip re-hashing files that have not changed.
 *
 * Hashing every image is what a fully cached re-run costs (120 subjects x 5 files of a few
 * MB each is seconds of SHA-256), so the index remembers (path, size, mtimeMs, inode) -> SHA-256
 * in the cache folder; a file whose size, modification time and inode are unchanged is taken
 * as unchanged (the same rule as make and rsync's quick check).
 */
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, mkdirSync, openSync, readFileSync, readSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { RgsError } from '../util/errors';
import { writeFileAtomic } from '../util/atomic-write';

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * JSON with object keys sorted (recursively) and no whitespace: one text per value, whatever
 * the order its keys were built in. Non-finite numbers become null, as in JSON.stringify.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : 'null';
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(',')}]`;
  if (ArrayBuffer.isView(value)) return canonicalJson(Array.from(value as unknown as ArrayLike<number>));
  if (typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj)
      .filter((k) => obj[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
  }
  throw new TypeError(`canonicalJson: cannot encode a ${typeof value}`);
}

/** What identifies a file's version without reading it. */
export interface FileIdentity {
  size: number;
  mtimeMs: number;
  ino: number;
}

export interface HashedFile extends FileIdentity {
  path: string;
  sha256: string;
}

export function identityOf(st: Stats): FileIdentity {
  return { size: st.size, mtimeMs: st.mtimeMs, ino: st.ino };
}

const CHUNK = 1 << 20;

/** SHA-256 of a file's bytes, with the identity (fstat of the same descriptor) it was read at. */
export function hashFile(path: string): HashedFile {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const what = code === 'ENOENT' ? 'file not found' : `cannot read the file (${code ?? String(err)})`;
    throw new RgsError(`${path}: ${what}`, { file: path, cause: err });
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new RgsError(`${path}: not a file`, { file: path });
    const hash = createHash('sha256');
    const buf = Buffer.allocUnsafe(CHUNK);
    for (;;) {
      const n = readSync(fd, buf, 0, CHUNK, null);
      if (n === 0) break;
      hash.update(buf.subarray(0, n));
    }
    return { path, sha256: hash.digest('hex'), ...identityOf(st) };
  } finally {
    closeSync(fd);
  }
}

interface IndexFile {
  format: 'rgs-hash-index/1';
  entries: Record<string, { size: number; mtimeMs: number; ino: number; sha256: string }>;
}

/**
 * path -> (identity, SHA-256), kept as `hash-index.json` in the cache folder. Entries of files
 * this run did not touch are kept (several studies may share one cache). Concurrent runs
 * (shards sharing a cache) may overwrite each other's index: the file is replaced atomically, so
 * the worst case is a lost entry and one re-hash, never a wrong hash.
 */
export class HashIndex {
  private readonly entries: Map<string, HashedFile>;
  private dirty = false;

  private constructor(
    private readonly file: string | null,
    entries: Map<string, HashedFile>,
  ) {
    this.entries = entries;
  }

  /** An index that remembers nothing across runs (no cache). */
  static inMemory(): HashIndex {
    return new HashIndex(null, new Map());
  }

  /** The index in `cacheDir` (empty if absent or unreadable: it is only an optimisation). */
  static load(cacheDir: string): HashIndex {
    const file = join(cacheDir, 'hash-index.json');
    const entries = new Map<string, HashedFile>();
    try {
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<IndexFile>;
      if (parsed.format === 'rgs-hash-index/1' && parsed.entries && typeof parsed.entries === 'object') {
        for (const [path, e] of Object.entries(parsed.entries)) {
          if (typeof e?.sha256 === 'string' && typeof e.size === 'number' && typeof e.mtimeMs === 'number' && typeof e.ino === 'number') {
            entries.set(path, { path, size: e.size, mtimeMs: e.mtimeMs, ino: e.ino, sha256: e.sha256 });
          }
        }
      }
    } catch {
      // Missing or damaged: start afresh.
    }
    return new HashIndex(file, entries);
  }

  /** The remembered SHA-256 of `path` if its identity is unchanged. */
  lookup(path: string, id: FileIdentity): string | undefined {
    const e = this.entries.get(path);
    if (!e || e.size !== id.size || e.mtimeMs !== id.mtimeMs || e.ino !== id.ino) return undefined;
    return e.sha256;
  }

  record(h: HashedFile): void {
    const e = this.entries.get(h.path);
    if (e && e.sha256 === h.sha256 && e.size === h.size && e.mtimeMs === h.mtimeMs && e.ino === h.ino) return;
    this.entries.set(h.path, { ...h });
    this.dirty = true;
  }

  save(): void {
    if (this.file === null || !this.dirty) return;
    const out: IndexFile = { format: 'rgs-hash-index/1', entries: {} };
    for (const path of [...this.entries.keys()].sort()) {
      const { size, mtimeMs, ino, sha256 } = this.entries.get(path) as HashedFile;
      out.entries[path] = { size, mtimeMs, ino, sha256 };
    }
    mkdirSync(join(this.file, '..'), { recursive: true });
    writeFileAtomic(this.file, JSON.stringify(out) + '\n');
    this.dirty = false;
  }
}
