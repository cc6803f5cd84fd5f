/**
 * The extension through the workbench, as a user drives it: code-server 4.100.3 serves VS Code
 * with this repository as the extension under development (the `payload` query parameter, as in
 * extension-host.e2e.ts, but without a test module, so the window stays open) on a temporary
 * workspace holding a small synthetic cohort (test/vscode/ui/cohort.ts): 32 subjects of a tiny
 * T1 volume with a two-label mask, a binary outcome that follows the tumour's intensity, a study
 * file and a Radiogenomics notebook whose cells extract first-order features and run a
 * cross-validated lasso.
 *
 * Only keys and clicks, never the extension API:
 * 1. Quick Open (Ctrl+P) opens analysis.rgnb; the Radiogenomics kernel is selected (VS Code picks
 *    the only kernel itself; picked in its quick pick if asked); the toolbar's Run All; the
 *    cells are walked with the keyboard until every code cell shows success. In the notebook's
 *    output webview the feature-table renderer drew its table (IBSI identifiers in the header,
 *    one row per subject) and the ROC renderer its curve (path, AUC in the legend, coloured
 *    pixels on screen). Negative control: after the toolbar's Clear All Outputs the same checks
 *    report the renderers' output missing.
 * 2. Quick Open opens cohort.study.yaml; its "Open subject in viewer" code lens, the subject
 *    picked in the quick pick; the subject view's canvas shows the mask overlay in the label
 *    colours (red core, green rim) over the grey image, and its legend the label volumes this
 *    file counts from the mask it wrote. Negative control: unticking both labels' Show boxes
 *    clears the colours from the same canvas.
 *
 * Screenshots: test-results/vscode/ui/*.png (listed in the output). The page's console errors,
 * and code-server's output on failure, go to test-results/vscode/ui/workbench.log.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { Browser, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, onTestFailed, test } from 'vitest';
import { RESULTS, ROOT, browserSkipReason, launchChromium, screenshotUntil } from '../webview/harness';
import { decodePng } from '../webview/png';
import { summarise, type PixelClass } from '../webview/pixels';
import { codeServerSkipReason, startCodeServer, type CodeServer } from './code-server';
import { featureTableFacts, featureTableProblem, colouredPixels, rocFacts, rocProblem } from './ui/checks';
import { LABELS, NOTEBOOK_FILE, STUDY_FILE, maskMillilitres, writeCohort, type Cohort } from './ui/cohort';
import {
  ensureKernel,
  notebookAction,
  notebookEditor,
  openWorkbench,
  quickOpen,
  answerQuickPick,
  screenshot,
  scrollNotebookTo,
  tab,
  until,
  waitForAllCells,
  webviewWith,
  type Workbench,
} from './ui/workbench';

const BUNDLES = ['dist/extension.js', 'dist/renderers/feature-table.js', 'dist/renderers/roc.js'];
const missing = BUNDLES.find((f) => !existsSync(join(ROOT, f)));
const skip = codeServerSkipReason() ?? browserSkipReason() ?? (missing ? `${missing} is missing: run npm run build` : null);

const SHOTS = join(RESULTS, 'vscode', 'ui');
const KERNEL = 'Radiogenomics';
/** The subject opened in the viewer (a high-grade one). */
const SUBJECT = 'S002';
/** The cohort's outcome follows the tumour's intensity: the out-of-fold AUC is 0.969. */
const MIN_AUC = 0.75;

/** Wait until the editor tab labelled `label` is the active one. */
async function activeTab(p: Page, label: string, timeoutMs = 60_000): Promise<void> {
  await until(`the tab "${label}" to be active`, async () => ((await tab(p, label).first().getAttribute('class', { timeout: 1000 }))?.split(' ').includes('active') ? true : undefined), timeoutMs);
}

const TITLE = 'the extension through the workbench UI (code-server 4.100.3, keys and clicks)';

