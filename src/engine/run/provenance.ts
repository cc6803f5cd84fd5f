/**
 * provenance.json: what a cohort run (or a merge of shard runs) used and did: engine and Node
 * versions, the study file and its SHA-256, the settings of each sequence, the SHA-256 of every
 * input file, each task's status and the IBSI diagnostics of each ROI, start/end times, workers
 * and shard. `rgs merge` reads it back (format 'rgs-run/1') to check that shards belong together
 * and to rebuild the status table. All times are here, never in the feature tables.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RgsError } from '../util/errors';
import type { SettingsFileJson } from '../settings/settings-json';
import type { ColumnGroup } from './outputs';
import type { RoiError, TaskStatus } from './tasks';
import { PROVENANCE_JSON } from './outputs';

export const PROVENANCE_FORMAT = 'rgs-run/1';

export interface ProvenanceRoi {
  roi: string;
  diagnostics: Record<string, unknown>;
}

export interface ProvenanceTask {
  subject: string;
  sequence: string;
  status: TaskStatus;
  message: string;
  seconds: number;
  cache_key: string | null;
  image: string;
  mask: string;
  rois: ProvenanceRoi[];
  roi_errors: RoiError[];
}

export interface ProvenanceSequence {
  name: string;
  column: string;
  settings: Required<Pick<SettingsFileJson, 'preprocessing' | 'features'>>;
  overrides: unknown;
}

export interface MergedPart {
  dir: string;
  shard: { index: number; count: number } | null;
  started: string;
  ended: string;
  jobs: number;
  subjects: number;
}

export interface RunProvenance {
  format: typeof PROVENANCE_FORMAT;
  engine: { name: string; version: string };
  node: string;
  study: {
    id: string;
    title: string;
    file: string;
    sha256: string;
    manifest: { file: string; sha256: string | null };
  };
  sequences: ProvenanceSequence[];
  rois: { name: string; labels: number[] }[];
  subjects: string[];
  shard: { index: number; count: number } | null;
  jobs: number;
  cache: string | null;
  started: string;
  ended: string;
  /** The feature columns of each sequence x ROI, as in features.csv. */
  columns: ColumnGroup[];
  /** Absolute path -> SHA-256 of every input file read. */
  inputs: Record<string, string>;
  tasks: ProvenanceTask[];
  /** Present on merged outputs: the shard runs they were made from. */
  merged_from?: MergedPart[];
}

export function provenanceJson(p: RunProvenance): string {
  return JSON.stringify(p, null, 1) + '\n';
}

/** Read and shape-check `<dir>/provenance.json`. */
export function readProvenance(dir: string): RunProvenance {
  const file = join(dir, PROVENANCE_JSON);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const what = code === 'ENOENT' ? 'not found (is this an output folder of `rgs run`?)' : `cannot be read (${code ?? String(err)})`;
    throw new RgsError(`${file}: ${what}`, { file, cause: err });
  }
  let p: Partial<RunProvenance>;
  try {
    p = JSON.parse(text) as Partial<RunProvenance>;
  } catch (err) {
    throw new RgsError(`${file}: not valid JSON (${(err as Error).message})`, { file, cause: err });
  }
  if (p.format !== PROVENANCE_FORMAT) throw new RgsError(`${file}: not a provenance file of \`rgs run\` (format ${JSON.stringify(p.format)}, expected ${PROVENANCE_FORMAT})`, { file });
  const ok =
    typeof p.study?.sha256 === 'string' &&
    Array.isArray(p.sequences) &&
    Array.isArray(p.rois) &&
    Array.isArray(p.subjects) &&
    Array.isArray(p.columns) &&
    Array.isArray(p.tasks) &&
    typeof p.inputs === 'object' &&
    p.inputs !== null &&
    typeof p.engine?.version === 'string';
  if (!ok) throw new RgsError(`${file}: incomplete provenance (a field is missing or has the wrong type)`, { file });
  return p as RunProvenance;
}
