/**
 * The subject view: a subject's sequences side by side (one NiiVue per sequence, crosshair and
 * pan linked), the label mask over each, a legend with a colour, name, value, ROI volume (mL, as
 * computed by the host from the mask) and on/off toggle per label, the overlay's opacity, the
 * slice orientation, and the intensity window of each sequence.
 */
import type { NiiVueLocation, Niivue, NVImage } from '@niivue/niivue';
import type { InitSubjectMessage, LabelInfo } from '../../src/extension/messages';
import { type CheckboxElement, SLICE_OPTIONS, formatNumber, numberField, select, slider } from './controls';
import { el, formatMl } from './dom';
import { labelColormap } from './label-lut';
import { createNiivue, sliceTypeOf } from './niivue-setup';
import { imageDims, loadImage } from './volumes';

const DEFAULT_OPACITY = 50;

interface Tile {
  name: string;
  nv: Niivue;
  image: NVImage;
  mask: NVImage;
}

function legend(labels: readonly LabelInfo[], visible: Set<number>, onToggle: () => void): HTMLElement {
  const rows = labels.map((l) => {
    const box = el('vscode-checkbox', { 'data-label': l.value, checked: visible.has(l.value), 'aria-label': `Show ${l.name}` }) as CheckboxElement;
    box.addEventListener('change', () => {
      if (box.checked) visible.add(l.value);
      else visible.delete(l.value);
      onToggle();
    });
    const swatch = el('span', { class: 'swatch', 'aria-hidden': 'true' });
    // A CSSOM property write, not a style attribute: allowed by the page's CSP.
    swatch.style.backgroundColor = `rgb(${l.color[0]}, ${l.color[1]}, ${l.color[2]})`;
    return el(
      'tr',
      { 'data-label': l.value },
      el('td', {}, box),
      el('td', {}, swatch),
      el('td', { class: 'label-name' }, l.name),
      el('td', { class: 'num' }, String(l.value)),
      el('td', { class: 'num', 'data-testid': `volume-${l.value}` }, formatMl(l.volumeMl)),
    );
  });
  return el(
    'aside',
    { class: 'legend', 'aria-label': 'Labels' },
    el('h2', {}, 'Labels'),
    el(
      'table',
      {},
      el('thead', {}, el('tr', {}, el('th', {}, 'Show'), el('th', {}, ''), el('th', {}, 'Name'), el('th', { class: 'num' }, 'Value'), el('th', { class: 'num' }, 'mL'))),
      el('tbody', {}, ...rows),
    ),
    el('p', { class: 'note' }, 'ROI volumes: voxel count × voxel volume, computed by the extension from the mask file.'),
  );
}

