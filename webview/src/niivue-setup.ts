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

export async function createNiivue(canvas: HTMLCanvasElement): Promise<Niivue> {
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
  });
  await nv.attachToCanvas(canvas);
  return nv;
}
