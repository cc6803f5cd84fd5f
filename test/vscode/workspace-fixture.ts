/**
 * The workspace the extension's integration suite runs on (a subject's volumes and mask, and a
 * volume outside the workspace) and its E2eConfig, written the same way for code-server
 * (extension-host.e2e.ts) and for desktop VS Code (electron/main.ts).
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { expectedVoxels, writeSphere, writeSubject } from '../webview/fixtures';
import { EXTENSION_ID } from './code-server';
import type { E2eConfig } from './protocol';

/** Empties `run` and writes the workspace into it. `probes: false` when no runner answers probes. */
export function writeE2eWorkspace(run: string, opts: { probes?: false } = {}): E2eConfig {
  rmSync(run, { recursive: true, force: true });
  const workspace = join(run, 'workspace');
  const outside = join(run, 'outside');
  const files = writeSubject(workspace);
  mkdirSync(outside, { recursive: true });
  writeSphere(join(outside, 'sphere.nii'));
  return {
    workspace,
    outside,
    images: files.images,
    mask: files.mask,
    expectedVoxels: Object.fromEntries([...expectedVoxels()].map(([k, v]) => [String(k), v])),
    exchangeDir: join(run, 'exchange'),
    extensionId: EXTENSION_ID,
    ...opts,
  };
}
