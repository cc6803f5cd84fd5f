/**
 * Entry point of a cohort-run worker thread (bundled as dist/worker.js): receives TaskRequests,
 * answers TaskReplies, one at a time. Errors inside a task are part of the reply; the thread
 * itself only ends when the pool terminates it.
 */
import { parentPort } from 'node:worker_threads';
import { executeTask, type TaskRequest } from './execute';

if (parentPort === null) throw new Error('worker.ts must run in a worker thread');
const port = parentPort;
port.on('message', (req: TaskRequest) => {
  port.postMessage(executeTask(req));
});
