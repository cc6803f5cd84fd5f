/**
 * What the extension benchmark's runner (bench/extension/runner.ts, outside: code-server and
 * Chromium) and its suite (bench/extension/suite.ts, inside VS Code's extension host) share: the
 * configuration the runner writes next to the bundled suite, the first-frame handshake, and the
 * suite's results. Files in the run folder are the channel, as in test/vscode/protocol.ts.
 */

export const BENCH_CONFIG_FILE = 'bench-config.json';

export interface BenchConfig {
  extensionId: string;
  /** Folder for the handshake files and the suite's result. */
  exchangeDir: string;
  /** The suite's result (SuiteOutput), written atomically. */
  resultFile: string;
  subject: {
    /** Timed openings (after one untimed warm-up opening). */
    runs: number;
    /** Absolute paths inside the workspace (streamed to the webview by URL, as users' files are). */
    images: Record<string, string>;
    mask: string;
    labels: Record<string, number | number[]>;
    /** Skip this part (RGS_BENCH_EXT_SUBJECT=0). */
    skip: boolean;
  };
  eventLoop: {
    /** One .rgnb notebook per run (the demo study's cohort cell and its preprocessing + features
     *  cell), each in a fresh folder of its own: no run finds another's feature cache. */
    notebooks: string[];
    /** monitorEventLoopDelay's resolution (ms). */
    resolutionMs: number;
    /** A diagnostic, not part of the numbers (RGS_BENCH_EXT_PROFILE=<file>): a CPU profile of the
     *  extension host's main thread during the run, written to this .cpuprofile file. */
    profileFile: string | null;
    /** Seconds of idle measurement before the run, for comparison. */
    idleSeconds: number;
    /** Give up on the notebook run after this many seconds. */
    timeoutSeconds: number;
    /** Skip this part (RGS_BENCH_EXT_EVENT_LOOP=0). */
    skip: boolean;
  };
}

/** The suite asks the runner to watch the next subject view for its first frame. */
export interface WatchRequest {
  name: string;
  /** The page's <title> (the subject view's title), so the runner picks the right webview. */
  title: string;
  canvases: string[];
}

/** In the webview page: epoch milliseconds (performance.timeOrigin + performance.now()). */
export interface FrameTiming {
  /** The page's state when the runner found it; 'loaded' already means the marker came too late. */
  stateWhenFound: string;
  /** body[data-state] became 'loaded' (every NiiVue view has drawn its volume and mask). */
  loadedAt: number | null;
  /** The first animation frame after that: the frame that puts the drawing on screen. */
  frameAt: number | null;
  /** Final state ('loaded', 'error', ...). */
  state: string;
  /** The page's fetches of the volumes (Resource Timing), epoch ms. */
  fetches: { name: string; start: number; end: number }[];
  /** The page's navigation start (performance.timeOrigin) and its bundle's download (main.js,
   *  Resource Timing), epoch ms: where the time before `ready` goes. */
  navigationAt: number | null;
  bundle: { start: number; end: number } | null;
  /** The page's own performance marks (webview/src/subject-app.ts: per sequence decoded, webgl,
   *  added, mask, drawn), epoch ms. */
  marks?: { name: string; at: number }[];
}

export interface CanvasPixels {
  total: number;
  grey: number;
  red: number;
  green: number;
  yellow: number;
}

export interface WatchResponse {
  name: string;
  /** Epoch ms when the runner found the page. */
  foundAt: number | null;
  timing: FrameTiming | null;
  /** Epoch ms at the end of the first screenshot (taken after the first frame) whose canvases all
   *  show the volume (grey) and every label colour (red, green, yellow). */
  pixelsConfirmedAt: number | null;
  pixels: Record<string, CanvasPixels | null>;
  /** WebGL renderer of the page (UNMASKED_RENDERER_WEBGL), e.g. SwiftShader. */
  renderer: string | null;
  error: string | null;
}

export interface SubjectRun {
  run: number;
  warmUp: boolean;
  /** Epoch ms just before executeCommand('radiogenomics.openSubject', ...). */
  commandAt: number;
  /** Milliseconds from commandAt: */
  commandReturnedMs: number;
  /** the host gave VS Code the page's HTML (after its first answer, or PRELOAD_WAIT_MS); */
  pageWrittenMs?: number | null;
  /** the page's navigation started (the webview's document), and its bundle was downloaded; */
  navigationMs: number | null;
  bundleFetchedMs: number | null;
  /** the page's marks, ms from commandAt (name -> ms). */
  marks?: Record<string, number>;
  /** the page posted `ready` (its script runs) — host side; */
  pageReadyMs: number | null;
  /** the page started fetching the first volume, and had received the last one's bytes; */
  fetchStartMs: number | null;
  fetchedMs: number | null;
  /** the host received the page's `loaded`; */
  hostLoadedMs: number | null;
  /** body[data-state=loaded] in the page (after NiiVue's synchronous draw of all four views); */
  pageLoadedMs: number | null;
  /** the first animation frame after it: THE first frame; */
  firstFrameMs: number | null;
  /** a screenshot confirmed the mask's colours on all four canvases (upper bound). */
  pixelsConfirmedMs: number | null;
  maskVisible: boolean;
  status: string;
  message: string | null;
}

