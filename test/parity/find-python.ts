/** Where the Python-based parity references come from: the first interpreter that has the modules, and the scripts run with it. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The first Python interpreter (RGS_PYTHON, python3, /usr/bin/python3) that imports `modules`,
 * or the reason none does, naming the Debian package that provides them.
 */
export function findPython(modules: string[], debianPackage: string): { python?: string; reason?: string } {
  const candidates = [process.env.RGS_PYTHON, 'python3', '/usr/bin/python3'].filter((c): c is string => !!c);
  for (const python of candidates) {
    const r = spawnSync(python, ['-c', `import ${modules.join(', ')}`], { encoding: 'utf8' });
    if (r.status === 0) return { python };
  }
  return { reason: `no Python with ${modules.join(', ')} among ${candidates.join(', ')} (apt-get install -y --no-install-recommends ${debianPackage})` };
}

/**
 * Runs a reference script as `python script out.json` in a temporary folder and returns the JSON
 * it wrote (64 MiB of output allowed: the scripts print progress; the data goes to the file).
 */
export function runReferenceScript<T>(python: string, script: string): T {
  const dir = mkdtempSync(join(tmpdir(), 'rgs-parity-'));
  try {
    const out = join(dir, 'out.json');
    const r = spawnSync(python, [script, out], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (r.status !== 0) throw new Error(`${script} failed: ${r.stderr}`);
    return JSON.parse(readFileSync(out, 'utf8')) as T;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
