/**
 * The extension benchmark's part inside VS Code's extension host (loaded as extensionTestsPath
 * through code-server's `payload`, like test/vscode/suite/index.ts): it exports run(), which
 *
 * 1. opens the subject view on four 240x240x155 volumes and their mask with
 *    `radiogenomics.openSubject`, once untimed (warm-up) and then `runs` times, each time a new
 *    panel; before each opening it asks the runner to watch the page for its first frame (the
 *    runner answers with the page's own timestamps and a pixel check);
 * 2. measures this extension host's event loop (perf_hooks.monitorEventLoopDelay, plus a 2 ms
 *    timer that records when and how long the loop stalled) first while idle, then while the
 *    Radiogenomics kernel runs a .rgnb notebook over the demo cohort (cohort cell, then
 *    preprocessing + features cell: the whole extraction);
 *
 * and writes what it measured to config.resultFile. Bundled by bench/extension.mjs.
 */
import { ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';
import { PerformanceObserver, monitorEventLoopDelay, performance, type IntervalHistogram, type PerformanceEntry } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { RadiogenomicsStudioApi } from '../../src/extension/extension';
import type { WebviewReport } from '../../src/extension/webview-tracker';
import {
  BENCH_CONFIG_FILE,
  type BenchConfig,
  type DelayStats,
  type EventLoopOutput,
  type GcPause,
  type HostSpawn,
  type Stall,
  type SubjectRun,
  type SuiteOutput,
  type WatchRequest,
  type WatchResponse,
} from './protocol';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, get: () => T | undefined, timeoutMs: number, everyMs = 20): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = get();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

function readJson<T>(file: string): T | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

// ---- subject view ------------------------------------------------------------------------------

const CANVASES = ['#gl-0', '#gl-1', '#gl-2', '#gl-3'];
const DONE: WebviewReport['status'][] = ['loaded', 'error', 'refused'];

async function openOnce(config: BenchConfig, api: RadiogenomicsStudioApi, run: number, warmUp: boolean): Promise<{ run: SubjectRun; renderer: string | null }> {
  const name = warmUp ? 'subject-warm-up' : `subject-${run}`;
  const title = `GLIOMA-1 (${warmUp ? 'warm-up' : `run ${run}`})`;
  const requests = join(config.exchangeDir, 'requests');
  const responses = join(config.exchangeDir, 'responses');
  mkdirSync(requests, { recursive: true });
  const request: WatchRequest = { name, title, canvases: CANVASES };
  writeAtomic(join(requests, `${name}.json`), JSON.stringify(request));
  await until(`the runner to watch ${name}`, () => (existsSync(join(responses, `${name}.armed`)) ? true : undefined), 60_000);

  let pageReadyAt: number | null = null;
  let pageWrittenAt: number | null = null;
  let hostLoadedAt: number | null = null;
  let final: WebviewReport | null = null;
  const sub = api.onDidChangeWebview((r) => {
    if (r.kind !== 'subject' || r.resource !== title) return;
    if (r.pageWrittenAt !== undefined && pageWrittenAt === null) pageWrittenAt = r.pageWrittenAt;
    if (r.status === 'ready' && pageReadyAt === null) pageReadyAt = Date.now();
    if (DONE.includes(r.status) && final === null) {
      hostLoadedAt = Date.now();
      final = r;
    }
  });
  const commandAt = Date.now();
  try {
    await vscode.commands.executeCommand('radiogenomics.openSubject', {
      title,
      images: config.subject.images,
      mask: config.subject.mask,
      labels: config.subject.labels,
    });
    const commandReturnedAt = Date.now();
    const report = await until(`the subject view ${title} to load`, () => final ?? undefined, 180_000);
    const watched = await until(`the runner's answer for ${name}`, () => readJson<WatchResponse>(join(responses, `${name}.json`)), 120_000, 50);
    const rel = (t: number | null) => (t === null ? null : t - commandAt);
    const fetches = watched.timing?.fetches ?? [];
    const pixels = Object.values(watched.pixels);
    const maskVisible = pixels.length === CANVASES.length && pixels.every((c) => c !== null && c.grey > 0 && c.red > 20 && c.green > 20 && c.yellow > 20);
    return {
      run: {
        run,
        warmUp,
        commandAt,
        commandReturnedMs: commandReturnedAt - commandAt,
        pageWrittenMs: rel(pageWrittenAt),
        navigationMs: watched.timing?.navigationAt != null ? Math.round(watched.timing.navigationAt - commandAt) : null,
        bundleFetchedMs: watched.timing?.bundle ? Math.round(watched.timing.bundle.end - commandAt) : null,
        marks: Object.fromEntries((watched.timing?.marks ?? []).map((m) => [m.name, Math.round(m.at - commandAt)])),
        pageReadyMs: rel(pageReadyAt),
        fetchStartMs: fetches.length > 0 ? Math.round(Math.min(...fetches.map((f) => f.start)) - commandAt) : null,
        fetchedMs: fetches.length > 0 ? Math.round(Math.max(...fetches.map((f) => f.end)) - commandAt) : null,
        hostLoadedMs: rel(hostLoadedAt),
        pageLoadedMs: watched.timing?.loadedAt != null ? Math.round(watched.timing.loadedAt - commandAt) : null,
        firstFrameMs: watched.timing?.frameAt != null ? Math.round(watched.timing.frameAt - commandAt) : null,
        pixelsConfirmedMs: rel(watched.pixelsConfirmedAt),
        maskVisible,
        status: report.status,
        message: report.message ?? watched.error ?? null,
      },
      renderer: watched.renderer,
    };
  } finally {
    sub.dispose();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  }
}

