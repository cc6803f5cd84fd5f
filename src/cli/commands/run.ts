/** `rgs run <study.yaml>`: the features of a whole cohort (or one shard of it). */
import { dirname, join, resolve } from 'node:path';
import { UsageError } from '../usage-error';
import { parseCommandArgs } from '../parse-command-args';
import { formatProblem, loadStudy } from '../../engine/study/load';
import { RunInterrupted, defaultJobs, runStudy } from '../../engine/run/runner';
import { parseShard, type Shard } from '../../engine/run/shard';
import { analyseStudy } from './analyse';
import { hasAnalysis } from '../../engine/study/load';
import { progressSink, type ProgressMode } from '../../engine/run/progress';

export const RUN_HELP = `Usage: rgs run <study.yaml> [options]

Extracts the IBSI features of every subject x sequence of a study: each task reads a sequence's
image and the subject's mask once and extracts all the study's ROIs, in parallel worker
threads, through a content-addressed cache. Outputs (written together, atomically, only when
every task has ended; an interrupted run leaves the previous ones as they were):
  features.csv, features.parquet   one row per subject (sorted by id): subject_id, then
                                   <sequence>.<roi>.<feature> columns; empty/null = undefined
  status.csv                       subject_id, sequence, status (ok|error|cached), message, seconds
  provenance.json                  versions, study and input SHA-256, settings, IBSI
                                   diagnostics per subject/sequence/ROI, times, workers, shard

A failed task (missing or unreadable file, grid mismatch, ...) is recorded in status.csv and
the run carries on; an ROI absent from one subject's mask fails only that ROI (its cells stay
empty, the task's message names it).

Options:
  --out DIR          output folder (default: <study folder>/results/<study id>/)
  --jobs N           worker threads (default: the number of CPU cores)
  --fail-fast        stop at the first failed task: workers stopped, nothing written, exit 1
  --shard i/N        run the i-th of N round-robin shares of the subjects sorted by id (i from
                     1); merge the N outputs with \`rgs merge\`
  --cache DIR        feature cache (default: <study folder>/.rgs-cache)
  --no-cache         compute every task; read and store nothing
  --progress MODE    auto (a bar on a terminal, JSON lines otherwise), bar, json or none;
                     on standard error. JSON events: warning, start, task-done, end
                     (see src/engine/run/progress.ts)

Exit codes: 0 outputs written (even if some tasks failed: see status.csv), 1 bad input or
--fail-fast stopped the run, 2 wrong usage, 130 interrupted (SIGINT), 143 terminated (SIGTERM).
`;

const PROGRESS_MODES: readonly ProgressMode[] = ['auto', 'bar', 'json', 'none'];

export async function runRun(argv: string[]): Promise<void> {
  const parsed = parseCommandArgs('run', argv, {
    out: { type: 'string' },
    jobs: { type: 'string' },
    'fail-fast': { type: 'boolean' },
    shard: { type: 'string' },
    cache: { type: 'string' },
    'no-cache': { type: 'boolean' },
    progress: { type: 'string' },
  });
  const { values, positionals } = parsed;
  if (positionals.length !== 1) throw new UsageError(`run needs one study file, got ${positionals.length} argument(s) (see rgs help run)`);
  if (values.cache !== undefined && values['no-cache']) throw new UsageError('run: give --cache or --no-cache, not both');
  let jobs = defaultJobs();
  if (values.jobs !== undefined) {
    jobs = Number(values.jobs);
    if (!/^\d+$/.test(values.jobs) || !Number.isSafeInteger(jobs) || jobs < 1) throw new UsageError(`run: --jobs must be a whole number >= 1, got \`${values.jobs}\``);
  }
  const mode = (values.progress ?? 'auto') as ProgressMode;
  if (!PROGRESS_MODES.includes(mode)) throw new UsageError(`run: --progress must be one of ${PROGRESS_MODES.join(', ')}, got \`${values.progress}\``);
  let shard: Shard | null = null;
  if (values.shard !== undefined) {
    try {
      shard = parseShard(values.shard);
    } catch (err) {
      throw new UsageError(`run: ${(err as Error).message}`);
    }
  }

  const progress = progressSink(mode, process.stderr);
  const study = loadStudy(resolve(positionals[0]), {
    // A subject whose files are missing or unreadable fails in status.csv; the cohort carries on.
    subjectFileSeverity: 'warning',
    onWarning: (p) => (mode === 'none' ? undefined : progress.event({ event: 'warning', message: formatProblem(p) })),
  });
  const studyDir = dirname(study.file);
  const outDir = resolve(values.out ?? join(studyDir, 'results', study.info.id));
  const cacheDir = values['no-cache'] ? null : resolve(values.cache ?? join(studyDir, '.rgs-cache'));

  const controller = new AbortController();
  let signalCode = 0;
  const onSignal = (code: number) => () => {
    signalCode = code;
    controller.abort();
  };
  const onInt = onSignal(130);
  const onTerm = onSignal(143);
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  try {
    const summary = await runStudy(study, { outDir, jobs, failFast: values['fail-fast'] === true, shard, cacheDir, signal: controller.signal, progress });
    if (mode === 'none' && summary.errors > 0) {
      process.stderr.write(`rgs: ${summary.errors} of ${summary.total} tasks failed (see ${join(outDir, 'status.csv')})\n`);
    }
    // From features to validated models: a shard holds only part of the cohort, so its analysis
    // waits for `rgs merge` and `rgs analyse`.
    if (shard === null && hasAnalysis(study.analysis)) analyseStudy(study, join(outDir, 'features.csv'));
  } catch (err) {
    if (err instanceof RunInterrupted) {
      process.stderr.write(`rgs: ${signalCode === 143 ? 'terminated' : 'interrupted'}; no output written\n`);
      process.exit(signalCode || 130);
    }
    throw err;
  } finally {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
  }
}
