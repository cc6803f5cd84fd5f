/**
 * The webview app (dist/webview/main.js) as a standalone page in Chromium, under the extension's
 * own CSP. Checks are on the pixels of the canvases: the volume shows (non-background pixels),
 * the mask's label colours appear where each ROI is (concentric shells: red core, yellow shell,
 * green outer shell, at increasing distance from the sphere's centre), and the legend's toggles,
 * the overlay opacity and the linked crosshair change the picture as they should. Any CSP
 * violation fails the test. Screenshots go to test-results/webview/.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { InitSubjectMessage, LabelInfo } from '../../src/extension/messages';
import { diagonalAffine } from '../../src/engine/image/volume';
import { writeNifti } from '../../src/engine/io/nifti';
import { DIMS, LABELS, SEQUENCES, SPACING, expectedVoxels, maskData, writeSubject, type SubjectFiles } from './fixtures';
import {
  RESULTS,
  browserSkipReason,
  cspViolations,
  launchChromium,
  postToPage,
  postWithBytes,
  posted,
  screenshot,
  screenshotUntil,
  startPageServer,
  waitForPosted,
  type PageServer,
} from './harness';
import type { RgbaImage } from './png';
import { summarise } from './pixels';

const skip = browserSkipReason();
const VIEWPORT = { width: 1100, height: 800 };

/** Crosshair pixels: the viewer's default crosshair colour is (0.2, 0.6, 1) = (51, 153, 255). */
function crosshairColumn(img: RgbaImage): number {
  const perColumn = new Array<number>(img.width).fill(0);
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      const o = 4 * (y * img.width + x);
      const [r, g, b] = [img.data[o], img.data[o + 1], img.data[o + 2]];
      if (b > 200 && g > 110 && g < 200 && r < 110) perColumn[x]++;
    }
  }
  return perColumn.indexOf(Math.max(...perColumn));
}

