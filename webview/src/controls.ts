/**
 * Toolbar controls built from @vscode-elements/elements (native look in every theme), with the
 * few properties the apps read typed here instead of importing the component classes.
 */
import { el } from './dom';

export type SelectElement = HTMLElement & { value: string };
export type CheckboxElement = HTMLElement & { checked: boolean };
export type TextfieldElement = HTMLElement & { value: string };

export function select(id: string, label: string, options: { value: string; text: string }[], value: string): {
  wrap: HTMLElement;
  control: SelectElement;
} {
  const control = el('vscode-single-select', { id, 'aria-label': label }) as SelectElement;
  for (const o of options) {
    control.append(el('vscode-option', { value: o.value, selected: o.value === value }, o.text));
  }
  control.value = value;
  return { wrap: el('div', { class: 'control' }, el('vscode-label', { for: id }, label), control), control };
}

export function numberField(id: string, label: string, value: number): TextfieldElement {
  const f = el('vscode-textfield', { id, type: 'number', 'aria-label': label, title: label, class: 'number' }) as TextfieldElement;
  f.value = formatNumber(value);
  return f;
}

/** A range input (vscode-elements has no slider); styled from theme variables in webview.css. */
export function slider(id: string, label: string, value: number): { wrap: HTMLElement; control: HTMLInputElement } {
  const control = el('input', { id, type: 'range', min: 0, max: 100, step: 1, value, 'aria-label': label });
  const out = el('span', { class: 'slider-value' }, `${value}%`);
  control.addEventListener('input', () => {
    out.textContent = `${control.value}%`;
  });
  return { wrap: el('div', { class: 'control' }, el('vscode-label', { for: id }, label), control, out), control };
}

export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return '';
  return String(Number(v.toPrecision(5)));
}

export const SLICE_OPTIONS = [
  { value: 'axial', text: 'Axial' },
  { value: 'coronal', text: 'Coronal' },
  { value: 'sagittal', text: 'Sagittal' },
  { value: 'multiplanar', text: 'Multiplanar' },
  { value: 'render', text: '3D render' },
];
