/**
 * The notebook output renderers, each on a standalone page in Chromium (playwright-core driving
 * Debian's /usr/bin/chromium): the renderer module is bundled as VS Code loads it (esbuild, ESM,
 * browser), imported by the page, activated, and given one output item built from sample data
 * with the kernel's own chart builders. The checks count the drawn elements and read their text.
 * The page sets VS Code's theme variables, as a notebook output webview does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { diagonalAffine, type Vec3 } from '../../src/engine/image/volume';
import { writeNifti } from '../../src/engine/io/nifti';
import { calibrationChart, coefficientsChart, kmChart, rocChart } from '../../src/kernel/charts';
import {
  CALIBRATION_MIME,
  COEFFICIENTS_MIME,
  FEATURE_TABLE_MIME,
  KM_MIME,
  ROC_MIME,
  VOLUME_MIME,
  type FeatureTableJson,
} from '../../src/kernel/mime-types';
import { volumeOutput } from '../../src/kernel/volume-output';
import { CHROMIUM, launchChromium } from '../webview/harness';

const RENDERERS = ['feature-table', 'roc', 'calibration', 'km', 'coefficients', 'volume'];
const ORIGIN = 'http://renderers.test';

let browser: Browser;
let dir: string;
const bundles = new Map<string, string>();

const PAGE = `<!doctype html><html><head><meta charset="utf-8"><style>
body { --vscode-foreground: #cccccc; --vscode-editor-background: #1e1e1e; --vscode-charts-blue: #112233;
       --vscode-charts-orange: #d18616; --vscode-charts-lines: #808080; --vscode-font-family: sans-serif;
       background: #1e1e1e; color: #cccccc; }
</style>
<script type="module">
// What VS Code does with a renderer: import its module, activate it, hand it output items.
window.renderItem = async (name, mime, json) => {
  const mod = await import('/' + name + '.js');
  const api = mod.activate({ workspace: { isTrusted: true } });
  const item = { id: 'out-1', mime, json: () => json, text: () => JSON.stringify(json), data: () => new TextEncoder().encode(JSON.stringify(json)) };
  await api.renderOutputItem(item, document.getElementById('out'));
};
</script></head><body><div id="out"></div></body></html>`;

/** Render one output item on a fresh page; resolves when renderOutputItem has finished. */
async function render(name: string, mime: string, json: unknown): Promise<Page> {
  const page = await browser.newPage();
  page.on('pageerror', (e) => console.error(`[${name}] page error: ${e.message}`));
  await page.route(`${ORIGIN}/**`, async (route) => {
    const path = new URL(route.request().url()).pathname.slice(1);
    if (path === 'index.html') return route.fulfill({ contentType: 'text/html', body: PAGE });
    const js = bundles.get(path.replace(/\.js$/, ''));
    return js !== undefined ? route.fulfill({ contentType: 'text/javascript', body: js }) : route.fulfill({ status: 404, body: '' });
  });
  await page.goto(`${ORIGIN}/index.html`);
  // (The callbacks run in the page; the test's tsconfig has no DOM types, hence globalThis.)
  await page.waitForFunction(() => 'renderItem' in globalThis);
  await page.evaluate(({ name, mime, json }) => (globalThis as unknown as { renderItem: (n: string, m: string, j: unknown) => Promise<void> }).renderItem(name, mime, json), { name, mime, json });
  return page;
}

const count = (page: Page, selector: string) => page.locator(selector).count();
const texts = (page: Page, selector: string) => page.locator(selector).allTextContents();

const skip = existsSync(CHROMIUM) ? null : `${CHROMIUM} is missing (apt-get install -y chromium)`;

