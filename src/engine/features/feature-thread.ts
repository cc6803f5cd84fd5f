/**
 * The helper thread's entry point (bundled as dist/feature-thread.js; see helper-thread.ts):
 * computes the families it is sent with the same extractFeatures the main thread runs.
 */
import { parentPort } from 'node:worker_threads';
import { RgsError } from '../util/errors';
import { extractFeatures } from './extract';
import type { HelperRequest, HelperResponse } from './helper-thread';

if (parentPort === null) throw new Error('feature-thread.js must run as a worker thread');
const port = parentPort;
port.on('message', (req: HelperRequest) => {
  let res: HelperResponse;
  try {
    res = { id: req.id, ok: true, output: extractFeatures(req.input, req.settings, req.families) };
  } catch (err) {
    const userError = err instanceof RgsError;
    res = {
      id: req.id,
      ok: false,
      message: err instanceof Error ? err.message : String(err),
      userError,
      ...(userError ? { file: err.file, field: err.field } : {}),
    };
  }
  port.postMessage(res);
});
