/**
 * The kernel thread's scheduling priority. A cohort extraction keeps the kernel's threads busy
 * for minutes; at the editor's priority they compete for the cores with the extension host's
 * main thread (whose event loop every extension shares), the workbench and, in a remote or
 * browser setup, the server and the browser. So on Linux the kernel's worker thread lowers its
 * own priority to the lowest: it gets whatever CPU the editor leaves, which is all of it when
 * the editor is idle.
 *
 * os.setPriority(0, n) is setpriority(PRIO_PROCESS, 0, n). On Linux the nice value belongs to
 * each thread and 0 names the calling thread, whose new threads (the cohort runner's workers)
 * inherit it; the extension host's own threads keep theirs. On macOS and Windows the same call
 * would lower the whole extension host, so there the kernel keeps the normal priority.
 */
import { getPriority, setPriority } from 'node:os';

/** The nice value the kernel thread runs at on Linux (the lowest priority). */
export const KERNEL_NICE = 19;

/**
 * Lower the calling thread's priority to `nice` (never raises it) where that affects only this
 * thread (Linux). Returns the thread's value afterwards, or null where it is not changed or
 * cannot be (another platform, a sandbox that forbids it).
 */
export function lowerThisThreadPriority(nice: number, platform: NodeJS.Platform = process.platform): number | null {
  if (platform !== 'linux') return null;
  try {
    if (getPriority(0) < nice) setPriority(0, nice);
    return getPriority(0);
  } catch {
    return null;
  }
}
