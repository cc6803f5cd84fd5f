/**
 * The notebook kernel proper: takes one execute request at a time and runs the cell (study YAML
 * or JavaScript), streaming outputs (encoded to bytes) through `send`. Independent of
 * worker_threads (worker.ts wires it to the thread's port), so it can also run in-process.
 */
import { RgsError } from '../engine/util/errors';
import { runJsCell } from './js-cell';
import { KernelState, output, type Emitter } from './kernel-state';
import { encodeOutput, errorItem, type ExecuteRequest, type KernelOptions, type WorkerMessage } from './protocol';
import { runStudyCell, type CellResult } from './study-cell';

export class Kernel {
  readonly state: KernelState;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    options: KernelOptions,
    private readonly send: (m: WorkerMessage) => void,
  ) {
    this.state = new KernelState(options);
  }

  /** Queue a request; requests run one after another, in the order they arrive. */
  execute(req: ExecuteRequest): Promise<void> {
    this.queue = this.queue.then(() => this.run(req));
    return this.queue;
  }

  private async run(req: ExecuteRequest): Promise<void> {
    const emit: Emitter = {
      output: (o, key) => this.send({ type: 'output', id: req.id, ...(key !== undefined ? { key } : {}), output: encodeOutput(o) }),
    };
    this.state.executionCount++;
    let result: CellResult;
    try {
      const lang = req.cell.language;
      if (lang === 'yaml') result = await runStudyCell(req, this.state, emit);
      else if (lang === 'javascript') result = await runJsCell(req, this.state, emit);
      else {
        emit.output(output(errorItem('Not a kernel language', `${req.cell.label} is ${lang}: this kernel runs study cells (yaml) and queries (javascript)`)));
        result = { success: false, problems: [] };
      }
    } catch (e) {
      // RgsError: a problem the user can fix (a file, a setting), shown as one line. Anything
      // else is a bug, shown with its stack so that it can be reported.
      if (e instanceof RgsError) emit.output(output(errorItem('Error', e.message)));
      else if (e instanceof Error) emit.output(output(errorItem(`Internal error (${e.name})`, `${e.message} (a bug: please report it)`, e.stack)));
      else emit.output(output(errorItem('Internal error', String(e))));
      result = { success: false, problems: [] };
    }
    this.send({ type: 'done', id: req.id, success: result.success, problems: result.problems });
  }
}