describe.skipIf(skip !== null)('notebook renderers in Chromium', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rgs-renderers-'));
    const out = await build({
      entryPoints: Object.fromEntries(RENDERERS.map((r) => [r, `notebook-renderers/src/${r}.ts`])),
      outdir: join(dir, 'bundle'),
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      write: false,
      logLevel: 'error',
    });
    for (const f of out.outputFiles) if (f.path.endsWith('.js')) bundles.set(f.path.split('/').pop()!.replace(/\.js$/, ''), f.text);
    browser = await launchChromium({ webgl: true });
  });

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('ROC: one curve and one band per model, the chance line, AUC with its interval', async () => {
    // 4 positives, 4 negatives; positive-negative pairs ranked correctly: 4 + 4 + 3 + 3 = 14 of 16 -> AUC 0.875.
    const labels = [1, 1, 1, 1, 0, 0, 0, 0];
    const doc = rocChart(
      [
        { label: 'radiomics', labels, scores: [0.9, 0.8, 0.4, 0.35, 0.7, 0.3, 0.2, 0.1] },
        { label: 'clinical', labels, scores: [0.6, 0.5, 0.4, 0.3, 0.55, 0.45, 0.35, 0.25] },
      ],
      { title: 'IDH1', replicates: 200, seed: 7 },
    );
    expect(doc.curves[0].auc).toBe(0.875);
    const page = await render('roc', ROC_MIME, doc);
    expect(await count(page, 'svg.rgs-roc path.rgs-curve')).toBe(2);
    expect(await count(page, 'svg.rgs-roc path.rgs-band')).toBe(2);
    expect(await count(page, 'svg.rgs-roc path.rgs-diagonal')).toBe(1);
    const legend = await texts(page, '.rgs-legend span.rgs-legend-item');
    expect(legend[0]).toMatch(/^radiomics: AUC 0\.875 \(95% CI 0\.\d{3}–(0\.\d{3}|1\.000), DeLong\), 4 positive \/ 4 negative$/);
    expect(await page.locator('.rgs-title').textContent()).toBe('IDH1');
    // Theme-aware: the first series is drawn in the theme's --vscode-charts-blue.
    expect(await page.locator('path.rgs-curve.rgs-s0').evaluate((e) => (globalThis as unknown as { getComputedStyle(x: unknown): { stroke: string } }).getComputedStyle(e).stroke)).toBe('rgb(17, 34, 51)');
    // The curve passes through the hand-checked points: 9 points (8 distinct scores + the origin).
    const d = await page.locator('path.rgs-curve.rgs-s0').getAttribute('d');
    expect(d?.match(/[ML]/g)).toHaveLength(9);
    await page.close();
  });

  it('calibration: a point and a whisker per group, the ideal line, slope and Brier in the legend', async () => {
    const n = 60;
    const probabilities = Array.from({ length: n }, (_, i) => 0.05 + (0.9 * i) / (n - 1));
    // Outcome 1 for every third subject among the low half and two of three among the high half.
    const labels = probabilities.map((p, i) => (p < 0.5 ? (i % 3 === 0 ? 1 : 0) : i % 3 === 0 ? 0 : 1));
    const doc = calibrationChart([{ label: 'logistic', labels, probabilities }], { bins: 6 });
    const page = await render('calibration', CALIBRATION_MIME, doc);
    expect(await count(page, 'circle.rgs-point')).toBe(6);
    expect(await count(page, 'path.rgs-whisker')).toBe(6);
    expect(await count(page, 'rect.rgs-hist')).toBe(6);
    expect(await count(page, 'path.rgs-diagonal')).toBe(1);
    const legend = (await texts(page, '.rgs-legend > span')).join(' ');
    expect(legend).toMatch(/logistic: slope [-\d.]+, calibration-in-the-large [-\d.e]+, Brier 0\.\d+/);
    // 10 subjects per group; the first group's tooltip names them.
    expect(await page.locator('circle.rgs-point title').first().textContent()).toMatch(/\(n = 10\)$/);
    await page.close();
  });

  it('Kaplan-Meier: a step curve and censoring ticks per group, numbers at risk under the plot, log-rank p', async () => {
    // A: times 2 4 6 8 10, events at 2, 6, 8. B: times 1 3 5 7 9 11, events at 1, 3, 7, 9.
    const time = [2, 4, 6, 8, 10, 1, 3, 5, 7, 9, 11];
    const status = [1, 0, 1, 1, 0, 1, 1, 0, 1, 1, 0];
    const groups = ['A', 'A', 'A', 'A', 'A', 'B', 'B', 'B', 'B', 'B', 'B'];
    const doc = kmChart({ time, status, groups }, { timeUnit: 'months', atRiskTimes: [0, 5, 10] });
    // S_A: 4/5 after t=2, x 2/3 after t=6 (3 at risk), x 1/2 after t=8 (2 at risk).
    expect(doc.groups[0].survival).toEqual([0.8, 0.8, 0.533333, 0.266667, 0.266667]);
    const page = await render('km', KM_MIME, doc);
    expect(await count(page, 'path.rgs-curve')).toBe(2);
    expect(await count(page, 'path.rgs-censor')).toBe(2);
    expect(await count(page, 'path.rgs-band')).toBe(2);
    // Numbers at risk at 0, 5, 10 months: A has 5, 3 (6, 8, 10), 1 (10); B 6, 4 (5, 7, 9, 11), 1 (11).
    expect(await texts(page, 'text.rgs-at-risk-count[data-group="0"]')).toEqual(['5', '3', '1']);
    expect(await texts(page, 'text.rgs-at-risk-count[data-group="1"]')).toEqual(['6', '4', '1']);
    expect(await texts(page, 'text.rgs-at-risk-label')).toEqual(['A', 'B']);
    expect(await page.locator('.rgs-logrank').textContent()).toMatch(/^Log-rank test: χ² = [\d.]+, df = 1, p = 0\.\d+$/);
    const legend = (await texts(page, '.rgs-legend > span')).join(' | ');
    expect(legend).toContain('A (n = 5, 3 events, median 8 months)');
    // Censoring ticks: A at 4 and 10 (two segments), B at 5 and 11.
    expect((await page.locator('path.rgs-censor.rgs-s0').getAttribute('d'))?.match(/M/g)).toHaveLength(2);
    await page.close();
  });

  it('coefficients: a bar and a stability bar per term, largest first, threshold marked', async () => {
    const doc = coefficientsChart(
      [
        { name: 'T1CE.enhancing.stat.mean_intensity', value: 0.42, lower: 0.1, upper: 0.7, stability: 0.9, ibsi: 'Q4LE' },
        { name: 'FLAIR.oedema.morph.sphericity', value: -0.8, stability: 1 },
        { name: 'T2.whole_tumour.cm.joint_entropy.3d_averaged', value: 0.15, stability: 0.55 },
        { name: 'T1.necrosis.ih.entropy', value: 0, stability: 0.2 },
        { name: 'dropped', value: 0 },
      ],
      { model: 'LASSO-Cox', valueLabel: 'log hazard ratio per SD', stabilityLabel: 'selected in 50 bootstrap fits', threshold: 0.6 },
    );
    const page = await render('coefficients', COEFFICIENTS_MIME, doc);
    // Largest magnitude first; the zero term kept for its stability, the other dropped. Names over
    // 42 characters keep their end (the distinguishing part) after an ellipsis.
    expect(await texts(page, 'text.rgs-coef-label')).toEqual(['FLAIR.oedema.morph.sphericity', 'T1CE.enhancing.stat.mean_intensity', '…whole_tumour.cm.joint_entropy.3d_averaged', 'T1.necrosis.ih.entropy']);
    expect(await count(page, 'rect.rgs-bar')).toBe(4);
    expect(await count(page, 'rect.rgs-bar.rgs-neg')).toBe(1);
    expect(await count(page, 'rect.rgs-stability')).toBe(4);
    expect(await texts(page, 'text.rgs-stability-text')).toEqual(['100%', '90%', '55%', '20%']);
    expect(await count(page, 'path.rgs-whisker')).toBe(1);
    expect(await count(page, 'path.rgs-threshold')).toBe(1);
    await page.close();
  });

  it('feature table: rows, IBSI codes, sparklines; sorting and both filters', async () => {
    const doc: FeatureTableJson = {
      version: 1,
      title: 'features',
      rowLabel: 'subject_id',
      rows: ['S-01', 'S-02', 'S-03'],
      columns: [
        { name: 'T1.core.stat.mean_intensity', values: [3.5, 1.25, 2], ibsi: 'Q4LE', family: 'stat', feature: 'Mean intensity', sequence: 'T1', roi: 'core', aggregation: '' },
        { name: 'T1.core.morph.sphericity', values: [0.8, null, 0.6], ibsi: 'QCFX', family: 'morph', feature: 'Sphericity', sequence: 'T1', roi: 'core', aggregation: '' },
        { name: 'T1.core.cm.joint_maximum.3d_averaged', values: [0.1, 0.2, 0.3], ibsi: 'GYBY', family: 'cm', feature: 'Joint maximum', sequence: 'T1', roi: 'core', aggregation: '3D, averaged' },
        { name: 'FLAIR.rim.stat.mean_intensity', values: [10, 20, 30], ibsi: 'Q4LE', family: 'stat', feature: 'Mean intensity', sequence: 'FLAIR', roi: 'rim' },
        { name: 'site', values: ['A', 'B', 'A'] },
        { name: 'empty', values: [null, null, null] },
      ],
    };
    const page = await render('feature-table', FEATURE_TABLE_MIME, doc);
    expect(await count(page, 'table.rgs-table tbody tr')).toBe(3);
    expect(await count(page, 'table.rgs-table thead th')).toBe(7);
    // A sparkline for each numeric column (not `site`, not the all-missing one); bars = occupied bins.
    expect(await count(page, 'thead svg.rgs-spark')).toBe(4);
    expect(await count(page, 'thead th[data-column="T1.core.stat.mean_intensity"] svg.rgs-spark rect')).toBe(3);
    expect(await page.locator('th[data-column="T1.core.cm.joint_maximum.3d_averaged"] .rgs-code').textContent()).toBe('GYBY · 3D, averaged');
    expect(await page.locator('th[data-column="T1.core.stat.mean_intensity"] .rgs-where').textContent()).toBe('T1 · core');
    expect(await texts(page, 'tbody tr:nth-child(2) td')).toEqual(['S-02', '1.25', '—', '0.2', '20', 'B', '—']);
    // Sort by mean intensity: ascending, then descending.
    const th = page.locator('th[data-column="T1.core.stat.mean_intensity"]');
    await th.click();
    expect(await texts(page, 'tbody td.rgs-key')).toEqual(['S-02', 'S-03', 'S-01']);
    await page.locator('th[data-column="T1.core.stat.mean_intensity"]').click();
    expect(await texts(page, 'tbody td.rgs-key')).toEqual(['S-01', 'S-03', 'S-02']);
    // Missing values sort last either way.
    await page.locator('th[data-column="T1.core.morph.sphericity"]').click();
    expect(await texts(page, 'tbody td.rgs-key')).toEqual(['S-03', 'S-01', 'S-02']);
    // Column filter by IBSI code, then by words.
    await page.locator('input.rgs-col-filter').fill('q4le');
    expect(await page.locator('thead th[data-column]').evaluateAll((ths) => ths.map((t) => t.getAttribute('data-column')))).toEqual(['T1.core.stat.mean_intensity', 'FLAIR.rim.stat.mean_intensity']);
    await page.locator('input.rgs-col-filter').fill('T1 averaged');
    expect(await count(page, 'thead th[data-column]')).toBe(1);
    await page.locator('input.rgs-row-filter').fill('03');
    expect(await texts(page, 'tbody td.rgs-key')).toEqual(['S-03']);
    expect(await page.locator('.rgs-count').textContent()).toBe('1 of 3 subjects, 1 of 6 columns');
    await page.close();
  });

  it('volume: NiiVue draws the image with its mask from the JSON alone, with the label legend', async () => {
    const dims: Vec3 = [12, 12, 6];
    const spacing: Vec3 = [1, 1, 2];
    const n = dims[0] * dims[1] * dims[2];
    const img = new Int16Array(n).map((_, v) => (v * 37) % 200);
    const mask = new Uint8Array(n).map((_, v) => {
      const i = v % 12;
      const j = Math.floor(v / 12) % 12;
      const k = Math.floor(v / 144);
      return i >= 4 && i < 8 && j >= 4 && j < 8 && k >= 2 && k < 4 ? 1 : i >= 3 && i < 9 && j >= 3 && j < 9 && k >= 1 && k < 5 ? 2 : 0;
    });
    writeNifti(join(dir, 't1.nii.gz'), { dims, spacing, affine: diagonalAffine(spacing), data: img });
    writeNifti(join(dir, 'seg.nii.gz'), { dims, spacing, affine: diagonalAffine(spacing), data: mask });
    const doc = volumeOutput(join(dir, 't1.nii.gz'), join(dir, 'seg.nii.gz'), { title: 'S-01: T1', labels: { core: 1, rim: 2 }, margin: 1 });
    // The mask spans i, j in 3..8 and k in 1..4: cropped with a 1-voxel margin to 8 x 8 x 6.
    expect(doc.note).toBe("cropped to the mask's bounding box + 1 voxels: 8 x 8 x 6 of 12 x 12 x 6 voxels");
    const page = await render('volume', VOLUME_MIME, doc);
    const root = page.locator('.rgs-volume');
    await expect.poll(() => root.getAttribute('data-state'), { timeout: 30_000 }).toMatch(/loaded|no-webgl|error/);
    expect(await root.getAttribute('data-state')).toBe('loaded');
    expect(await root.getAttribute('data-dims')).toBe('8x8x6');
    expect(await root.getAttribute('data-volumes')).toBe('2');
    expect(await count(page, '.rgs-volume canvas')).toBe(1);
    expect(await texts(page, '.rgs-labels .rgs-label')).toEqual(['core (1)', 'rim (2)']);
    await page.close();
  });

  it('a document that does not match its schema is refused visibly', async () => {
    const page = await render('roc', ROC_MIME, { version: 1, curves: [{ label: 'x', fpr: [0, 1], tpr: [0] }] });
    expect(await page.locator('.rgs-error').textContent()).toBe(`Cannot draw this ${ROC_MIME} output: curve x: fpr and tpr differ in length.`);
    expect(await count(page, 'svg')).toBe(0);
    await page.close();
    const page2 = await render('km', KM_MIME, { version: 2, groups: [] });
    expect(await page2.locator('.rgs-error').textContent()).toMatch(/unsupported version 2/);
    await page2.close();
  });
});