describe.skipIf(skip !== null)(skip === null ? TITLE : `${TITLE}: skipped, ${skip}`, () => {
  let tmp = '';
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let wb: Workbench | undefined;
  let cohort: Cohort;
  let failed = false;
  const shots: string[] = [];
  const started = Date.now();

  /** A screenshot of the whole window (or a part of it) under test-results/vscode/ui/. */
  const shoot = async (name: string, clip?: { x: number; y: number; width: number; height: number }): Promise<Buffer> => {
    if (!wb) throw new Error('the workbench is not open');
    const file = join(SHOTS, `${name}.png`);
    const png = await screenshot(wb.page, file, clip);
    shots.push(relative(ROOT, file));
    console.log(`screenshot: ${relative(ROOT, file)}`);
    return png;
  };
  const page = () => {
    if (!wb) throw new Error('the workbench is not open');
    return wb.page;
  };
  const markFailed = () =>
    onTestFailed(async () => {
      failed = true;
      if (wb) await screenshot(wb.page, join(SHOTS, 'failure.png')).catch(() => undefined);
    });

  beforeAll(async () => {
    rmSync(SHOTS, { recursive: true, force: true });
    mkdirSync(SHOTS, { recursive: true });
    tmp = mkdtempSync(join(tmpdir(), 'rgs-workbench-ui-'));
    try {
      const workspace = join(tmp, 'workspace');
      cohort = writeCohort(workspace);
      server = await startCodeServer({ dataDir: join(tmp, 'code-server'), workspace, startTimeoutMs: 90_000 });
      browser = await launchChromium({ webgl: true });
      wb = await openWorkbench(browser, server, workspace, ROOT);
      await shoot('01-workbench');
    } catch (e) {
      failed = true;
      throw e;
    }
  }, 180_000);

  afterAll(async () => {
    const log = [...(wb?.log ?? []), ...(failed && server ? ['--- code-server ---', server.output.join('').slice(-8000)] : [])];
    writeFileSync(join(SHOTS, 'workbench.log'), log.join('\n') + '\n');
    await wb?.context.close();
    await browser?.close();
    await server?.stop();
    if (failed) console.log(`kept the workspace and code-server's logs for a look: ${tmp}`);
    else if (tmp !== '') rmSync(tmp, { recursive: true, force: true });
    console.log(`workbench UI test: ${((Date.now() - started) / 1000).toFixed(1)} s; screenshots:\n  ${shots.join('\n  ')}`);
  });

  test('opens the notebook, runs all its cells, and the renderers draw the feature table and the ROC curve', async () => {
    markFailed();
    const p = page();
    await quickOpen(p, NOTEBOOK_FILE);
    await notebookEditor(p).locator('.monaco-list-row').first().waitFor({ state: 'attached', timeout: 60_000 });
    await activeTab(p, NOTEBOOK_FILE);
    await ensureKernel(p, KERNEL);
    await shoot('02-notebook-opened');

    const t0 = Date.now();
    await notebookAction(p, 'Run All').click();
    const cells = await waitForAllCells(p, 120_000);
    console.log(`cells after Run All (${((Date.now() - t0) / 1000).toFixed(1)} s): ${cells.map((c) => `${c.index + 1} ${c.kind} ${c.state} ${c.status}`).join('; ')}`);
    const outputs: Frame = await webviewWith(p, '.cell_container .output', "the notebook's output webview");
    const outputText = async () => (await outputs.locator('body').innerText()).slice(0, 3000);
    expect(cells.map((c) => c.kind)).toEqual(['markdown', 'code', 'code']);
    expect(cells.filter((c) => c.kind === 'code').map((c) => c.state), `the cells' outputs:\n${await outputText()}`).toEqual(['success', 'success']);

    // The feature table: in the output webview, drawn by the renderer, then on screen.
    const table = await until('the feature table to be drawn', async () => {
      const f = await featureTableFacts(outputs);
      return f !== null && f.rows.length === cohort.subjects.length ? f : undefined;
    }, 30_000);
    expect(featureTableProblem(table, cohort.subjects, 10, 'Q4LE')).toBeNull();
    await scrollNotebookTo(p, outputs.locator('.rgs-feature-table').first(), 'the feature table');
    await shoot('03-feature-table');

    // The ROC chart: the renderer's SVG with its curve and AUC, scrolled into view, its pixels.
    const chart = outputs.locator('.rgs-roc svg.rgs-chart').first();
    await chart.waitFor({ state: 'attached', timeout: 30_000 }).catch(() => undefined);
    if ((await chart.count()) === 0) {
      const last = (await outputs.locator('.cell_container').last().innerText()).slice(0, 1500);
      expect(rocProblem(null, 0, MIN_AUC), `the last cell's outputs:\n${last}`).toBeNull();
    }
    const box = await scrollNotebookTo(p, chart, 'the ROC chart');
    await shoot('04-roc');
    const img = decodePng(await shoot('04-roc-chart', box));
    const roc = await rocFacts(outputs);
    const coloured = colouredPixels(img);
    console.log(`ROC: ${roc?.curves} curve(s), ${roc?.points} points, ${coloured} coloured pixels; legend: ${roc?.legend.join(' | ')}`);
    expect(rocProblem(roc, coloured, MIN_AUC)).toBeNull();

    // Negative control: Clear All Outputs (toolbar) removes the renderers' output; the same
    // checks must then fail, on the DOM and on the pixels of the same part of the screen.
    await notebookAction(p, 'Clear All Outputs').click();
    await until('the outputs to be cleared', async () => ((await outputs.locator('.rgs-root').count()) === 0 ? true : undefined), 30_000);
    await shoot('05-outputs-cleared');
    const clearedImg = decodePng(await shoot('05-outputs-cleared-chart-area', box));
    expect(rocProblem(await rocFacts(outputs), colouredPixels(clearedImg), MIN_AUC)).toMatch(/no ROC chart/);
    expect(rocProblem(roc, colouredPixels(clearedImg), MIN_AUC)).toMatch(/coloured pixels/);
    expect(featureTableProblem(await featureTableFacts(outputs), cohort.subjects, 10, 'Q4LE')).toMatch(/no feature table/);
  }, 180_000);

  test('opens a subject from the study file\'s code lens: the subject view shows the mask overlay in colour', async () => {
    markFailed();
    const p = page();
    await quickOpen(p, STUDY_FILE);
    await activeTab(p, STUDY_FILE);
    // The lenses come from the language server once it has read the study.
    const lens = p.locator('.monaco-editor .codelens-decoration a', { hasText: 'Open subject in viewer' });
    await lens.waitFor({ timeout: 90_000 });
    await shoot('06-study-code-lens');
    await lens.click();
    await answerQuickPick(p, SUBJECT, SUBJECT);
    await activeTab(p, `Subject: ${SUBJECT}`);

    const view = await webviewWith(p, '#gl-0', 'the subject view');
    const canvas = view.locator('#gl-0');
    const counts = (img: Parameters<typeof summarise>[0]): Record<PixelClass, number> => summarise(img).counts;
    const overlay = (c: Record<PixelClass, number>) => c.red > 50 && c.green > 50 && c.grey > 50;
    const img = await screenshotUntil(canvas, 'vscode/ui/07-subject-canvas.png', (i) => overlay(counts(i)), 60_000);
    shots.push('test-results/vscode/ui/07-subject-canvas.png');
    await shoot('07-subject-view');
    const c = counts(img);
    console.log(`subject view canvas pixels: ${JSON.stringify(c)}`);
    expect(c.red, 'core (label 1) pixels in red').toBeGreaterThan(50);
    expect(c.green, 'rim (label 2) pixels in green').toBeGreaterThan(50);
    expect(c.grey, 'image pixels in grey').toBeGreaterThan(50);
    // The rim surrounds the core, so it covers more of any slice through the centre.
    expect(c.green).toBeGreaterThan(c.red);
    // The legend: the label names and the volumes this test counts from the mask it wrote.
    const legend = await view.locator('body').innerText();
    for (const [name, value] of Object.entries(LABELS)) {
      expect(legend).toMatch(new RegExp(`${name}\\s+${value}\\s+${maskMillilitres(value).toFixed(3).replace('.', '\\.')}`));
    }

    // Negative control: untick both labels (their Show boxes); the colours leave the canvas.
    for (const name of Object.keys(LABELS)) await view.locator(`vscode-checkbox[aria-label="Show ${name}"]`).click();
    const hidden = counts(await screenshotUntil(canvas, 'vscode/ui/08-subject-labels-hidden.png', (i) => !overlay(counts(i)), 30_000));
    shots.push('test-results/vscode/ui/08-subject-labels-hidden.png');
    console.log(`with the labels hidden: ${JSON.stringify(hidden)}`);
    expect(overlay(hidden), 'the overlay check fails once the labels are hidden').toBe(false);
    expect(hidden.red + hidden.green).toBeLessThan((c.red + c.green) / 10);
    expect(hidden.grey).toBeGreaterThan(50);
  }, 120_000);
});
