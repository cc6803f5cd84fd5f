/**
 * bin/code-cache.js, the launcher's V8 code cache: written after a successful first run, used by
 * the next, never used for a different bundle (V8 itself checks only the source's length: a
 * bundle rebuilt to the same length would otherwise run the old bytecode), and never in the way
 * (read-only directory, failing command, RGS_CODE_CACHE=0).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';

const LOADER = resolve(__dirname, '..', '..', 'bin', 'code-cache.js');
const dir = mkdtempSync(join(tmpdir(), 'rgs-code-cache-'));
afterAll(() => {
  chmodSync(dir, 0o755);
  rmSync(dir, { recursive: true, force: true });
});

/** A bundle that prints a word, its own __filename's base name and whether `module` is its own. */
function bundle(word: string, exitCode = 0): string {
  return `'use strict';\nconst p = require('node:path');\nmodule.exports.word = '${word}';\nprocess.stdout.write('${word} ' + p.basename(__filename) + ' ' + (require.cache[__filename] === module) + '\\n');\nprocess.exitCode = ${exitCode};\n`;
}

function run(file: string, env: Record<string, string> = {}): { stdout: string; status: number | null } {
  const r = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(LOADER)}).requireWithCodeCache(${JSON.stringify(file)})`], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  expect(r.stderr).toBe('');
  return { stdout: r.stdout, status: r.status };
}

const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');

describe('the launcher code cache', () => {
  test('a first run writes the cache (header: format and the SHA-1 of the bundle); the next runs the same', () => {
    const file = join(dir, 'first.js');
    writeFileSync(file, bundle('AAAA'));
    expect(run(file)).toEqual({ stdout: 'AAAA first.js true\n', status: 0 });
    const cache = readFileSync(`${file}.v8-cache`);
    const header = `rgs-v8-cache 1\n${sha1(bundle('AAAA'))}\n`;
    expect(cache.toString('latin1', 0, header.length)).toBe(header);
    expect(cache.length).toBeGreaterThan(header.length);
    expect(run(file)).toEqual({ stdout: 'AAAA first.js true\n', status: 0 });
  });

  test('a bundle rebuilt to the same length runs its new code, and the cache is rewritten for it', () => {
    const file = join(dir, 'rebuilt.js');
    writeFileSync(file, bundle('AAAA'));
    run(file);
    expect(bundle('BBBB').length).toBe(bundle('AAAA').length);
    writeFileSync(file, bundle('BBBB'));
    expect(run(file).stdout).toBe('BBBB rebuilt.js true\n');
    expect(readFileSync(`${file}.v8-cache`).toString('latin1')).toContain(sha1(bundle('BBBB')));
    expect(run(file).stdout).toBe('BBBB rebuilt.js true\n');
  });

  test('a corrupt cache file is ignored and replaced', () => {
    const file = join(dir, 'corrupt.js');
    writeFileSync(file, bundle('CCCC'));
    writeFileSync(`${file}.v8-cache`, `rgs-v8-cache 1\n${sha1(bundle('CCCC'))}\nnot bytecode at all`);
    expect(run(file).stdout).toBe('CCCC corrupt.js true\n');
    expect(readFileSync(`${file}.v8-cache`).length).toBeGreaterThan(200);
  });

  test('no cache after a failing run, with RGS_CODE_CACHE=0, or in a read-only directory', () => {
    const failing = join(dir, 'failing.js');
    writeFileSync(failing, bundle('DDDD', 1));
    expect(run(failing)).toEqual({ stdout: 'DDDD failing.js true\n', status: 1 });
    expect(existsSync(`${failing}.v8-cache`)).toBe(false);

    const off = join(dir, 'off.js');
    writeFileSync(off, bundle('EEEE'));
    expect(run(off, { RGS_CODE_CACHE: '0' }).stdout).toBe('EEEE off.js true\n');
    expect(existsSync(`${off}.v8-cache`)).toBe(false);

    const ro = join(dir, 'read-only');
    mkdirSync(ro);
    const file = join(ro, 'bundle.js');
    writeFileSync(file, bundle('FFFF'));
    chmodSync(ro, 0o555);
    // root may write anyway; the point is that the command runs and nothing half-written is left.
    expect(run(file)).toEqual({ stdout: 'FFFF bundle.js true\n', status: 0 });
    chmodSync(ro, 0o755);
    expect(readFileSync(file, 'utf8')).toBe(bundle('FFFF'));
  });
});
