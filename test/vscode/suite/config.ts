/** The run's configuration and the probe handshake, from the extension host's side. */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { E2eConfig, ProbeRequest, ProbeResponse } from '../protocol';

export const CONFIG_FILE = 'e2e-config.json';

/** The runner writes the configuration next to the bundled suite (this file's __dirname). */
export function loadConfig(): E2eConfig {
  return JSON.parse(readFileSync(join(__dirname, CONFIG_FILE), 'utf8')) as E2eConfig;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Ask the runner for a screenshot (test-results/vscode/<name>.png) and a probe of the visible
 *  webview; resolves with its answer. */
export async function probe(config: E2eConfig, request: ProbeRequest, timeoutMs = 60_000): Promise<ProbeResponse> {
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
