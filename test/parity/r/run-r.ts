/**
 * Runs the R parity scripts in this folder and reads their JSON back. R is installed by
 * `bash scripts/setup-parity.sh`; without it (or without the packages) the parity tests skip
 * with the reason from rSkipReason().
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const here = __dirname;
const cache = new Map<string, string | null>();

/** Why the R parity tests cannot run here, or null when Rscript and `packages` are available. */
export function rSkipReason(packages: string[]): string | null {
  const key = packages.join(',');
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  let reason: string | null = null;
  const probe = spawnSync('Rscript', ['-e', `suppressPackageStartupMessages({${packages.map((p) => `library(${p})`).join(';')}})`], {
    encoding: 'utf8',
  });
  if (probe.error) reason = 'Rscript not found (run `bash scripts/setup-parity.sh` to install R, glmnet and survival)';
  else if (probe.status !== 0) reason = `R packages ${packages.join(', ')} not loadable (run \`bash scripts/setup-parity.sh\`): ${probe.stderr.trim().split('\n').pop() ?? ''}`;
  cache.set(key, reason);
  return reason;
}

/** Runs `Rscript test/parity/r/<script> <tmp>/out.json` and returns the parsed output. */
export function runRScript(script: string): unknown {
  const dir = mkdtempSync(join(tmpdir(), 'rgs-parity-'));
  const out = join(dir, 'out.json');
  try {
    const r = spawnSync('Rscript', [join(here, script), out], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (r.status !== 0) throw new Error(`Rscript ${script} failed (${r.status}): ${r.stderr}`);
    return JSON.parse(readFileSync(out, 'utf8')) as unknown;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A JSON value written by json.R as a number array (null -> NaN, "Inf" -> Infinity). */
export function nums(v: unknown): number[] {
  if (v === null || v === undefined) return [];
  if (!Array.isArray(v)) throw new Error(`expected an array, got ${JSON.stringify(v).slice(0, 80)}`);
  return v.map((e) => {
    if (e === null) return NaN;
    if (e === 'Inf') return Infinity;
    if (e === '-Inf') return -Infinity;
    if (typeof e !== 'number') throw new Error(`expected a number, got ${JSON.stringify(e)}`);
    return e;
  });
}

/** A scalar written by json.R (a one-element array). */
export function num(v: unknown): number {
  const a = nums(v);
  if (a.length !== 1) throw new Error(`expected a scalar, got ${a.length} values`);
  return a[0];
}

/** A string scalar or string array. */
export function strs(v: unknown): string[] {
  if (!Array.isArray(v)) throw new Error('expected a string array');
  return v.map((e) => String(e));
}

/** A matrix written as an array of rows. */
export function rows(v: unknown): number[][] {
  if (!Array.isArray(v)) throw new Error('expected a matrix (array of rows)');
  return v.map((r) => nums(r));
}

/** Largest |a_i - b_i| (NaN pairs count as equal, NaN vs number as Infinity). */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (Number.isNaN(x) && Number.isNaN(y)) continue;
    if (x === y) continue;
    const d = Math.abs(x - y);
    if (!(d <= m)) m = Number.isNaN(d) ? Infinity : d;
  }
  return m;
}

/** Largest relative difference |a - b| / max(|b|, floor). */
export function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>, floor = 1e-12): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (Number.isNaN(x) && Number.isNaN(y)) continue;
    if (x === y) continue;
    const d = Math.abs(x - y) / Math.max(Math.abs(y), floor);
    if (!(d <= m)) m = Number.isNaN(d) ? Infinity : d;
  }
  return m;
}
