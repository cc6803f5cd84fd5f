/**
 * The cohort runner behind `rgs run`: every subject x sequence of a study (or of one shard of
 * it), in parallel worker threads, through the content-addressed cache, into atomically written
 * outputs (outputs.ts).
 *
 * Order of work: the main thread stats every input; a task whose files all have a known hash
 * (hash index) and whose key is in the cache is answered at once. The rest go to the workers,
 * largest image first, at most `jobs` at a time; a worker hashes what the index could not
 * vouch for, checks the cache again, else extracts and stores the result.
 *
 * Failures: a task that fails (missing file, unreadable NIfTI, grid mismatch, ...) becomes an
 * `error` row of status.csv and the run carries on. An ROI that fails inside a task whose image
 * and mask were read (e.g. a label absent from that subject's mask, an ROI left with < 2 voxels)
 * fails only that ROI: its cells are empty, the task stays `ok` (or `cached`) and its message
 * names the ROI and the reason; the task is an `error` only when no ROI could be extracted.
 * A glioma without an enhancing part thus still contributes its other ROIs. With `failFast`
 * the first `error` task stops every worker and nothing is written.
 *
 * Nothing is written before every task has ended: an interrupted run (signal, SIGKILL) leaves
 * the previous outputs as they were. Cache entries written so far are kept, so a re-run
 * resumes where the interrupted one stopped.
 */
import { availableParallelism } from 'node:os';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Study } from '../study/types';
import { RgsError } from '../util/errors';
import { ENGINE_VERSION } from '../version';
import { settingsToJson } from '../settings/serialise';
import { cacheKey, readCache } from './cache';
import { executeTask, type TaskReply, type TaskRequest } from './execute';
import { HashIndex, hashFile, identityOf, type FileIdentity } from './hashing';
import {
  FEATURES_CSV,
  FEATURES_PARQUET,
  PROVENANCE_JSON,
  STATUS_CSV,
  buildCohortTable,
  featuresCsv,
  statusCsv,
  writeOutputFiles,
  type CohortTable,
  type StatusRow,
} from './outputs';
import { featuresParquet } from './parquet';
import type { ProgressSink, RunEvent } from './progress';
import { PROVENANCE_FORMAT, provenanceJson, type ProvenanceTask, type RunProvenance } from './provenance';
import { formatShard, selectShare, type Shard } from './shard';
import { buildTasks, oneLine, roiErrorsMessage, type RunTask, type TaskRecord } from './tasks';
import { WorkerPool } from './pool';

export interface RunOptions {
  /** Output folder (created if needed). */
  outDir: string;
  /** Worker threads (>= 1); 0 runs the tasks in this thread, one at a time (tests, debugging). */
  jobs: number;
  failFast?: boolean;
  shard?: Shard | null;
  /** Cache folder; null = no cache (everything computed, nothing stored). */
  cacheDir?: string | null;
  /** Aborting stops the workers and rejects with RunInterrupted; nothing is written. */
  signal?: AbortSignal;
  progress?: ProgressSink;
  /** The bundled worker; default: worker.js next to the running bundle (dist/). */
  workerScript?: string;
}

export interface RunSummary {
  outDir: string;
  total: number;
  ok: number;
  cached: number;
  errors: number;
  records: TaskRecord[];
}

/** The run was stopped by a signal; no output was written. */
export class RunInterrupted extends Error {
  constructor() {
    super('interrupted; no output written');
    this.name = 'RunInterrupted';
  }
}

export function defaultJobs(): number {
  return availableParallelism();
}

export function defaultWorkerScript(): string {
  return join(__dirname, 'worker.js');
}

interface Pending {
  index: number;
  task: RunTask;
  size: number;
}

