/**
 * `rgs extract` shares each ROI's feature families with a helper thread (--threads 2, the
 * default on a machine with two cores): the values must be exactly those of one thread, in the
 * same order, and errors raised on the helper thread must reach the user as the same one-line
 * messages. Runs the built CLI and the built helper bundle (dist/feature-thread.js).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FeatureHelperThread } from '../../src/engine/features/helper-thread';
import type { FeatureInput } from '../../src/engine/features/types';
import { presetByName } from '../../src/engine/settings/presets';
import { RgsError } from '../../src/engine/util/errors';
import { CT_PHANTOM, DIGITAL_PHANTOM, ibsiSkipReason } from '../helpers/ibsi';

const root = join(__dirname, '..', '..');
const rgs = join(root, 'bin', 'rgs');
let dir = '';

beforeAll(() => {
  const b = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { encoding: 'utf8' });
  if (b.status !== 0) throw new Error(`build failed: ${b.stderr}`);
  dir = mkdtempSync(join(tmpdir(), 'rgs-threads-'));
});

interface Output {
  features: { roi: string; family: string; feature: string; aggregation: string; value: number | null }[];
}

function extract(image: string, mask: string, threads: number, extra: string[]): Output {
  const out = join(dir, `t${threads}-${extra.join('_').replace(/\W/g, '')}.json`);
  const r = spawnSync(rgs, ['extract', image, mask, '--threads', String(threads), ...extra, '--out', out], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(readFileSync(out, 'utf8')) as Output;
}

describe.skipIf(ibsiSkipReason() !== null)('rgs extract --threads 2', () => {
  it.each([
    ['digital phantom, all families', DIGITAL_PHANTOM, ['--preset', 'default']],
    ['CT phantom, config C (resampled), all families', CT_PHANTOM, ['--preset', 'ibsi-C']],
  ])('%s: the same features and values as one thread', (_name, phantom, extra) => {
    const one = extract(phantom.image, phantom.mask, 1, extra);
    const two = extract(phantom.image, phantom.mask, 2, extra);
    expect(two.features.length).toBeGreaterThan(150);
    expect(two.features).toEqual(one.features);
  });
});

describe.skipIf(ibsiSkipReason() !== null)('the default thread count', () => {
  // A helper thread only when the estimated work pays for it (split-families.ts,
  // HELPER_THREAD_MIN_WORK); the choice is reported in the diagnostics.
  const threadsUsed = (extra: string[]) => {
    const out = join(dir, `default-${extra.join('_').replace(/\W/g, '')}.json`);
    const r = spawnSync(rgs, ['extract', DIGITAL_PHANTOM.image, DIGITAL_PHANTOM.mask, ...extra, '--out', out], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    return (JSON.parse(readFileSync(out, 'utf8')) as { diagnostics: { threads: number } }).diagnostics.threads;
  };
  const two = availableParallelism() >= 2 ? 2 : 1;

  it('the whole IBSI set of raw grey levels (and several ROIs of the subset): a helper thread on a 2-core machine', () => {
    expect(threadsUsed(['--preset', 'default'])).toBe(two);
    expect(threadsUsed(['--features', 'pyradiomics', '--label', '1', '--label', '1'])).toBe(two);
  });

  it('the PyRadiomics-comparable subset of one ROI, or one family: one thread', () => {
    expect(threadsUsed(['--features', 'pyradiomics'])).toBe(1);
    expect(threadsUsed(['--features', 'stat,ih'])).toBe(1);
  });

  it('--threads overrides the choice', () => {
    expect(threadsUsed(['--features', 'pyradiomics', '--threads', '2'])).toBe(2);
    expect(threadsUsed(['--preset', 'default', '--threads', '1'])).toBe(1);
  });
});

describe('--threads', () => {
  it('must be 1 or 2', () => {
    const r = spawnSync(rgs, ['extract', 'a.nii', 'b.nii', '--threads', '3'], { encoding: 'utf8' });
    expect(r.stderr).toBe('rgs: extract: --threads must be 1 or 2, got `3`\n');
    expect(r.status).toBe(2);
  });
});

describe('FeatureHelperThread', () => {
  /** A 3x3x3 cube of grey levels 1..3 as a preprocessed ROI. */
  function cube(): FeatureInput {
    const n = 27;
    const bins = Int32Array.from({ length: n }, (_, v) => 1 + (v % 3));
    const mask = new Uint8Array(n).fill(1);
    return {
      dims: [3, 3, 3],
      spacing: [1, 1, 1],
      image: Float64Array.from(bins),
      morphMask: mask,
      intensityMask: mask,
      discretised: { bins, binCount: 3, binValues: Float64Array.from([0, 1, 2, 3]) },
      ivh: { values: Float64Array.from(bins), min: 1, max: 3, step: 1 },
    };
  }

  it('answers with the families it was given, and a user error as an RgsError with its message', async () => {
    const helper = new FeatureHelperThread(join(root, 'dist', 'feature-thread.js'));
    try {
      const settings = presetByName('default').features;
      const out = await helper.compute(cube(), settings, ['stat', 'ngl']);
      expect([...new Set(out.features.map((f) => f.family))]).toEqual(['stat', 'ngl']);
      expect(out.features.find((f) => f.feature === 'Mean intensity')?.value).toBe(2);

      const bad = { ...settings, glcm: { distance: 0.5, symmetric: true } };
      const err = await helper.compute(cube(), bad, ['cm']).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(RgsError);
      expect((err as RgsError).message).toBe('GLCM distance must be a whole number of voxels >= 1, got 0.5');
      expect((err as RgsError).field).toBe('glcm distance');
      // The thread survives a failed request.
      const again = await helper.compute(cube(), settings, ['ih']);
      expect(again.features.every((f) => f.family === 'ih')).toBe(true);
    } finally {
      await helper.close();
    }
  });
});
