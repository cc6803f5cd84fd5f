/**
 * The runner's side of the file exchange with a suite running inside the extension host: the
 * suite writes `<exchange>/requests/<name>.json`, the runner answers each (in arrival order,
 * one at a time) with `<exchange>/responses/<name>.json`, written atomically so the suite never
 * reads half an answer. Used by the integration suite's probes (extension-host.e2e.ts) and the
 * extension benchmark's first-frame watches (bench/extension/runner.ts).
 */
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Serve requests until the returned function is called (it resolves once the loop has stopped). */
export function serveFileRequests<Req extends { name: string }, Res>(
  exchange: string,
  pollMs: number,
  answer: (req: Req, responses: string) => Promise<Res>,
): () => Promise<void> {
  const requests = join(exchange, 'requests');
  const responses = join(exchange, 'responses');
  mkdirSync(requests, { recursive: true });
  mkdirSync(responses, { recursive: true });
  let running = true;
  const loop = (async () => {
    while (running) {
      for (const f of readdirSync(requests).filter((n) => n.endsWith('.json'))) {
        const req = JSON.parse(readFileSync(join(requests, f), 'utf8')) as Req;
        rmSync(join(requests, f));
        const res = await answer(req, responses);
        const tmp = join(responses, `${req.name}.json.${process.pid}.tmp`);
        writeFileSync(tmp, JSON.stringify(res));
        renameSync(tmp, join(responses, `${req.name}.json`));
      }
      await new Promise((r) => setTimeout(r, pollMs));
    }
  })();
  return async () => {
    running = false;
    await loop;
  };
}