/** Stat a task's files; throws an RgsError naming the missing/odd one. */
function statInputs(task: RunTask, line: number): Map<string, FileIdentity> {
  const ids = new Map<string, FileIdentity>();
  const what = (path: string) =>
    path === task.imagePath ? `the ${task.sequence} image of ${task.subject}` : path === task.maskPath ? `the mask of ${task.subject}` : 'a file the settings name';
  for (const path of [task.imagePath, task.maskPath, ...task.extraFiles]) {
    let st;
    try {
      st = statSync(path);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'file not found' : `cannot read the file (${code ?? String(err)})`;
      throw new RgsError(`${path}: ${why} (${what(path)}, manifest line ${line})`, { file: path });
    }
    if (!st.isFile()) throw new RgsError(`${path}: not a file (${what(path)}, manifest line ${line})`, { file: path });
    ids.set(path, identityOf(st));
  }
  return ids;
}

function statusOf(reply: TaskReply): { status: TaskRecord['status']; message: string } {
  if (!reply.ok) return { status: 'error', message: reply.message };
  const message = roiErrorsMessage(reply.outcome.roiErrors);
  if (reply.outcome.rois.length === 0) return { status: 'error', message: message || 'the study defines no ROI' };
  return { status: reply.cached ? 'cached' : 'ok', message };
}

