/**
 * Driving the VS Code workbench (code-server 4.100.3 in Chromium) the way a user does: keys,
 * clicks: Quick Open, the notebook's toolbar and cell list, code lenses, quick picks.
 * Nothing here calls the extension API; state is read from the DOM (VS Code 1.100's class names,
 * as in the project's notes on testing in a real VS Code) and from the webviews' own pages.
 *
 * Every wait is on a condition, with a timeout that says what it waited for.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Browser, BrowserContext, Frame, Locator, Page } from 'playwright-core';
import { type CodeServer, workbenchUrl } from '../code-server';

/** Poll `get` until it returns a value other than undefined, or throw saying what was awaited. */
export async function until<T>(what: string, get: () => Promise<T | undefined> | T | undefined, timeoutMs: number, intervalMs = 250): Promise<T> {
  const end = Date.now() + timeoutMs;
  let lastError: unknown = null;
  for (;;) {
    try {
      const v = await get();
      if (v !== undefined) return v;
    } catch (e) {
      // A frame detached or an element re-rendered while we looked: look again.
      lastError = e;
    }
    if (Date.now() > end) {
      const why = lastError instanceof Error ? ` (last error: ${lastError.message.split('\n')[0]})` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${why}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export interface Workbench {
  context: BrowserContext;
  page: Page;
  /** The page's console errors and uncaught errors, for the failure report. */
  log: string[];
}

/**
 * Open the workbench on `workspace` with `extensionDir` as the extension under development (the
 * `payload` query parameter VS Code web reads; no extensionTestsPath, so the window stays open
 * for the test to drive). Resolves when the workbench and its explorer are up.
 */
export async function openWorkbench(browser: Browser, server: CodeServer, workspace: string, extensionDir: string): Promise<Workbench> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const log: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') log.push(`[console.error] ${m.text()}`);
  });
  page.on('pageerror', (e) => log.push(`[pageerror] ${e.message}`));
  await page.goto(workbenchUrl(server, workspace, extensionDir));
  await page.waitForSelector('div.monaco-workbench', { timeout: 90_000 });
  // The explorer lists the workspace once the remote file system answers.
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 90_000 });
  return { context, page, log };
}

export async function screenshot(page: Page, file: string, clip?: { x: number; y: number; width: number; height: number }): Promise<Buffer> {
  mkdirSync(dirname(file), { recursive: true });
  return page.screenshot({ path: file, ...(clip ? { clip } : {}) });
}

/** The visible quick input's list rows. */
function quickRows(page: Page): Locator {
  return page.locator('.quick-input-widget:visible .quick-input-list .monaco-list-row');
}

/** Type into the open quick input, wait until the focused row (the one Enter accepts) is the
 *  one whose aria-label starts with `label` (the list re-sorts as results arrive), press Enter. */
async function acceptQuickPick(page: Page, text: string, label: string, timeoutMs: number): Promise<void> {
  const input = page.locator('.quick-input-widget:visible input.input');
  await input.waitFor({ timeout: timeoutMs });
  await input.fill(text);
  await quickRows(page).and(page.locator(`[aria-label^=${JSON.stringify(label)}]`)).first().waitFor({ timeout: timeoutMs });
  await until(`"${label}" to be the focused quick-pick row`, async () => {
    const focused = await quickRows(page).and(page.locator('.focused')).first().getAttribute('aria-label', { timeout: 1000 });
    return focused?.startsWith(label) ? true : undefined;
  }, timeoutMs);
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: timeoutMs });
}

/** Ctrl+P, the file's name, Enter: what a user does to open a file by name. */
export async function quickOpen(page: Page, fileName: string, timeoutMs = 60_000): Promise<void> {
  await page.keyboard.press('Control+P');
  await acceptQuickPick(page, fileName, fileName, timeoutMs);
}

/** Answer an open quick pick (e.g. a command's question): type `filter`, Enter on `label`. */
export async function answerQuickPick(page: Page, filter: string, label: string, timeoutMs = 60_000): Promise<void> {
  await acceptQuickPick(page, filter, label, timeoutMs);
}