export async function startSubject(app: HTMLElement, msg: InitSubjectMessage): Promise<{ name: string; dims: number[] }[]> {
  const visible = new Set(msg.labels.map((l) => l.value));
  const orientation = select('orientation', 'View', SLICE_OPTIONS, 'axial');
  const opacity = slider('overlay-opacity', 'Overlay opacity', DEFAULT_OPACITY);
  const windowFor = select(
    'window-sequence',
    'Window of',
    msg.sequences.map((s, i) => ({ value: String(i), text: s.name })),
    '0',
  );
  const wMin = numberField('window-min', 'Window minimum', NaN);
  const wMax = numberField('window-max', 'Window maximum', NaN);
  const reset = el('vscode-button', { id: 'window-reset', secondary: true, title: 'Reset to the robust range' }, 'Reset');
  const location = el('span', { id: 'location' });
  const grid = el('div', { class: `grid n${msg.sequences.length}` });
  const canvases = msg.sequences.map((s, i) => {
    const canvas = el('canvas', { id: `gl-${i}`, 'data-sequence': s.name });
    grid.append(el('figure', { class: 'tile' }, el('figcaption', {}, s.name), el('div', { class: 'canvas-box' }, canvas)));
    return canvas;
  });
  let tiles: Tile[] = [];
  const applyLabels = () => {
    const cm = labelColormap(msg.labels, visible);
    for (const t of tiles) {
      t.mask.setColormapLabel(cm);
      t.nv.updateGLVolume();
    }
  };
  app.replaceChildren(
    el(
      'header',
      { class: 'subject-header' },
      el('h1', {}, msg.title),
      ...msg.warnings.map((w) => el('p', { class: 'warning', role: 'note' }, w)),
    ),
    el(
      'div',
      { class: 'toolbar', role: 'toolbar' },
      orientation.wrap,
      opacity.wrap,
      el('div', { class: 'control' }, windowFor.wrap, wMin, wMax, reset),
    ),
    el('div', { class: 'subject-layout' }, grid, legend(msg.labels, visible, applyLabels)),
    el('footer', { class: 'statusline' }, location),
  );

  const cm = labelColormap(msg.labels, visible);
  // The mask is fetched and decoded once and every view gets its own copy (NiiVue keeps one
  // image per view, with its own id), instead of four fetches and decodes of the same file.
  const sharedMask = loadImage(msg.mask, { opacity: DEFAULT_OPACITY / 100 });
  tiles = await Promise.all(
    msg.sequences.map(async (s, i) => {
      const nv = await createNiivue(canvases[i]);
      const [image, loadedMask] = await Promise.all([loadImage(s.source), sharedMask]);
      const mask = loadedMask.clone();
      mask.opacity = DEFAULT_OPACITY / 100;
      mask.setColormapLabel(cm);
      nv.addVolume(image);
      nv.addVolume(mask);
      nv.setSliceType(sliceTypeOf('axial'));
      return { name: s.name, nv, image, mask };
    }),
  );
  // The status line: the crosshair's world position, every sequence's value there (each view
  // reports its own; linked views all report on a move) and the label under it.
  const values = new Map<string, number>();
  let point = '';
  let labelAt = NaN;
  const labelNames = new Map(msg.labels.map((l) => [l.value, l.name]));
  const showLocation = () => {
    const parts = [point, ...tiles.map((t) => `${t.name} ${formatNumber(values.get(t.name) ?? NaN)}`)];
    if (Number.isFinite(labelAt) && labelAt !== 0) parts.push(labelNames.get(labelAt) ?? `label ${labelAt}`);
    location.textContent = parts.join(' · ');
  };
  // Link every view to every other: NiiVue only broadcasts from the view that has focus, so the
  // links cannot loop.
  for (const t of tiles) {
    t.nv.broadcastTo(
      tiles.filter((o) => o !== t).map((o) => o.nv),
      { '2d': true, '3d': true },
    );
    t.nv.onLocationChange = (loc: unknown) => {
      const l = loc as Partial<NiiVueLocation>;
      if (!l.mm || !Array.isArray(l.values)) return;
      point = `${[l.mm[0], l.mm[1], l.mm[2]].map((v) => v.toFixed(1)).join(', ')} mm`;
      values.set(t.name, l.values[0]?.value ?? NaN);
      labelAt = l.values[1]?.value ?? NaN;
      showLocation();
    };
  }

  const current = () => tiles[Number(windowFor.control.value)] ?? tiles[0];
  const showWindow = () => {
    const img = current().image;
    wMin.value = formatNumber(img.cal_min ?? NaN);
    wMax.value = formatNumber(img.cal_max ?? NaN);
  };
  showWindow();
  const applyWindow = () => {
    const lo = Number(wMin.value);
    const hi = Number(wMax.value);
    if (wMin.value === '' || wMax.value === '' || !Number.isFinite(lo) || !Number.isFinite(hi) || !(hi > lo)) return;
    const t = current();
    t.image.cal_min = lo;
    t.image.cal_max = hi;
    t.nv.updateGLVolume();
  };
  windowFor.control.addEventListener('change', showWindow);
  wMin.addEventListener('change', applyWindow);
  wMax.addEventListener('change', applyWindow);
  reset.addEventListener('click', () => {
    const t = current();
    if (t.image.robust_min !== undefined && t.image.robust_max !== undefined) {
      t.image.cal_min = t.image.robust_min;
      t.image.cal_max = t.image.robust_max;
      t.nv.updateGLVolume();
      showWindow();
    }
  });
  opacity.control.addEventListener('input', () => {
    const v = Number(opacity.control.value) / 100;
    for (const t of tiles) t.nv.setOpacity(1, v);
  });
  orientation.control.addEventListener('change', () => {
    for (const t of tiles) t.nv.setSliceType(sliceTypeOf(orientation.control.value));
  });
  return tiles.map((t) => ({ name: t.name, dims: imageDims(t.image) }));
}
