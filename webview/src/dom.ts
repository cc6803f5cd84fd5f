/**
 * Small DOM helpers. Text from the host (file names, label names, messages) only ever goes in
 * through textContent, never through innerHTML, so a file called `<img onerror=…>.nii` is text.
 */

type Attrs = Record<string, string | number | boolean | undefined>;

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs?: Attrs,
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K];
export function el(tag: string, attrs?: Attrs, ...children: (Node | string)[]): HTMLElement;
export function el(tag: string, attrs: Attrs = {}, ...children: (Node | string)[]): HTMLElement {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) e.append(c);
  return e;
}

/** Replace the app's content with a message (an error or a notice), as text. */
export function showMessage(app: HTMLElement, title: string, detail: string, kind: 'error' | 'info' = 'error'): void {
  app.replaceChildren(
    el(
      'section',
      { class: `message ${kind}`, role: kind === 'error' ? 'alert' : 'status', 'data-testid': `message-${kind}` },
      el('h2', {}, title),
      el('p', {}, detail),
    ),
  );
}

export function formatMl(ml: number): string {
  return ml >= 100 ? ml.toFixed(1) : ml >= 10 ? ml.toFixed(2) : ml.toFixed(3);
}