/** The editor tab with this label (e.g. "analysis.rgnb", "Subject: S002"). */
export function tab(page: Page, label: string): Locator {
  return page.locator(`.tabs-container .tab[aria-label^=${JSON.stringify(label)}]`);
}

// ---- notebooks ---------------------------------------------------------------------------------

/** The visible notebook editor (VS Code keeps a zero-height placeholder of the same class). */
export function notebookEditor(page: Page): Locator {
  return page.locator('div.notebook-editor:visible').filter({ has: page.locator('.monaco-list') });
}

/** The notebook's kernel picker in its toolbar: its label is the selected kernel's. */
export function kernelPicker(page: Page): Locator {
  return notebookEditor(page).locator('.kernel-action-view-item');
}

/** Make sure the notebook runs with the kernel labelled `kernel`: VS Code selects the only
 *  kernel of a notebook type by itself; if it asks, pick it as a user would. */
export async function ensureKernel(page: Page, kernel: string, timeoutMs = 60_000): Promise<void> {
  const label = kernelPicker(page).locator('.kernel-label');
  await label.waitFor({ timeout: timeoutMs });
  const current = await until('the kernel picker to settle', async () => {
    const t = (await label.innerText()).trim();
    return t !== '' ? t : undefined;
  }, timeoutMs);
  if (current === kernel) return;
  await kernelPicker(page).locator('a.action-label').click();
  await answerQuickPick(page, kernel, kernel, timeoutMs);
  await until(`the kernel picker to show ${kernel}`, async () => ((await label.innerText()).trim() === kernel ? true : undefined), timeoutMs);
}

/** A notebook toolbar button by its accessible label ("Run All", "Clear All Outputs"). */
export function notebookAction(page: Page, label: string): Locator {
  return notebookEditor(page).locator(`.notebook-toolbar-container a.action-label[aria-label=${JSON.stringify(label)}]`);
}

export type CellState = 'success' | 'error' | 'executing' | 'pending' | 'none';

export interface CellStatus {
  index: number;
  kind: 'code' | 'markdown';
  state: CellState;
  /** The status bar's text (e.g. "0.8s"), for reports. */
  status: string;
}

/** Rendered rows of the notebook's cell list (VS Code renders the ones near the viewport). */
async function renderedCells(page: Page): Promise<(CellStatus & { focused: boolean; total: number })[]> {
  return notebookEditor(page)
    .locator('.monaco-list-row[data-index]')
    .evaluateAll((rows) =>
      rows.map((r) => {
        const icon = r.querySelector('[class*="codicon-notebook-state-"]');
        const m = icon ? /codicon-notebook-state-(\w+)/.exec(icon.className) : null;
        return {
          index: Number(r.getAttribute('data-index')),
          total: Number(r.getAttribute('aria-setsize')),
          focused: r.classList.contains('focused'),
          kind: r.classList.contains('code-cell-row') ? ('code' as const) : ('markdown' as const),
          state: (m ? m[1] : 'none') as CellState,
          status: (r.querySelector('.cell-status-left')?.textContent ?? r.querySelector('.cell-statusbar-container')?.textContent ?? '').trim(),
        };
      }),
    );
}

/** Give the notebook's cell list the keyboard focus in command mode (not inside a cell editor). */
async function focusCellList(page: Page): Promise<void> {
  const inList = () =>
    notebookEditor(page)
      .locator('.monaco-list')
      .first()
      .evaluate((l) => {
        const active = l.ownerDocument.activeElement;
        return active !== null && l.contains(active) && active.closest('.monaco-editor') === null;
      });
  if (await inList()) return;
  // A click on the notebook's tab focuses the notebook; Escape leaves a cell editor.
  await page.locator('.tabs-container .tab.active').click();
  await page.keyboard.press('Escape');
  await until('the notebook cell list to have the keyboard focus', async () => ((await inList()) ? true : undefined), 15_000);
}

/**
 * Walk the cells from the first to the last with the keyboard (Ctrl+Home, then Down: each cell
 * comes into view as it gets the focus) and wait at every code cell until it has finished
 * (success or error). Returns every cell's final status.
 */
