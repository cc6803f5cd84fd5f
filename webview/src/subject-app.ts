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
import { labelColormap, labelDrawLut } from './label-lut';
import { maskFitsDrawing } from './mask-layer';
import { createNiivue, showSliceType, waitUntilDrawn } from './niivue-setup';
import { imageDims, loadImage } from './volumes';

const DEFAULT_OPACITY = 50;

interface Tile {
  name: string;
  nv: Niivue;
  image: NVImage;
  /** The mask as an overlay volume, when it cannot be this view's label drawing (see maskFitsDrawing). */
  overlay: NVImage | null;
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

/** The label drawing's value at a voxel of the view's (RAS) grid, as NiiVue indexes its bitmap. */
function drawingValueAt(nv: Niivue, vox: ArrayLike<number> | undefined): number {
  const dims = nv.back?.dimsRAS;
  const bitmap = nv.drawBitmap;
  if (!dims || !bitmap || !vox || vox.length < 3) return NaN;
  const [x, y, z] = [vox[0], vox[1], vox[2]];
  if (x < 0 || y < 0 || z < 0 || x >= dims[1] || y >= dims[2] || z >= dims[3]) return NaN;
  return bitmap[x + dims[1] * (y + dims[2] * z)] ?? NaN;
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
    const lut = labelDrawLut(msg.labels, visible);
    for (const t of tiles) {
      if (t.overlay) {
        t.overlay.setColormapLabel(cm);
        t.nv.updateGLVolume();
      } else {
        // A new colour table only: no volume is re-rendered.
        t.nv.drawLut = lut;
        t.nv.refreshColormaps();
        t.nv.drawScene();
      }
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

  // The mask is fetched and decoded once. Each view shows it as its label drawing (NiiVue copies
  // it into its own bitmap), or as a copy of the volume where it cannot (maskFitsDrawing).
  const sharedMask = loadImage(msg.mask, { opacity: DEFAULT_OPACITY / 100 });
  const labelsOk = msg.labels.every((l) => Number.isInteger(l.value) && l.value >= 0 && l.value <= 255);
  // Every fetch starts before the views are set up, so the downloads overlap the WebGL set-up.
  const images = msg.sequences.map((s) => loadImage(s.source));
  // A failed load is reported through the view that awaits it; the others must not count as
  // unhandled rejections meanwhile.
  for (const p of [sharedMask, ...images]) p.catch(() => undefined);
  // Marks for the benchmark's timeline (performance.getEntriesByType('mark')); they cost nothing.
  const mark = (what: string) => performance.mark(`rgs:${what}`);
  void sharedMask.then(() => mark('mask:decoded'), () => undefined);
  images.forEach((p, i) => void p.then(() => mark(`${msg.sequences[i].name}:decoded`), () => undefined));
  tiles = await Promise.all(
    msg.sequences.map(async (s, i) => {
      // The first view is axial: no 3D render, so no gradient texture until one is shown.
      const nv = await createNiivue(canvases[i], { deferGradient: true, sliceType: 'axial' });
      mark(`${s.name}:webgl`);
      // The drawing is never edited here (drawing stays disabled), so NiiVue's undo snapshot of
      // it (a run-length encoding of every voxel, on each load) would be work for nothing.
      nv.drawAddUndoBitmap = () => undefined;
      const [image, mask] = await Promise.all([images[i], sharedMask]);
      nv.addVolume(image);
      mark(`${s.name}:added`);
      let overlay: NVImage | null = null;
      nv.drawLut = labelDrawLut(msg.labels, visible);
      nv.drawOpacity = DEFAULT_OPACITY / 100;
      if (!(labelsOk && maskFitsDrawing(image, mask) && nv.loadDrawing(mask))) {
        overlay = mask.clone();
        overlay.opacity = DEFAULT_OPACITY / 100;
        overlay.setColormapLabel(labelColormap(msg.labels, visible));
        nv.addVolume(overlay);
      }
      // How the mask is layered, for the tests and for anyone inspecting the page.
      canvases[i].dataset.mask = overlay ? 'overlay' : 'drawing';
      showSliceType(nv, 'axial');
      mark(`${s.name}:mask`);
      return { name: s.name, nv, image, overlay };
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
      labelAt = t.overlay ? (l.values[1]?.value ?? NaN) : drawingValueAt(t.nv, l.vox);
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
    for (const t of tiles) {
      if (t.overlay) t.nv.setOpacity(1, v);
      else t.nv.setDrawOpacity(v);
    }
  });
  orientation.control.addEventListener('change', () => {
    for (const t of tiles) showSliceType(t.nv, orientation.control.value);
  });
  for (const t of tiles) {
    waitUntilDrawn(t.nv);
    mark(`${t.name}:drawn`);
  }
  return tiles.map((t) => ({ name: t.name, dims: imageDims(t.image) }));
}