describe.skipIf(skip !== null)('webview app in Chromium, standalone page', () => {
  let dir: string;
  let files: SubjectFiles;
  let server: PageServer;
  let browser: Browser;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rgs-webview-'));
    files = writeSubject(dir);
    mkdirSync(join(RESULTS, 'webview'), { recursive: true });
    server = await startPageServer(dir);
    browser = await launchChromium({ webgl: true });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function openPage(mode: 'viewer' | 'subject'): Promise<Page> {
    const page = await browser.newPage({ viewport: VIEWPORT });
    await page.goto(server.pageUrl(mode));
    await waitForPosted(page, 'ready');
    return page;
  }

  /** Set a page control's value as a user would, firing the event its listener waits for. */
  async function setControl(page: Page, id: string, value: string, event: 'input' | 'change'): Promise<void> {
    await page.evaluate(
      ([id, value, event]) => {
        const g = globalThis as unknown as { document: { getElementById(id: string): { value: string; dispatchEvent(e: unknown): void } }; Event: new (t: string) => unknown };
        const control = g.document.getElementById(id);
        control.value = value;
        control.dispatchEvent(new g.Event(event));
      },
      [id, value, event] as const,
    );
  }

  test('viewer: a volume posted as bytes is drawn, after the ready handshake', async () => {
    const page = await openPage('viewer');
    expect((await posted(page)).map((m) => m.type)).toEqual(['ready']);
    const info = { dims: [...DIMS], spacing: [1, 1, 1], datatype: 'int16', bytes: DIMS[0] * DIMS[1] * DIMS[2] * 2 };
    await postWithBytes(page, { type: 'init-viewer', info }, basename(files.sphere), server.dataUrl(basename(files.sphere)));
    await waitForPosted(page, 'loaded');
    const loaded = (await posted(page)).find((m) => m.type === 'loaded');
    expect(loaded?.volumes).toEqual([{ name: 'sphere.nii', dims: [...DIMS] }]);
    expect(await page.locator('#facts').innerText()).toContain('64 × 64 × 40 voxels');

    const canvas = page.locator('#gl-viewer');
    const img = await screenshotUntil(canvas, 'webview/viewer-bytes.png', (i) => summarise(i).counts.grey > 0);
    const s = summarise(img);
    // Multiplanar: three sections of the sphere (radius 14 of 64 voxels) are bright grey.
    expect(s.counts.grey / s.total).toBeGreaterThan(0.03);
    expect(s.counts.background / s.total).toBeGreaterThan(0.3);
    expect(await cspViolations(page)).toEqual([]);
    await page.close();
  });

  test('subject view: four sequences from URLs, the mask in its label colours, and the legend', async () => {
    const page = await openPage('subject');
    const voxels = expectedVoxels();
    const labels: LabelInfo[] = [
      { value: LABELS.necrosis, name: 'necrosis', color: [255, 0, 0], voxels: voxels.get(1) ?? 0, volumeMl: (voxels.get(1) ?? 0) / 1000 },
      { value: LABELS.oedema, name: 'oedema', color: [0, 255, 0], voxels: voxels.get(2) ?? 0, volumeMl: (voxels.get(2) ?? 0) / 1000 },
      { value: LABELS.enhancing, name: 'enhancing', color: [255, 255, 0], voxels: voxels.get(4) ?? 0, volumeMl: (voxels.get(4) ?? 0) / 1000 },
    ];
    const init: InitSubjectMessage = {
      type: 'init-subject',
      title: 'sub-01 <synthetic>',
      sequences: SEQUENCES.map((s) => ({ name: s, source: { kind: 'url', name: basename(files.images[s]), url: server.dataUrl(basename(files.images[s])) } })),
      mask: { kind: 'url', name: basename(files.mask), url: server.dataUrl(basename(files.mask)) },
      labels,
      warnings: ['a warning shown as text: <b>not bold</b>'],
    };
    await postToPage(page, init);
    await waitForPosted(page, 'loaded');
    const loaded = (await posted(page)).find((m) => m.type === 'loaded');
    expect(loaded?.volumes?.map((v) => v.name)).toEqual([...SEQUENCES]);
    for (const v of loaded?.volumes ?? []) expect(v.dims).toEqual([...DIMS]);

    // Text from the host is text, never markup.
    expect(await page.locator('.subject-header h1').innerText()).toBe('sub-01 <synthetic>');
    expect(await page.locator('.warning').innerText()).toBe('a warning shown as text: <b>not bold</b>');
    // Legend: names and the volumes given by the host (1 mm voxels: mL = voxels / 1000).
    expect(await page.locator('.legend tbody tr').count()).toBe(3);
    expect(await page.locator('.legend .label-name').allInnerTexts()).toEqual(['necrosis', 'oedema', 'enhancing']);
    expect(await page.locator('[data-testid="volume-1"]').innerText()).toBe(((voxels.get(1) ?? 0) / 1000).toFixed(3));

    await page.screenshot({ path: join(RESULTS, 'webview/subject-page.png') });
    // The mask lies on every sequence's grid: each view shows it as its label drawing.
    for (let i = 0; i < SEQUENCES.length; i++) expect(await page.locator(`#gl-${i}`).getAttribute('data-mask')).toBe('drawing');
    for (let i = 0; i < SEQUENCES.length; i++) {
      const img = await screenshotUntil(page.locator(`#gl-${i}`), `webview/subject-${SEQUENCES[i]}.png`, (im) => summarise(im).counts.red > 0);
      const s = summarise(img);
      const centre = { x: s.stats('red').cx, y: s.stats('red').cy };
      const red = s.stats('red', centre);
      const yellow = s.stats('yellow', centre);
      const green = s.stats('green', centre);
      // Every label shows, in proportion to its cross-section: core r < 6, shells to 10 and 14.
      expect(red.count, `${SEQUENCES[i]}: red pixels`).toBeGreaterThan(50);
      expect(yellow.count, `${SEQUENCES[i]}: yellow pixels`).toBeGreaterThan(red.count);
      expect(green.count, `${SEQUENCES[i]}: green pixels`).toBeGreaterThan(red.count);
      // Where each ROI is: the core in the middle, then the enhancing shell, then the oedema.
      expect(red.meanDistance).toBeLessThan(yellow.meanDistance);
      expect(yellow.meanDistance).toBeLessThan(green.meanDistance);
      // The core's centre is the sphere's: the yellow and green rings are centred on it too.
      expect(Math.hypot(yellow.cx - centre.x, yellow.cy - centre.y)).toBeLessThan(3);
      expect(Math.hypot(green.cx - centre.x, green.cy - centre.y)).toBeLessThan(3);
      // Background around the sphere stays background.
      expect(s.counts.background / s.total).toBeGreaterThan(0.3);
    }

    // Label toggle: necrosis off -> no red left, the shells unchanged.
    const before = summarise(await screenshot(page.locator('#gl-0'), 'webview/subject-T1-before-toggle.png'));
    await page.locator('vscode-checkbox[data-label="1"]').click();
    const off = summarise(
      await screenshotUntil(page.locator('#gl-0'), 'webview/subject-T1-necrosis-off.png', (im) => summarise(im).counts.red === 0),
    );
    expect(off.counts.red).toBe(0);
    expect(off.counts.green).toBeGreaterThan(0.8 * before.counts.green);
    await page.locator('vscode-checkbox[data-label="1"]').click();
    const on = summarise(await screenshotUntil(page.locator('#gl-0'), 'webview/subject-T1-necrosis-on.png', (im) => summarise(im).counts.red > 0));
    expect(on.counts.red).toBeGreaterThan(0.8 * before.counts.red);

    // Overlay opacity 0 -> no label colour anywhere; the grey volume remains.
    await setControl(page, 'overlay-opacity', '0', 'input');
    const clear = summarise(
      await screenshotUntil(page.locator('#gl-1'), 'webview/subject-T1CE-opacity-0.png', (im) => {
        const c = summarise(im).counts;
        return c.red + c.green + c.yellow === 0;
      }),
    );
    expect(clear.counts.red + clear.counts.green + clear.counts.yellow).toBe(0);
    expect(clear.counts.grey / clear.total).toBeGreaterThan(0.03);

    // Linked crosshair: a click left of centre in the T1 view moves the crosshair of the T2 view.
    const t2 = page.locator('#gl-2');
    const x0 = crosshairColumn(await screenshot(t2, 'webview/subject-T2-crosshair-before.png'));
    const box = await page.locator('#gl-0').boundingBox();
    expect(box).not.toBeNull();
    if (!box) return;
    await page.locator('#gl-0').click({ position: { x: box.width * 0.3, y: box.height * 0.5 } });
    const moved = await screenshotUntil(t2, 'webview/subject-T2-crosshair-after.png', (im) => Math.abs(crosshairColumn(im) - x0) > 10);
    const x1 = crosshairColumn(moved);
    expect(x1).toBeLessThan(x0 - 10);
    // The status line: world position, each sequence's value there (outside the sphere: 0).
    expect(await page.locator('#location').innerText()).toMatch(/^-?[\d.]+, -?[\d.]+, -?[\d.]+ mm · T1 0 · T1CE 0 · T2 0 · FLAIR 0$/);
    // Back to the centre: the core's values, and the label's name.
    await page.locator('#gl-0').click({ position: { x: box.width * 0.5, y: box.height * 0.5 } });
    await page.waitForFunction(() => (globalThis as unknown as { document: { getElementById(id: string): { textContent: string } } }).document.getElementById('location').textContent.endsWith('necrosis'));
    expect(await page.locator('#location').innerText()).toMatch(/ mm · T1 300 · T1CE 250 · T2 1200 · FLAIR 600 · necrosis$/);

    expect(await cspViolations(page)).toEqual([]);
    await page.close();
  });

  /** The subject of the first test with `mask` as its mask file (a URL). */
  function subjectInit(mask: string): InitSubjectMessage {
    const voxels = expectedVoxels();
    return {
      type: 'init-subject',
      title: 'sub-01',
      sequences: SEQUENCES.map((s) => ({ name: s, source: { kind: 'url', name: basename(files.images[s]), url: server.dataUrl(basename(files.images[s])) } })),
      mask: { kind: 'url', name: basename(mask), url: server.dataUrl(basename(mask)) },
      labels: [
        { value: LABELS.necrosis, name: 'necrosis', color: [255, 0, 0], voxels: voxels.get(1) ?? 0, volumeMl: 0 },
        { value: LABELS.oedema, name: 'oedema', color: [0, 255, 0], voxels: voxels.get(2) ?? 0, volumeMl: 0 },
        { value: LABELS.enhancing, name: 'enhancing', color: [255, 255, 0], voxels: voxels.get(4) ?? 0, volumeMl: 0 },
      ],
      warnings: [],
    };
  }

  test('subject view: a mask off the sequences\' grid is overlaid by world coordinates, its labels still toggle', async () => {
    // The same labels with the grid moved 2 mm along x: not the sequences' grid, so the page
    // cannot use it as a drawing (indexed by the sequence's voxels) and overlays it instead.
    const shifted = join(dir, 'sub-01_seg-shifted.nii.gz');
    const affine = diagonalAffine(SPACING, [2, 0, 0]);
    writeNifti(shifted, { dims: DIMS, spacing: SPACING, affine, data: maskData() });
    const page = await openPage('subject');
    await postToPage(page, subjectInit(shifted));
    await waitForPosted(page, 'loaded');
    for (let i = 0; i < SEQUENCES.length; i++) expect(await page.locator(`#gl-${i}`).getAttribute('data-mask')).toBe('overlay');
    const img = await screenshotUntil(page.locator('#gl-0'), 'webview/subject-overlay-T1.png', (im) => summarise(im).counts.red > 0);
    const s = summarise(img);
    expect(s.counts.red).toBeGreaterThan(50);
    expect(s.counts.yellow).toBeGreaterThan(s.counts.red);
    expect(s.counts.green).toBeGreaterThan(s.counts.red);
    await page.locator('vscode-checkbox[data-label="1"]').click();
    const off = summarise(await screenshotUntil(page.locator('#gl-0'), 'webview/subject-overlay-T1-necrosis-off.png', (im) => summarise(im).counts.red === 0));
    expect(off.counts.red).toBe(0);
    expect(off.counts.green).toBeGreaterThan(0.8 * s.counts.green);
    expect(await cspViolations(page)).toEqual([]);
    await page.close();
  });

  test('subject view: the 3D render view draws the volumes (its gradient texture made when first shown)', async () => {
    const page = await openPage('subject');
    await postToPage(page, subjectInit(files.mask));
    await waitForPosted(page, 'loaded');
    const axial = summarise(await screenshot(page.locator('#gl-0'), 'webview/subject-render-before.png'));
    await setControl(page, 'orientation', 'render', 'change');
    // The render shows the sphere's surface, which the mask's outer shell (oedema, green) covers:
    // a green disc, the red core hidden inside.
    const render = summarise(
      await screenshotUntil(page.locator('#gl-0'), 'webview/subject-render.png', (im) => {
        const c = summarise(im).counts;
        return c.green > 0 && c.red === 0;
      }),
    );
    expect(render.counts.green / render.total).toBeGreaterThan(0.03);
    expect(render.counts.red).toBe(0);
    expect(axial.counts.red).toBeGreaterThan(0);
    expect(await cspViolations(page)).toEqual([]);
    await page.close();
  });

  test('a host refusal (e.g. the size limit) is shown as text in place of the viewer', async () => {
    const page = await openPage('viewer');
    await postToPage(page, { type: 'show-error', message: 'big.nii is 1.5 GiB uncompressed, above the limit' });
    expect(await page.locator('[data-testid="message-error"]').innerText()).toContain('big.nii is 1.5 GiB uncompressed');
    expect(await page.locator('body').getAttribute('data-state')).toBe('error');
    await page.close();
  });

  test('the policy blocks what it should, and the page reports each violation to the host', async () => {
    const page = await openPage('viewer');
    // A remote image, an inline <style> and a script without the nonce: all outside the policy.
    await page.evaluate(() => {
      const d = (globalThis as unknown as { document: { createElement(t: string): Record<string, unknown> & { textContent: string }; body: { append(n: unknown): void } } }).document;
      const img = d.createElement('img');
      img.src = 'https://example.invalid/pixel.png';
      const style = d.createElement('style');
      style.textContent = 'body { color: red }';
      const script = d.createElement('script');
      script.textContent = 'window.__rgsInjected = true';
      d.body.append(img);
      d.body.append(style);
      d.body.append(script);
    });
    await page.waitForFunction(() => (globalThis as unknown as { __rgsPosted: { type: string }[] }).__rgsPosted.filter((m) => m.type === 'csp-violation').length >= 3);
    const reported = (await posted(page)).filter((m) => m.type === 'csp-violation') as unknown as { directive: string; blocked: string }[];
    expect(reported.map((v) => v.directive).sort()).toEqual(['img-src', 'script-src-elem', 'style-src-elem']);
    expect(reported.find((v) => v.directive === 'img-src')?.blocked).toBe('https://example.invalid/pixel.png');
    expect(await page.evaluate(() => (globalThis as unknown as { __rgsInjected?: boolean }).__rgsInjected)).toBeUndefined();
    await page.close();
  });

  test('a malformed message is reported back and ignored', async () => {
    const page = await openPage('viewer');
    await postToPage(page, { type: 'init-viewer', volume: { kind: 'file', path: '/etc/passwd' } });
    await waitForPosted(page, 'error');
    const err = (await posted(page)).find((m) => m.type === 'error');
    expect(err?.code).toBe('bad-message');
    expect(await page.locator('body').getAttribute('data-state')).toBe('ready');
    await page.close();
  });
});

describe.skipIf(skip !== null)('webview app without WebGL', () => {
  test('says clearly that WebGL2 is unavailable, and tells the host instead of asking for data', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rgs-webview-nogl-'));
    const server = await startPageServer(dir);
    const browser = await launchChromium({ webgl: false });
    try {
      const page = await browser.newPage({ viewport: VIEWPORT });
      await page.goto(server.pageUrl('viewer'));
      await page.waitForSelector('body[data-state="no-webgl2"]', { timeout: 30_000 });
      expect(await page.locator('[data-testid="message-error"] h2').innerText()).toBe('WebGL2 is not available');
      expect(await page.locator('[data-testid="message-error"] p').innerText()).toContain('hardware acceleration');
      const msgs = await posted(page);
      expect(msgs).toEqual([{ type: 'error', code: 'webgl2-unavailable', message: 'WebGL2 is not available' }]);
      await page.screenshot({ path: join(RESULTS, 'webview/no-webgl2.png') });
      expect(await cspViolations(page)).toEqual([]);
    } finally {
      await browser.close();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