// ---- event loop --------------------------------------------------------------------------------

function stats(h: IntervalHistogram): DelayStats {
  const ms = (ns: number) => +(ns / 1e6).toFixed(2);
  return {
    min: ms(h.min),
    max: ms(h.max),
    mean: ms(h.mean),
    stddev: ms(h.stddev),
    p50: ms(h.percentile(50)),
    p99: ms(h.percentile(99)),
    count: h.count,
  };
}

/** The main thread's scheduler statistics (ns on a core, ns runnable and waiting for one) and the
 *  machine's steal time (ms over all cores), read every 2 ms on the thread being measured: the two
 *  /proc files are opened once and only their first bytes re-read. null where /proc lacks them. */
function schedReader(): { sample(): { cpuNs: number; waitNs: number; stealMs: number } | null; close(): void } {
  const fds: number[] = [];
  try {
    for (const file of [`/proc/self/task/${process.pid}/schedstat`, '/proc/stat']) fds.push(openSync(file, 'r'));
  } catch {
    for (const fd of fds) closeSync(fd);
    return { sample: () => null, close: () => undefined };
  }
  const buf = Buffer.alloc(256);
  const firstLine = (fd: number) => {
    const n = readSync(fd, buf, 0, buf.length, 0);
    const text = buf.toString('latin1', 0, n);
    const end = text.indexOf('\n');
    return (end < 0 ? text : text.slice(0, end)).trim().split(/\s+/).map(Number);
  };
  const hz = 100; // USER_HZ: /proc/stat counts ticks of 10 ms on Linux
  return {
    sample() {
      const [cpuNs, waitNs] = firstLine(fds[0]);
      // "cpu  user nice system idle iowait irq softirq steal ...": the label reads as NaN.
      const stat = firstLine(fds[1]);
      return { cpuNs, waitNs, stealMs: (stat[8] * 1000) / hz };
    },
    close() {
      for (const fd of fds) closeSync(fd);
    },
  };
}

/**
 * Every child process started in this extension host while it runs, by any extension or by VS
 * Code itself (code-server's port scan starts a shell every few seconds): when, how long the
 * synchronous spawn call held the thread (libuv forks and waits until the child has exec'd, so a
 * child that waits for a core stalls the event loop), and its command. child_process's spawn,
 * exec, execFile and fork all go through ChildProcess.prototype.spawn; spawnSync does not and is
 * not counted.
 */
