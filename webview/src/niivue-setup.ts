/** Creating NiiVue instances the way both apps want them. */
import { Niivue, SLICE_TYPE } from '@niivue/niivue';
import { viewerColors } from './theme';

export function sliceTypeOf(name: string): SLICE_TYPE {
  switch (name) {
    case 'coronal':
      return SLICE_TYPE.CORONAL;
    case 'sagittal':
      return SLICE_TYPE.SAGITTAL;
    case 'multiplanar':
      return SLICE_TYPE.MULTIPLANAR;
    case 'render':
      return SLICE_TYPE.RENDER;
    default:
      return SLICE_TYPE.AXIAL;
  }
}

/** The flag that scripts/build.mjs patches into NiiVue's refreshLayers: while true, refreshing
 *  the background volume skips the 3D render's gradient texture (a blur and a Sobel pass over
 *  the whole volume), which 2D slice views never read. */
type DeferrableGradient = Niivue & { rgsDeferGradient?: boolean };

/** Whether a view shows only 2D slices (multiplanar may add a 3D render tile). */
export function isSliceOnly(name: string): boolean {
  return name === 'axial' || name === 'coronal' || name === 'sagittal';
}

/**
 * Show `name` in `nv`. A view created with `deferGradient` computes the gradient texture the
 * first time it shows a 3D render (one refresh of its volumes), not on every volume load.
 */
export function showSliceType(nv: Niivue, name: string): void {
  const d = nv as DeferrableGradient;
  if (d.rgsDeferGradient && !isSliceOnly(name)) {
    d.rgsDeferGradient = false;
    if (nv.volumes.length > 0) nv.updateGLVolume();
  }
  nv.setSliceType(sliceTypeOf(name));
}

/** Whether the gradient texture is being deferred (tests read it). */
export function gradientDeferred(nv: Niivue): boolean {
  return (nv as DeferrableGradient).rgsDeferGradient === true;
}

/**
 * A NiiVue on `canvas`. `sliceType` is the view it starts in: NiiVue draws the scene on every
 * volume load, and its default (multiplanar, with a 3D render tile) ray-casts the whole volume
 * each time, which a view that starts in 2D should not pay for.
 */
export async function createNiivue(canvas: HTMLCanvasElement, opts: { deferGradient?: boolean; sliceType?: string } = {}): Promise<Niivue> {
  const { backColor, crosshairColor } = viewerColors();
  const nv = new Niivue({
    backColor,
    crosshairColor,
    crosshairWidth: 1,
    show3Dcrosshair: true,
    isResizeCanvas: true,
    // The webview is offline and has no drop target: files come from the host.
    dragAndDropEnabled: false,
    logLevel: 'warn',
    loadingText: '',
    sliceType: sliceTypeOf(opts.sliceType ?? 'multiplanar'),
  });
  if (opts.deferGradient) (nv as DeferrableGradient).rgsDeferGradient = true;
  await nv.attachToCanvas(canvas);
  return nv;
}

/**
 * Return once the GPU has executed everything `nv` has drawn so far. NiiVue ends each draw with
 * gl.finish(), but Chromium's WebGL finish() only flushes; a one-pixel readPixels waits for the
 * work, so a page that says it has drawn (body[data-state="loaded"]) has.
 */
export function waitUntilDrawn(nv: Niivue): void {
  const gl = nv.gl;
  const bound = gl.getParameter(gl.FRAMEBUFFER_BINDING) as WebGLFramebuffer | null;
  gl.bindFramebuffer(gl.FRAMEBUFFER, null);
  gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(4));
  gl.bindFramebuffer(gl.FRAMEBUFFER, bound);
}
