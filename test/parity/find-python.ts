/** Where the Python-based parity references come from: the first interpreter that has the modules. */
import { spawnSync } from 'node:child_process';

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