function spawnRecorder(t0: number): { stop(): HostSpawn[] } {
  type SpawnOptions = { file?: string; args?: string[] };
  const proto = ChildProcess.prototype as unknown as { spawn(this: ChildProcess, options: SpawnOptions): unknown };
  const original = proto.spawn;
  const spawns: HostSpawn[] = [];
  proto.spawn = function (this: ChildProcess, options: SpawnOptions) {
    const start = performance.now();
    try {
      return original.call(this, options);
    } finally {
      const command = (options?.args && options.args.length > 0 ? options.args : [options?.file ?? '?']).join(' ');
      spawns.push({ atS: +((start - t0) / 1000).toFixed(3), ms: +(performance.now() - start).toFixed(1), command: command.slice(0, 100) });
    }
  };
  return {
    stop() {
      proto.spawn = original;
      return spawns;
    },
  };
}

/** A 2 ms timer noting every turn of the loop that came more than 10 ms late: when, by how much,
 *  and how much of the interval the loop spent running callbacks (eventLoopUtilization), with the
 *  scheduler's account of the main thread meanwhile (schedReader); and the main thread's
 *  garbage-collection pauses over 10 ms. */
function stallSampler(): { stop(): { stalls: Stall[]; gc: GcPause[] } } {
  const period = 2;
  const t0 = performance.now();
  let last = t0;
  let elu = performance.eventLoopUtilization();
  const reader = schedReader();
  let sched = reader.sample();
  const stalls: Stall[] = [];
  const gc: GcPause[] = [];
  const timer = setInterval(() => {
    const now = performance.now();
    const late = now - last - period;
    const next = performance.eventLoopUtilization();
    const nextSched = reader.sample();
    if (late > 10) {
      const d = performance.eventLoopUtilization(next, elu);
      const delta = sched && nextSched ? { cpuMs: +((nextSched.cpuNs - sched.cpuNs) / 1e6).toFixed(1), runQueueMs: +((nextSched.waitNs - sched.waitNs) / 1e6).toFixed(1), stealMs: nextSched.stealMs - sched.stealMs } : { cpuMs: null, runQueueMs: null, stealMs: null };
      stalls.push({ atS: +((last - t0) / 1000).toFixed(2), ms: +late.toFixed(1), activeMs: +d.active.toFixed(1), ...delta });
    }
    elu = next;
    sched = nextSched;
    last = now;
  }, period);
  const gcKinds: Record<number, string> = { 1: 'minor', 2: 'major', 4: 'incremental', 8: 'weak callbacks' };
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (e.duration <= 10) continue;
      const kind = (e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
      gc.push({ atS: +((e.startTime - t0) / 1000).toFixed(2), ms: +e.duration.toFixed(1), kind: kind !== undefined ? (gcKinds[kind] ?? String(kind)) : '?' });
    }
  });
  obs.observe({ entryTypes: ['gc'] });
  return {
    stop() {
      clearInterval(timer);
      reader.close();
      obs.disconnect();
      return { stalls, gc };
    },
  };
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber?: number }; children?: number[] }[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** The inspector's sampling profiler on this thread (a diagnostic: it slows the thread down). */
async function startProfile(): Promise<{ stop(): Promise<CpuProfile>; t0Us: number; nowAtT0: number }> {
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) => session.post(method, params ?? {}, (err, res) => (err ? reject(err) : resolve(res))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 500 });
  await post('Profiler.start');
  // The profile's clock (microseconds, monotonic, as process.hrtime) against performance.now().
  const t0Us = Number(process.hrtime.bigint() / 1000n);
  const nowAtT0 = performance.now();
  return {
    t0Us,
    nowAtT0,
    async stop() {
      const r = (await post('Profiler.stop')) as { profile: CpuProfile };
      session.disconnect();
      return r.profile;
    },
  };
}

