/**
 * The NIfTI viewer (the custom editor for .nii / .nii.gz): one volume, multiplanar by default,
 * with the view, colour map and intensity window in a toolbar and the header facts and the
 * crosshair's position and value in a status line.
 */
import type { Niivue, NVImage } from '@niivue/niivue';
import type { InitViewerMessage } from '../../src/extension/messages';
import { SLICE_OPTIONS, formatNumber, numberField, select } from './controls';
import { el } from './dom';
import { createNiivue, sliceTypeOf, waitUntilDrawn } from './niivue-setup';
import { imageDims, loadImage } from './volumes';

const COLORMAPS = ['gray', 'hot', 'viridis', 'plasma', 'bone', 'winter'];

export async function startViewer(app: HTMLElement, msg: InitViewerMessage): Promise<{ name: string; dims: number[] }[]> {
  const view = select('slice-type', 'View', SLICE_OPTIONS, 'multiplanar');
  const cmap = select(
    'colormap',
    'Colour map',
    COLORMAPS.map((c) => ({ value: c, text: c })),
    'gray',
  );
  const wMin = numberField('window-min', 'Window minimum', NaN);
  const wMax = numberField('window-max', 'Window maximum', NaN);
  const reset = el('vscode-button', { id: 'window-reset', secondary: true, title: 'Reset the window to the robust range' }, 'Reset');
  const canvas = el('canvas', { id: 'gl-viewer' });
  const info = msg.info;
  const facts = `${info.dims.join(' × ')} voxels · ${info.spacing.map((s) => formatNumber(s)).join(' × ')} mm · ${info.datatype}`;
  const location = el('span', { id: 'location' });
  app.replaceChildren(
    el(
      'div',
      { class: 'toolbar', role: 'toolbar' },
      view.wrap,
      cmap.wrap,
      el('div', { class: 'control' }, el('vscode-label', {}, 'Window'), wMin, wMax, reset),
    ),
    el('div', { class: 'single-canvas' }, canvas),
    el('footer', { class: 'statusline' }, el('span', { id: 'facts' }, `${msg.volume.name} · ${facts}`), location),
  );

  const nv: Niivue = await createNiivue(canvas);
  nv.onLocationChange = (loc: unknown) => {
    const text = (loc as { string?: unknown }).string;
    if (typeof text === 'string') location.textContent = text;
  };
  const img: NVImage = await loadImage(msg.volume);
  nv.addVolume(img);
  nv.setSliceType(sliceTypeOf('multiplanar'));

  const showWindow = () => {
    wMin.value = formatNumber(img.cal_min ?? NaN);
    wMax.value = formatNumber(img.cal_max ?? NaN);
  };
  showWindow();
  const applyWindow = () => {
    const lo = Number(wMin.value);
    const hi = Number(wMax.value);
    if (wMin.value === '' || wMax.value === '' || !Number.isFinite(lo) || !Number.isFinite(hi) || !(hi > lo)) return;
    img.cal_min = lo;
    img.cal_max = hi;
    nv.updateGLVolume();
  };
  wMin.addEventListener('change', applyWindow);
  wMax.addEventListener('change', applyWindow);
  reset.addEventListener('click', () => {
    if (img.robust_min !== undefined && img.robust_max !== undefined) {
      img.cal_min = img.robust_min;
      img.cal_max = img.robust_max;
      nv.updateGLVolume();
      showWindow();
    }
  });
  view.control.addEventListener('change', () => nv.setSliceType(sliceTypeOf(view.control.value)));
  cmap.control.addEventListener('change', () => {
    img.colormap = cmap.control.value;
    nv.updateGLVolume();
  });
  waitUntilDrawn(nv);
  return [{ name: msg.volume.name, dims: imageDims(img) }];
}