export interface DelayStats {
  /** Milliseconds (monitorEventLoopDelay's histogram, nanoseconds / 1e6). */
  min: number;
  max: number;
  mean: number;
  stddev: number;
  p50: number;
  p99: number;
  /** Samples in the histogram. */
  count: number;
}

export interface Stall {
  /** Seconds from the start of the measurement. */
  atS: number;
  /** How long the loop did not turn (ms): a 2 ms timer's lateness. */
  ms: number;
  /** Of the interval, the time the loop was running callbacks (event-loop utilisation's `active`):
   *  near `ms` = the thread was blocked by work on it; near 0 = it waited (e.g. for a core). */
  activeMs: number;
  /** Linux: what the scheduler says of the host's main thread during the stall (its
   *  /proc/self/task/<pid>/schedstat): ms on a core, and ms runnable but waiting for one; and the
   *  machine's steal time (ms the hypervisor ran something else on this VM's cores, summed over
   *  cores, from /proc/stat). null elsewhere. */
  cpuMs?: number | null;
  runQueueMs?: number | null;
  stealMs?: number | null;
  /** With a CPU profile: what the thread's samples inside the stall show, by kind (ms, largest
   *  first): e.g. "code-server: child_process spawn (exec)", "zlib (websocket compression)",
   *  "garbage collector", "idle (waiting in the event loop's poll)", "ours: dist/extension.js". */
  attribution?: { what: string; ms: number }[];
  /** Child processes whose spawn call overlaps the stall. */
  spawns?: HostSpawn[];
}

/** A child process started in the extension host during the run (by anyone). */
export interface HostSpawn {
  /** Seconds from the start of the measurement to the spawn call. */
  atS: number;
  /** How long the synchronous spawn call took (ms): the event loop was held that long. */
  ms: number;
  command: string;
}

export interface GcPause {
  atS: number;
  ms: number;
  kind: string;
}

export interface EventLoopOutput {
  /** Epoch ms of the run's start (stalls' atS count from here): to line up other recordings. */
  startedAtEpochMs?: number;
  resolutionMs: number;
  idle: DelayStats;
  idleSeconds: number;
  run: DelayStats;
  runSeconds: number;
  /** The longest stalls seen by a 2 ms timer during the run, longest first. */
  stalls: Stall[];
  /** Every stall of the run longer than 50 ms, in time order (attributed when profiled). */
  stallsOver50List?: Stall[];
  /** Stalls of the run longer than 50 ms, and how many of them the loop spent mostly running
   *  callbacks (activeMs > half of ms). */
  stallsOver50: number;
  stallsOver50Active: number;
  /** With a CPU profile: the functions whose own time fell inside the stalls over 50 ms. */
  profileInStalls: { fn: string; ms: number }[] | null;
  /** Garbage-collection pauses of the extension host's main thread over 10 ms during the run. */
  gcPauses: GcPause[];
  /** Child processes started in the extension host during the run: how many, the longest calls. */
  spawns?: { count: number; longest: HostSpawn[] };
  /** The extension host process's resident memory (MiB; sampled every second): before the run
   *  and its peak during it. Every child process an extension spawns (code-server's port scan
   *  does every few seconds) forks this process, which takes longer the more memory it maps. */
  rssMiB?: { before: number; peak: number };
  /** The extension host process's threads by nice value, 10 s into the run (Linux). */
  threadNices?: { nice: number; threads: number }[];
  cells: { index: number; success: boolean | undefined; seconds: number | null; summary: string }[];
  subjects: number | null;
  tasks: string | null;
  error: string | null;
}

export interface EventLoopRunSummary {
  max: number;
  p99: number;
  runSeconds: number;
  stallsOver50: number;
  tasks: string | null;
  spawns: number;
  error: string | null;
}

export interface SuiteOutput {
  subject: SubjectRun[];
  renderer: string | null;
  /** The run with the longest stall (the others are summarised in eventLoopRuns). */
  eventLoop: EventLoopOutput | null;
  /** Every run, in order. */
  eventLoopRuns?: EventLoopRunSummary[];
  errors: string[];
}