/** Self time (ms) per function of the samples inside the windows [startUs, startUs + lengthUs). */
function selfTimeIn(profile: CpuProfile, windows: [number, number][]): { fn: string; ms: number }[] {
  const names = new Map(profile.nodes.map((n) => [n.id, `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').slice(-2).join('/')}:${n.callFrame.lineNumber + 1}`]));
  const total = new Map<string, number>();
  let t = profile.startTime;
  profile.samples.forEach((id, i) => {
    t += profile.timeDeltas[i] ?? 0;
    if (!windows.some(([s, len]) => t >= s && t < s + len)) return;
    const n = names.get(id) ?? '?';
    total.set(n, (total.get(n) ?? 0) + (profile.timeDeltas[i + 1] ?? 0) / 1000);
  });
  return [...total].map(([fn, ms]) => ({ fn, ms: +ms.toFixed(1) })).sort((a, b) => b.ms - a.ms).slice(0, 20);
}

type Frame = CpuProfile['nodes'][number]['callFrame'];
const frameName = (f: Frame) => `${f.functionName || '(anonymous)'} ${f.url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}:${(f.columnNumber ?? 0) + 1}`;

/** What one sample shows the thread doing, as a kind: ours (the extension's bundles), the bench
 *  suite, code-server's port scan (it execs `ls -l /proc/<pid>/fd/<n> | grep socket:` every few
 *  seconds) and other child-process spawns, zlib (the remote protocol's websocket compression),
 *  garbage collection, idle (in the event loop's poll), or the code-server/VS Code frame on top. */
function sampleKind(stack: Frame[]): string {
  const leaf = stack[0];
  if (leaf === undefined) return '?';
  if (leaf.functionName === '(idle)') return 'idle (in the poll: waiting for events or for a core)';
  if (leaf.functionName === '(garbage collector)') return 'garbage collector';
  const ours = stack.find((f) => /\/dist\/[^/]+\.js$/.test(f.url) && !f.url.includes('/code-server/'));
  if (ours !== undefined) return `ours: ${frameName(ours)} (leaf ${frameName(leaf)})`;
  if (stack.some((f) => /suite\.js$/.test(f.url))) return `bench suite: ${frameName(leaf)}`;
  const spawn = stack.findIndex((f) => f.functionName === 'spawn' && f.url.includes('child_process'));
  if (spawn >= 0 || leaf.functionName === 'spawn') {
    const caller = stack.find((f) => f.url.includes('extensionHostProcess') || f.url.includes('/extensions/'));
    return `child_process spawn from ${caller ? frameName(caller) : 'node'} (code-server's port scan runs exec from extensionHostProcess.js)`;
  }
  if (stack.some((f) => f.url === 'node:zlib')) return 'zlib (the remote connection\'s websocket compression)';
  if (leaf.functionName === '(program)') return '(program): native code outside JavaScript';
  const vs = stack.find((f) => f.url.includes('code-server') || f.url.includes('extensionHost'));
  return `code-server/VS Code: ${frameName(vs ?? leaf)}${vs && vs !== leaf ? ` (leaf ${frameName(leaf)})` : ''}`;
}

/** Per window [startUs, startUs + lengthUs): the profile's samples by kind (ms). */
function attributeWindows(profile: CpuProfile, windows: [number, number][]): { what: string; ms: number }[][] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const kinds = new Map<number, string>();
  const kindOf = (id: number) => {
    let k = kinds.get(id);
    if (k === undefined) {
      const stack: Frame[] = [];
      for (let c: number | undefined = id; c !== undefined; c = parent.get(c)) {
        const n = byId.get(c);
        if (n !== undefined && n.callFrame.functionName !== '(root)') stack.push(n.callFrame);
      }
      k = sampleKind(stack);
      kinds.set(id, k);
    }
    return k;
  };
  const out = windows.map(() => new Map<string, number>());
  let t = profile.startTime;
  profile.samples.forEach((id, i) => {
    t += profile.timeDeltas[i] ?? 0;
    const w = windows.findIndex(([s, len]) => t >= s && t < s + len);
    if (w < 0) return;
    const k = kindOf(id);
    const m = out[w];
    m.set(k, (m.get(k) ?? 0) + (profile.timeDeltas[i + 1] ?? 0) / 1000);
  });
  return out.map((m) => [...m].map(([what, ms]) => ({ what, ms: +ms.toFixed(1) })).sort((a, b) => b.ms - a.ms).slice(0, 5));
}

