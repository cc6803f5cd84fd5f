/**
 * Entry point of the notebook kernel's worker thread (bundled as dist/kernel-worker.js, started
 * by src/extension/notebook/kernel-session.ts with KernelOptions as workerData). Everything a
 * cell does (checking the study, extracting features, fitting models, evaluating JavaScript)
 * happens on this thread (and the cohort runner's worker threads it starts), at the lowest
 * priority on Linux, so the editor never waits. Interrupting is terminating this thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Kernel } from './kernel';
import { KERNEL_NICE, lowerThisThreadPriority } from './process-priority';
import type { HostMessage, KernelOptions, WorkerMessage } from './protocol';

if (parentPort === null) throw new Error('kernel worker.ts must run in a worker thread');
const port = parentPort;
const options = workerData as KernelOptions;
// Before any thread starts: the cohort runner's worker threads inherit the priority.
lowerThisThreadPriority(options.nice ?? KERNEL_NICE);
const kernel = new Kernel(options, (m: WorkerMessage) => port.postMessage(m));
port.on('message', (m: HostMessage) => {
  if (m.type === 'execute') void kernel.execute(m);
});
port.postMessage({ type: 'ready' } satisfies WorkerMessage);