export async function runStudy(study: Study, opts: RunOptions): Promise<RunSummary> {
  const startedAt = new Date();
  const t0 = performance.now();
  const shard = opts.shard ?? null;
  const cacheDir = opts.cacheDir ?? null;
  const jobs = opts.jobs;
  if (!Number.isInteger(jobs) || jobs < 0) throw new RgsError(`--jobs must be a whole number >= 1, got ${jobs}`, { field: 'jobs' });
  const emit = (e: RunEvent) => opts.progress?.event(e);

  const subjects = selectShare(study.subjects, shard);
  const lineOf = new Map(subjects.map((s) => [s.id, s.line]));
  const tasks = buildTasks(study, subjects);
  const index = cacheDir !== null ? HashIndex.load(cacheDir) : HashIndex.inMemory();
  const records: (TaskRecord | undefined)[] = new Array<TaskRecord | undefined>(tasks.length);
  const inputs = new Map<string, string>();
  const counts = { done: 0, ok: 0, cached: 0, errors: 0 };
  let firstFailure: TaskRecord | null = null;

  emit({
    event: 'start',
    study: study.info.id,
    subjects: subjects.length,
    sequences: study.sequences.map((s) => s.name),
    total: tasks.length,
    jobs,
    shard: shard !== null ? formatShard(shard) : null,
    out: opts.outDir,
    cache: cacheDir,
  });

  const finishTask = (i: number, rec: TaskRecord) => {
    records[i] = rec;
    counts.done++;
    if (rec.status === 'error') counts.errors++;
    else if (rec.status === 'cached') counts.cached++;
    else counts.ok++;
    if (rec.status === 'error' && firstFailure === null) firstFailure = rec;
    emit({
      event: 'task-done',
      subject: rec.subject,
      sequence: rec.sequence,
      status: rec.status,
      cached: rec.status === 'cached',
      seconds: Math.round(rec.seconds * 1000) / 1000,
      done: counts.done,
      total: tasks.length,
      ...(rec.message !== '' ? { message: rec.message } : {}),
    });
  };

  const endEvent = (outcome: 'written' | 'failed-fast' | 'interrupted') =>
    emit({
      event: 'end',
      outcome,
      done: counts.done,
      total: tasks.length,
      ok: counts.ok,
      cached: counts.cached,
      errors: counts.errors,
      seconds: Math.round(performance.now() - t0) / 1000,
      out: outcome === 'written' ? opts.outDir : null,
    });

  const failFastError = (rec: TaskRecord) =>
    new RgsError(`stopped at the first failure (--fail-fast): ${rec.subject} ${rec.sequence}: ${rec.message}; no output written`);

  // 1. Main thread: stat, known hashes, cache hits.
  const pending: Pending[] = [];
  const identities = new Map<string, FileIdentity>();
  tasks.forEach((task, i) => {
    const ts = performance.now();
    const base = { subject: task.subject, sequence: task.sequence };
    try {
      if (task.imagePath === undefined || task.imagePath === '') {
        throw new RgsError(`no ${task.sequence} image for ${task.subject} in the manifest (line ${lineOf.get(task.subject)})`);
      }
      const ids = statInputs(task, lineOf.get(task.subject) ?? 0);
      for (const [p, id] of ids) identities.set(p, id);
      let size = 0;
      const known: string[] = [];
      for (const [p, id] of ids) {
        const sha = index.lookup(p, id);
        if (sha !== undefined) {
          known.push(sha);
          inputs.set(p, sha);
        }
        if (p === task.imagePath) size = id.size;
      }
      if (cacheDir !== null && known.length === ids.size) {
        const sha = (p: string) => inputs.get(p) as string;
        const key = cacheKey(task, { imageSha256: sha(task.imagePath), maskSha256: sha(task.maskPath), extraSha256: task.extraFiles.map(sha) });
        const hit = readCache(cacheDir, key);
        if (hit !== null && hit.rois.length > 0) {
          finishTask(i, { ...base, status: 'cached', message: roiErrorsMessage(hit.roiErrors), seconds: (performance.now() - ts) / 1000, cacheKey: key, outcome: hit });
          return;
        }
      }
      pending.push({ index: i, task, size });
    } catch (err) {
      if (!(err instanceof RgsError)) throw err;
      finishTask(i, { ...base, status: 'error', message: oneLine(err.message), seconds: (performance.now() - ts) / 1000, cacheKey: null, outcome: null });
    }
  });
  if (opts.failFast && firstFailure !== null) {
    endEvent('failed-fast');
    throw failFastError(firstFailure);
  }

  // 2. Workers: largest images first.
  pending.sort((a, b) => b.size - a.size || a.index - b.index);
  const width = Math.max(1, Math.min(jobs, pending.length));
  const pool = jobs > 0 && pending.length > 0 ? new WorkerPool(opts.workerScript ?? defaultWorkerScript(), width) : null;
  const exec = (req: TaskRequest): Promise<TaskReply> =>
    pool !== null ? pool.run(req) : new Promise((resolve) => setImmediate(() => resolve(executeTask(req))));

  let stop: 'failed-fast' | 'interrupted' | null = null;
  try {
    await new Promise<void>((resolve, reject) => {
      let next = 0;
      let inFlight = 0;
      let settled = false;
      const settle = (err?: Error) => {
        if (settled) return;
        settled = true;
        opts.signal?.removeEventListener('abort', onAbort);
        if (err) reject(err);
        else resolve();
      };
      const onAbort = () => {
        stop = 'interrupted';
        settle(new RunInterrupted());
      };
      if (opts.signal?.aborted) return onAbort();
      opts.signal?.addEventListener('abort', onAbort);
      const pump = () => {
        while (!settled && inFlight < width && next < pending.length) {
          const p = pending[next++];
          inFlight++;
          // Hashes learnt from earlier replies (e.g. the mask shared by a subject's sequences).
          const known: Record<string, string> = {};
          for (const path of [p.task.imagePath, p.task.maskPath, ...p.task.extraFiles]) {
            const id = identities.get(path);
            const sha = id ? index.lookup(path, id) : undefined;
            if (sha !== undefined) known[path] = sha;
          }
          exec({ id: p.index, task: p.task, known, cacheDir }).then(
            (reply) => {
              inFlight--;
              if (settled) return;
              for (const h of reply.hashed) {
                index.record(h);
                inputs.set(h.path, h.sha256);
              }
              const { status, message } = statusOf(reply);
              finishTask(p.index, {
                subject: p.task.subject,
                sequence: p.task.sequence,
                status,
                message,
                seconds: reply.seconds,
                cacheKey: reply.key,
                outcome: reply.ok ? reply.outcome : null,
              });
              if (status === 'error' && opts.failFast) {
                stop = 'failed-fast';
                settle(failFastError(records[p.index] as TaskRecord));
                return;
              }
              pump();
            },
            (err: unknown) => {
              inFlight--;
              settle(err instanceof Error ? err : new Error(String(err)));
            },
          );
        }
        if (!settled && inFlight === 0 && next >= pending.length) settle();
      };
      pump();
    });
  } catch (err) {
    if (stop !== null) endEvent(stop);
    throw err;
  } finally {
    await pool?.destroy();
    try {
      index.save();
    } catch {
      // The index is an optimisation; failing to save it costs a re-hash next time.
    }
  }
  if (opts.signal?.aborted) {
    endEvent('interrupted');
    throw new RunInterrupted();
  }

  // 3. Outputs, all at once.
  const done = records as TaskRecord[];
  for (const path of [study.file]) if (!inputs.has(path)) inputs.set(path, study.sha256);
  const sequences = study.sequences.map((s) => s.name);
  const rois = study.rois.map((r) => r.name);
  const table = buildCohortTable(
    subjects.map((s) => s.id),
    sequences,
    rois,
    done,
  );
  const provenance: RunProvenance = {
    format: PROVENANCE_FORMAT,
    engine: { name: 'radiogenomics-studio', version: ENGINE_VERSION },
    node: process.version,
    study: {
      id: study.info.id,
      title: study.info.title,
      file: study.file,
      sha256: study.sha256,
      manifest: { file: study.manifestFile, sha256: manifestSha(study.manifestFile) },
    },
    sequences: study.sequences.map((s) => ({ name: s.name, column: s.column, settings: settingsToJson(s.settings), overrides: s.overrides })),
    rois: study.rois.map((r) => ({ name: r.name, labels: [...r.labels] })),
    subjects: table.subjects,
    shard: shard !== null ? { index: shard.index, count: shard.count } : null,
    jobs,
    cache: cacheDir,
    started: startedAt.toISOString(),
    ended: new Date().toISOString(),
    columns: table.groups,
    inputs: sortedRecord(inputs),
    tasks: provenanceTasks(tasks, done),
  };
  await writeRunOutputs(opts.outDir, table, statusRows(done), sequences, provenance);
  endEvent('written');
  return { outDir: opts.outDir, total: tasks.length, ok: counts.ok, cached: counts.cached, errors: counts.errors, records: done };
}

