/**
 * Runs the reference scripts of the metrics parity tests (R with pROC, Python with scikit-learn)
 * into a temporary JSON file and reads it back. When the interpreter or the package is missing,
 * the skip reason says what to install (`bash scripts/setup-parity.sh`, or
 * `apt-get install -y --no-install-recommends r-base-core r-cran-proc python3-sklearn`).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Why pROC cannot be used here, or null when `Rscript` loads it. */
export function procSkipReason(): string | null {
  const r = spawnSync('Rscript', ['-e', 'suppressPackageStartupMessages(library(pROC))'], { encoding: 'utf8' });
  if (r.error) return 'Rscript not found (apt-get install r-base-core r-cran-proc)';
  if (r.status !== 0) return 'R package pROC not installed (apt-get install r-cran-proc)';
  return null;
}

/**
 * The first Python 3 with scikit-learn: `python3` on the PATH, else Debian's /usr/bin/python3
 * (where python3-sklearn installs, when the PATH's python3 is another installation).
 */
export function pythonWithSklearn(): string | null {
  for (const exe of ['python3', '/usr/bin/python3']) {
    const r = spawnSync(exe, ['-c', 'import sklearn, numpy'], { encoding: 'utf8' });
    if (!r.error && r.status === 0) return exe;
  }
  return null;
}

/** Runs `<command> <script> <tmp>/out.json` and parses the JSON it wrote. */
export function runReference(command: string, script: string): unknown {
  const dir = mkdtempSync(join(tmpdir(), 'rgs-metrics-parity-'));
  const out = join(dir, 'out.json');
  try {
    const r = spawnSync(command, [script, out], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (r.error) throw r.error;
    if (r.status !== 0) throw new Error(`${command} ${script} failed (exit ${r.status}): ${r.stderr}`);
    return JSON.parse(readFileSync(out, 'utf8')) as unknown;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A number array from the reference JSON (R writes NA as null). */
export function numbers(v: unknown): number[] {
  if (!Array.isArray(v)) throw new Error(`expected an array, got ${JSON.stringify(v)?.slice(0, 80)}`);
  return v.map((e) => (e === null ? NaN : Number(e)));
}

/** A scalar from the reference JSON (R writes scalars as one-element arrays). */
export function scalar(v: unknown): number {
  if (typeof v === 'number') return v;
  const a = numbers(v);
  if (a.length !== 1) throw new Error(`expected one value, got ${a.length}`);
  return a[0];
}

/** A string from the reference JSON (possibly a one-element array). */
export function text(v: unknown): string {
  return Array.isArray(v) ? String(v[0]) : String(v);
}

/** Largest absolute difference of two equally long arrays (Infinity if the lengths differ). */
export function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (!(d <= m)) m = Number.isNaN(d) ? Infinity : d;
  }
  return m;
}
