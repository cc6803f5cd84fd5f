/** The run's configuration and the probe handshake, from the extension host's side. */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROBE_UNAVAILABLE, type E2eConfig, type ProbeRequest, type ProbeResponse, type ProbeUnavailable } from '../protocol';

export const CONFIG_FILE = 'e2e-config.json';

/** The runner writes the configuration next to the bundled suite (this file's __dirname). */
export function loadConfig(): E2eConfig {
  return JSON.parse(readFileSync(join(__dirname, CONFIG_FILE), 'utf8')) as E2eConfig;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Ask the runner for a screenshot (test-results/vscode/<name>.png) and a probe of the visible
 *  webview; resolves with its answer. When the run has no runner answering probes
 *  (config.probes === false, e.g. under @vscode/test-electron) it resolves with 'unavailable' at
 *  once; otherwise a missing answer is a failure, as before. */
export async function probe(config: E2eConfig, request: ProbeRequest, timeoutMs = 60_000): Promise<ProbeResponse | ProbeUnavailable> {
  if (config.probes === false) {
    console.log(`probe "${request.name}": unavailable (no runner answers probes in this run; no screenshot)`);
    return PROBE_UNAVAILABLE;
  }
  const requests = join(config.exchangeDir, 'requests');
  const responses = join(config.exchangeDir, 'responses');
  mkdirSync(requests, { recursive: true });
  const answer = join(responses, `${request.name}.json`);
  rmSync(answer, { force: true });
  writeFileSync(join(requests, `${request.name}.json`), JSON.stringify(request));
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (existsSync(answer)) {
      try {
        return JSON.parse(readFileSync(answer, 'utf8')) as ProbeResponse;
      } catch {
        // Half-written: the runner writes atomically, but be lenient and read again.
      }
    }
    await sleep(200);
  }
  throw new Error(`no answer from the runner to probe "${request.name}" within ${timeoutMs} ms`);
}

/** Probe, then run `check` (the on-screen assertions) on the runner's answer. Without a runner
 *  (config.probes === false) the check is skipped with a log line naming what it would have
 *  asserted; with one, this is exactly `check(await probe(...))`. */
export async function onScreen(config: E2eConfig, request: ProbeRequest, what: string, check: (p: ProbeResponse) => void): Promise<void> {
  const p = await probe(config, request);
  if (p === PROBE_UNAVAILABLE) {
    console.log(`SKIPPED on-screen check "${request.name}" (${what}): no runner answers probes in this run`);
    return;
  }
  check(p);
}

/** Poll `get` until it returns a value (not undefined), or fail with `what`. */
export async function waitFor<T>(what: string, get: () => T | undefined, timeoutMs = 90_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = get();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(250);
  }
}
