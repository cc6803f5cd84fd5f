// The machine a benchmark ran on, written into every results file (bench/run.mjs,
// bench/extension/runner.ts): these machines differ and are noisy, so numbers travel with it.
import { cpus, hostname, release, totalmem } from 'node:os';

export function describeMachine() {
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memory_gb: +(totalmem() / 2 ** 30).toFixed(1),
    kernel: release(),
    node: process.version,
    host: hostname(),
  };
}