/** This process's threads by nice value (Linux: /proc/self/task/<tid>/stat, field 19). */
function threadNices(): { nice: number; threads: number }[] {
  const count = new Map<number, number>();
  try {
    for (const tid of readdirSync('/proc/self/task')) {
      try {
        const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
        const nice = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19 - 3]);
        count.set(nice, (count.get(nice) ?? 0) + 1);
      } catch {
        // The thread ended meanwhile.
      }
    }
  } catch {
    return [];
  }
  return [...count].map(([nice, threads]) => ({ nice, threads })).sort((a, b) => a.nice - b.nice);
}

function textOf(cell: vscode.NotebookCell, mime: string): string {
  const item = cell.outputs.flatMap((o) => o.items).find((i) => i.mime === mime);
  return item ? new TextDecoder().decode(item.data) : '';
}

async function eventLoop(config: BenchConfig, notebook: string, profile: boolean): Promise<EventLoopOutput> {
  const e = config.eventLoop;
  const idle = monitorEventLoopDelay({ resolution: e.resolutionMs });
  idle.enable();
  await sleep(e.idleSeconds * 1000);
  idle.disable();

  const nb = await vscode.workspace.openNotebookDocument(vscode.Uri.file(notebook));
  await vscode.window.showNotebookDocument(nb);
  await vscode.commands.executeCommand('notebook.selectKernel', { id: 'radiogenomics.kernel', extension: config.extensionId });
  const code = nb.getCells().filter((c) => c.kind === vscode.NotebookCellKind.Code);
  await sleep(2000);

  const profiler = profile && e.profileFile !== null ? await startProfile() : null;
  const mib = (b: number) => +(b / 2 ** 20).toFixed(0);
  const rss = { before: mib(process.memoryUsage.rss()), peak: 0 };
  const rssTimer = setInterval(() => (rss.peak = Math.max(rss.peak, mib(process.memoryUsage.rss()))), 1000);
  let nices: { nice: number; threads: number }[] = [];
  const niceTimer = setTimeout(() => (nices = threadNices()), 10_000);
  const h = monitorEventLoopDelay({ resolution: e.resolutionMs });
  const sampler = stallSampler();
  const spawnsFrom = spawnRecorder(performance.now());
  const startedAtEpochMs = Date.now();
  h.enable();
  const t0 = performance.now();
  let error: string | null = null;
  try {
    await vscode.commands.executeCommand('notebook.execute');
    await until('every code cell to finish', () => (code.every((c) => c.executionSummary?.success !== undefined) ? true : undefined), e.timeoutSeconds * 1000, 100);
  } catch (err) {
    error = errorText(err);
  }
  const runSeconds = (performance.now() - t0) / 1000;
  h.disable();
  clearInterval(rssTimer);
  clearTimeout(niceTimer);
  const { stalls: all, gc } = sampler.stop();
  const spawns = spawnsFrom.stop();
  const over50 = all.filter((x) => x.ms > 50);
  // A spawn call that overlaps a stall is named on it.
  for (const x of over50) {
    const inIt = spawns.filter((p) => p.atS + p.ms / 1000 >= x.atS && p.atS <= x.atS + (x.ms + 2) / 1000);
    if (inIt.length > 0) x.spawns = inIt;
  }
  let profileInStalls: { fn: string; ms: number }[] | null = null;
  if (profiler !== null && e.profileFile !== null) {
    const profile = await profiler.stop();
    writeFileSync(e.profileFile, JSON.stringify(profile));
    const windows = over50.map((x): [number, number] => [profiler.t0Us + (t0 + x.atS * 1000 - profiler.nowAtT0) * 1000, x.ms * 1000 + 2000]);
    profileInStalls = selfTimeIn(profile, windows);
    attributeWindows(profile, windows).forEach((a, i) => (over50[i].attribution = a));
  }

  const cells = code.map((c) => {
    const t = c.executionSummary?.timing;
    const plain = textOf(c, 'text/plain').split('\n')[0];
    const err = textOf(c, 'application/vnd.code.notebook.error');
    return {
      index: c.index,
      success: c.executionSummary?.success,
      seconds: t ? (t.endTime - t.startTime) / 1000 : null,
      summary: (err !== '' ? err : plain !== '' ? plain : textOf(c, 'text/markdown').split('\n').find((l) => l.includes('Subjects')) ?? '').slice(0, 300),
    };
  });
  const subjects = /\| Subjects \| (\d+)/.exec(textOf(code[0], 'text/markdown'));
  const tasks = /Extracted (\d+\/\d+) tasks/.exec(cells[cells.length - 1]?.summary ?? '');
  try {
    await nb.save();
  } catch {
    // Saving only avoids a "save changes?" prompt; closing follows either way.
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  return {
    startedAtEpochMs,
    resolutionMs: e.resolutionMs,
    idle: stats(idle),
    idleSeconds: e.idleSeconds,
    run: stats(h),
    runSeconds: +runSeconds.toFixed(1),
    stalls: [...all].sort((a, b) => b.ms - a.ms).slice(0, 15),
    stallsOver50List: over50,
    stallsOver50: all.filter((s) => s.ms > 50).length,
    stallsOver50Active: all.filter((s) => s.ms > 50 && s.activeMs > s.ms / 2).length,
    profileInStalls,
    gcPauses: [...gc].sort((a, b) => b.ms - a.ms).slice(0, 15),
    spawns: { count: spawns.length, longest: [...spawns].sort((a, b) => b.ms - a.ms).slice(0, 5) },
    rssMiB: rss,
    threadNices: nices,
    cells,
    subjects: subjects ? Number(subjects[1]) : null,
    tasks: tasks ? tasks[1] : null,
    error,
  };
}

export async function run(): Promise<void> {
  const config = JSON.parse(readFileSync(join(__dirname, BENCH_CONFIG_FILE), 'utf8')) as BenchConfig;
  const out: SuiteOutput = { subject: [], renderer: null, eventLoop: null, errors: [] };
  const save = () => writeAtomic(config.resultFile, JSON.stringify(out, null, 2));
  const ext = vscode.extensions.getExtension<RadiogenomicsStudioApi>(config.extensionId);
  if (!ext) throw new Error(`extension ${config.extensionId} is not installed`);
  const api = await ext.activate();
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');

  for (let i = 0; i <= (config.subject.skip ? -1 : config.subject.runs); i++) {
    try {
      const r = await openOnce(config, api, i, i === 0);
      out.subject.push(r.run);
      out.renderer ??= r.renderer;
      console.log(`subject view ${r.run.warmUp ? 'warm-up' : `run ${i}`}: first frame ${r.run.firstFrameMs} ms, host loaded ${r.run.hostLoadedMs} ms, mask visible ${r.run.maskVisible}`);
    } catch (e) {
      out.errors.push(`subject view run ${i}: ${errorText(e)}`);
    }
    save();
    await sleep(1500);
  }

  if (!config.eventLoop.skip) {
    out.eventLoopRuns = [];
    for (const [i, notebook] of config.eventLoop.notebooks.entries()) {
      try {
        // The profiler slows the thread: only the first run is profiled.
        const r = await eventLoop(config, notebook, i === 0);
        out.eventLoopRuns.push({ max: r.run.max, p99: r.run.p99, runSeconds: r.runSeconds, stallsOver50: r.stallsOver50, tasks: r.tasks, spawns: r.spawns?.count ?? 0, error: r.error });
        if (out.eventLoop === null || r.run.max > out.eventLoop.run.max) out.eventLoop = r;
        console.log(`event loop during notebook run ${i + 1}: max ${r.run.max} ms over ${r.runSeconds} s`);
      } catch (e) {
        out.errors.push(`event loop, run ${i + 1}: ${errorText(e)}`);
      }
      save();
    }
  }
  save();
}
