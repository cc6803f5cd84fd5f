/**
 * The files a study names, as completion and hover need them: the manifest and clinical tables
 * (their columns, rows, values) and NIfTI headers, read through the engine's FileFactsCache
 * (path + mtime + size) so that repeated requests only stat the file.
 */
import { statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { isMap, isScalar, isSeq } from 'yaml';
import { readNiftiHeader, type NiftiHeader } from '../../src/engine/io/nifti';
import type { Affine, Vec3 } from '../../src/engine/image/volume';
import { nodeAt } from '../../src/engine/schema/validate-yaml';
import type { CsvTable } from '../../src/engine/study/csv';
import type { FileFactsCache } from '../../src/engine/study/file-facts';
import type { StudySnapshot } from './documents';

/** A path written in the study, resolved against the study file's directory. */
export function resolveFromStudy(snapshot: StudySnapshot, written: string): string {
  return isAbsolute(written) ? written : resolve(dirname(snapshot.file), written);
}

/** The string written at `path`, or undefined. */
export function stringAt(root: unknown, path: readonly (string | number)[]): string | undefined {
  const n = nodeAt(root, path);
  return isScalar(n) && typeof n.value === 'string' ? n.value : undefined;
}

export interface TableRef {
  /** Where the study names it, e.g. "cohort.manifest". */
  where: string;
  written: string;
  file: string;
}

/** The main manifest, if the study names one. */
export function manifestRef(snapshot: StudySnapshot): TableRef | undefined {
  const written = stringAt(snapshot.root, ['cohort', 'manifest']);
  return written === undefined ? undefined : { where: 'cohort.manifest', written, file: resolveFromStudy(snapshot, written) };
}

/** The clinical tables, in order (an entry without a file is skipped). */
export function clinicalRefs(snapshot: StudySnapshot): (TableRef & { index: number })[] {
  const list = nodeAt(snapshot.root, ['cohort', 'clinical']);
  if (!isSeq(list)) return [];
  const out: (TableRef & { index: number })[] = [];
  list.items.forEach((item, index) => {
    if (!isMap(item)) return;
    const written = stringAt(item, ['file']);
    if (written !== undefined) out.push({ where: `cohort.clinical[${index}].file`, written, file: resolveFromStudy(snapshot, written), index });
  });
  return out;
}

/** The table, or undefined when it cannot be read (the diagnostics say why). */
export function readTable(cache: FileFactsCache, file: string): CsvTable | undefined {
  const facts = cache.csv(file);
  return facts.ok ? facts.table : undefined;
}

export type ImageHeader = NiftiHeader & { dims: Vec3; spacing: Vec3; affine: Affine };

const headers = new Map<string, { key: string; header: ImageHeader | string }>();

/** The NIfTI header of `file` (datatype included, unlike the loader's grid facts), or why it cannot be read. */
export function imageHeader(file: string): ImageHeader | string {
  let key: string;
  try {
    const s = statSync(file);
    if (!s.isFile()) return 'not a file';
    key = `${s.mtimeMs}:${s.size}`;
  } catch {
    return 'file not found';
  }
  const hit = headers.get(file);
  if (hit !== undefined && hit.key === key) return hit.header;
  let header: ImageHeader | string;
  try {
    header = readNiftiHeader(file);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    header = message.startsWith(`${file}: `) ? message.slice(file.length + 2) : message;
  }
  if (headers.size > 256) headers.clear();
  headers.set(file, { key, header });
  return header;
}

/** Distinct non-empty values of a column, in order of first appearance (at most `max`). */
export function distinctValues(table: CsvTable, column: string, max = 50): string[] {
  const idx = table.columns.indexOf(column);
  if (idx < 0) return [];
  const seen = new Set<string>();
  for (const row of table.rows) {
    const v = row.cells[idx].trim();
    if (v !== '' && !seen.has(v)) {
      seen.add(v);
      if (seen.size >= max) break;
    }
  }
  return [...seen];
}
