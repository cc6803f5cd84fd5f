/**
 * scripts/build.mjs patches NiiVue in the webview bundle so that a view may skip the 3D render's
 * gradient texture while it shows only 2D slices (webview/src/niivue-setup.ts). The build fails
 * if NiiVue's code changed; this checks that the bundle carries the guard.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';

const bundle = join(__dirname, '..', '..', 'dist', 'webview', 'main.js');

describe.skipIf(!existsSync(bundle))('webview bundle: NiiVue gradient patch', () => {
  test('refreshLayers computes the gradient texture only when the view does not defer it', () => {
    const js = readFileSync(bundle, 'utf8');
    expect(js.match(/this\.rgsDeferGradient\|\|\(this\.gradientTexture=/g)?.length).toBe(1);
  });
});