export async function waitForAllCells(page: Page, timeoutMs: number): Promise<CellStatus[]> {
  const end = Date.now() + timeoutMs;
  await focusCellList(page);
  await page.keyboard.press('Control+Home');
  const out: CellStatus[] = [];
  for (let index = 0; ; index++) {
    const row = await until(`cell ${index + 1} to have the focus`, async () => {
      const r = (await renderedCells(page)).find((c) => c.focused);
      if (r === undefined) return undefined;
      if (r.index === index) return r;
      // Focus is on an earlier cell (a keypress got lost while the list re-rendered): move on.
      if (r.index < index) await page.keyboard.press('ArrowDown');
      return undefined;
    }, Math.max(5_000, end - Date.now()), 300);
    let status: CellStatus = row;
    if (row.kind === 'code') {
      status = await until(
        `cell ${index + 1} to finish (success or error)`,
        async () => {
          const r = (await renderedCells(page)).find((c) => c.index === index);
          return r !== undefined && (r.state === 'success' || r.state === 'error') ? r : undefined;
        },
        Math.max(5_000, end - Date.now()),
        500,
      );
    }
    out.push({ index: status.index, kind: status.kind, state: status.state, status: status.status });
    if (index + 1 >= row.total) return out;
    await page.keyboard.press('ArrowDown');
  }
}

/**
 * The page of a webview (iframe.webview > #active-frame) whose document holds `selector`: the
 * notebook's output webview, a custom editor or a panel. VS Code parks hidden webviews far off
 * screen, so they are told apart by their content, not their visibility.
 */
export async function webviewWith(page: Page, selector: string, what: string, timeoutMs = 60_000): Promise<Frame> {
  return until(`${what} (a webview holding ${selector})`, async () => {
    for (const outer of await page.locator('iframe.webview.ready').elementHandles()) {
      const host = await outer.contentFrame();
      const inner = await (await host?.$('#active-frame'))?.contentFrame();
      if (inner && (await inner.locator(selector).count()) > 0) return inner;
    }
    return undefined;
  }, timeoutMs);
}

/** Page coordinates of the visible part of the notebook (its cell list). */
export async function notebookViewport(page: Page): Promise<{ x: number; y: number; width: number; height: number }> {
  const box = await notebookEditor(page).locator('.monaco-list').first().boundingBox();
  if (box === null) throw new Error('the notebook cell list has no box (is the notebook visible?)');
  return box;
}

/**
 * Scroll the notebook with the mouse wheel (over its left gutter) until `target` (an element in
 * its output webview) lies wholly inside the notebook's visible area; returns its box in page
 * coordinates. VS Code scrolls a notebook by a fixed step per wheel event, whatever the delta.
 */
export async function scrollNotebookTo(page: Page, target: Locator, what: string, timeoutMs = 60_000): Promise<{ x: number; y: number; width: number; height: number }> {
  const view = await notebookViewport(page);
  await page.mouse.move(view.x + 12, view.y + view.height / 2);
  const margin = 8;
  return until(`${what} to be scrolled into the notebook's view`, async () => {
    const b = await target.boundingBox({ timeout: 2000 });
    if (b === null) return undefined;
    const taller = b.height + 2 * margin > view.height;
    const inView = taller ? b.y >= view.y && b.y <= view.y + 120 : b.y >= view.y + margin && b.y + b.height <= view.y + view.height - margin;
    if (inView) return b;
    // Aim for the middle of the view (its top just below the view's top, if it is taller).
    const top = taller ? view.y + margin : view.y + (view.height - b.height) / 2;
    const dy = b.y - top;
    const steps = Math.min(10, Math.max(1, Math.round(Math.abs(dy) / 50)));
    for (let i = 0; i < steps; i++) await page.mouse.wheel(0, Math.sign(dy) * 100);
    // Let the list apply them before measuring again: until it has moved and then stayed put
    // for a frame or two (at most a second).
    let prev = b.y;
    for (let i = 0; i < 10; i++) {
      await page.waitForTimeout(100);
      const now = (await target.boundingBox({ timeout: 2000 }))?.y;
      if (now === undefined || (now !== b.y && now === prev)) break;
      prev = now;
    }
    return undefined;
  }, timeoutMs, 50);
}
