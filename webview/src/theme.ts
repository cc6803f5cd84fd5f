/** Colours for NiiVue taken from the VS Code theme (CSS variables VS Code sets on the webview's
 *  body), so the canvas matches the editor in light, dark and high-contrast themes. */

/** '#rgb', '#rrggbb' or '#rrggbbaa' as [r, g, b, a] in 0..1, or null. */
export function parseCssColor(value: string): [number, number, number, number] | null {
  const v = value.trim();
  const m = /^#([0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})$/i.exec(v);
  if (!m) return null;
  let hex = m[1];
  if (hex.length === 3) hex = [...hex].map((c) => c + c).join('');
  const n = (i: number) => parseInt(hex.slice(i, i + 2), 16) / 255;
  return [n(0), n(2), n(4), hex.length === 8 ? n(6) : 1];
}

function themeColor(name: string, fallback: [number, number, number, number]): [number, number, number, number] {
  const raw = getComputedStyle(document.body).getPropertyValue(name);
  return parseCssColor(raw) ?? fallback;
}

export interface ViewerColors {
  backColor: [number, number, number, number];
  crosshairColor: [number, number, number, number];
}

export function viewerColors(): ViewerColors {
  return {
    backColor: themeColor('--vscode-editor-background', [0, 0, 0, 1]),
    // Not red: red is label 1's colour in the overlay.
    crosshairColor: themeColor('--vscode-focusBorder', [0.2, 0.6, 1, 1]),
  };
}
