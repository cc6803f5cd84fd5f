/**
 * Renderer of application/vnd.radiogenomics.volume+json: an image with its mask overlaid, drawn
 * by NiiVue (WebGL2) inside the notebook output, from the NIfTI bytes carried in the document
 * itself. Below the viewer: the mask's labels with their colours. Where WebGL2 is unavailable
 * the output says so instead of failing silently.
 *
 * The root element reports its state in `data-state` ("loading", "loaded", "no-webgl", "error")
 * and the loaded grid in `data-dims`, for tests and for anyone scripting the page.
 */
import { Niivue, NVImage, SLICE_TYPE } from '@niivue/niivue';
import { VOLUME_MIME, type VolumeJson, type VolumeLabelJson } from '../../src/kernel/mime-types';
import { documentOf, el, rootIn, title } from './dom';
import type { ActivationFunction } from './renderer-api';

function bytesOf(base64: string): ArrayBuffer {
  const bin = atob(base64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out.buffer;
}

function webgl2Available(): boolean {
  try {
    const gl = document.createElement('canvas').getContext('webgl2');
    if (!gl) return false;
    // Free the probe at once: browsers cap the live contexts of a page (about 16).
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return true;
  } catch {
    return false;
  }
}

/** A colour of the theme as NiiVue's [r, g, b, a] in 0..1 (null when not a hex colour). */
function themeColor(name: string): [number, number, number, number] | null {
  const v = getComputedStyle(document.body).getPropertyValue(name).trim();
  const m = /^#([0-9a-f]{6})([0-9a-f]{2})?$/i.exec(v);
  if (!m) return null;
  const n = (i: number) => parseInt(m[1].slice(i, i + 2), 16) / 255;
  return [n(0), n(2), n(4), m[2] ? parseInt(m[2], 16) / 255 : 1];
}

/** NiiVue's label colour table: transparent background, one entry per label value. */
function labelColormap(labels: readonly VolumeLabelJson[]): { R: number[]; G: number[]; B: number[]; A: number[]; I: number[]; labels: string[] } {
  const cm = { R: [0], G: [0], B: [0], A: [0], I: [0], labels: [''] };
  for (const l of [...labels].sort((a, b) => a.value - b.value)) {
    if (l.value === 0) continue;
    const c = l.color ?? [255, 0, 0];
    cm.R.push(c[0]);
    cm.G.push(c[1]);
    cm.B.push(c[2]);
    cm.A.push(255);
    cm.I.push(l.value);
    cm.labels.push(l.name);
  }
  return cm;
}

const SLICE_TYPES: Record<string, SLICE_TYPE> = {
  axial: SLICE_TYPE.AXIAL,
  coronal: SLICE_TYPE.CORONAL,
  sagittal: SLICE_TYPE.SAGITTAL,
  multiplanar: SLICE_TYPE.MULTIPLANAR,
};

const viewers = new Map<string, { nv: Niivue; canvas: HTMLCanvasElement }>();

function release(id: string): void {
  const v = viewers.get(id);
  if (v === undefined) return;
  viewers.delete(id);
  // Give the WebGL context back: a notebook with many volume outputs would otherwise run out.
  v.nv.gl?.getExtension('WEBGL_lose_context')?.loseContext();
}

export async function renderVolume(doc: VolumeJson, root: HTMLElement, id: string): Promise<void> {
  title(root, doc.title);
  root.dataset.state = 'loading';
  if (!webgl2Available()) {
    root.dataset.state = 'no-webgl';
    root.append(el('div', { class: 'rgs-error' }, 'This output draws with WebGL2, which this window cannot use (hardware acceleration may be off). The data is in the output; open the subject in the NIfTI viewer instead.'));
    return;
  }
  const canvas = el('canvas');
  root.append(el('div', { class: 'rgs-canvas-box' }, canvas));
  const labels = doc.mask?.labels ?? [];
  if (labels.length > 0) {
    root.append(
      el(
        'div',
        { class: 'rgs-legend rgs-labels' },
        ...labels.map((l) => el('span', { class: 'rgs-label', 'data-value': l.value }, el('span', { class: 'rgs-chip', style: `background: rgb(${(l.color ?? [255, 0, 0]).join(',')})` }), `${l.name} (${l.value})`)),
      ),
    );
  }
  if (doc.note !== undefined) root.append(el('div', { class: 'rgs-note' }, doc.note));
  try {
    const nv = new Niivue({
      backColor: themeColor('--vscode-editor-background') ?? [0, 0, 0, 1],
      crosshairColor: themeColor('--vscode-focusBorder') ?? [0.2, 0.6, 1, 1],
      crosshairWidth: 1,
      isResizeCanvas: true,
      dragAndDropEnabled: false,
      logLevel: 'error',
      loadingText: '',
    });
    await nv.attachToCanvas(canvas);
    viewers.set(id, { nv, canvas });
    const image = await NVImage.loadFromUrl({ url: bytesOf(doc.image.data), name: doc.image.name, colormap: 'gray' });
    nv.addVolume(image);
    if (doc.mask !== undefined) {
      const mask = await NVImage.loadFromUrl({ url: bytesOf(doc.mask.data), name: doc.mask.name, opacity: doc.mask.opacity ?? 0.5 });
      if (labels.length > 0) mask.setColormapLabel(labelColormap(labels));
      nv.addVolume(mask);
    }
    nv.setSliceType(SLICE_TYPES[doc.sliceType ?? 'multiplanar'] ?? SLICE_TYPE.MULTIPLANAR);
    const d = image.hdr?.dims ?? [];
    root.dataset.dims = d.slice(1, 4).join('x');
    root.dataset.volumes = String(nv.volumes.length);
    root.dataset.state = 'loaded';
  } catch (e) {
    root.dataset.state = 'error';
    root.append(el('div', { class: 'rgs-error' }, `Cannot show the volume: ${e instanceof Error ? e.message : String(e)}`));
  }
}

export const activate: ActivationFunction = () => ({
  async renderOutputItem(item, element) {
    release(item.id);
    const root = rootIn(element, 'volume');
    const doc = documentOf<VolumeJson>(VOLUME_MIME, item.json(), root);
    if (doc !== null) await renderVolume(doc, root, item.id);
  },
  disposeOutputItem(id) {
    if (id !== undefined) release(id);
    else for (const k of [...viewers.keys()]) release(k);
  },
});