function manifestSha(file: string): string | null {
  try {
    return hashFile(file).sha256;
  } catch {
    return null;
  }
}

function sortedRecord(m: Map<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of [...m.keys()].sort()) out[k] = m.get(k) as string;
  return out;
}

function statusRows(records: readonly TaskRecord[]): StatusRow[] {
  return records.map((r) => ({ subject: r.subject, sequence: r.sequence, status: r.status, message: r.message, seconds: r.seconds }));
}

function provenanceTasks(tasks: readonly RunTask[], records: readonly TaskRecord[]): ProvenanceTask[] {
  return records.map((r, i) => ({
    subject: r.subject,
    sequence: r.sequence,
    status: r.status,
    message: r.message,
    seconds: Math.round(r.seconds * 1000) / 1000,
    cache_key: r.cacheKey,
    image: tasks[i].imagePath ?? '',
    mask: tasks[i].maskPath,
    rois: r.outcome?.rois.map((x) => ({ roi: x.roi, diagnostics: x.diagnostics })) ?? [],
    roi_errors: r.outcome?.roiErrors ?? [],
  }));
}

/** Render and write the four outputs (shared with `rgs merge`). */
export async function writeRunOutputs(
  outDir: string,
  table: CohortTable,
  status: readonly StatusRow[],
  sequences: readonly string[],
  provenance: RunProvenance,
): Promise<void> {
  const parquet = await featuresParquet(table);
  writeOutputFiles(outDir, [
    [FEATURES_CSV, featuresCsv(table)],
    [FEATURES_PARQUET, parquet],
    [STATUS_CSV, statusCsv(status, sequences)],
    [PROVENANCE_JSON, provenanceJson(provenance)],
  ]);
}
