/**
 * How the subject view layers the label mask over a sequence. NiiVue can show it as the view's
 * label drawing (one 8-bit texture upload) or as an overlay volume, which costs a render pass
 * per slice over the whole volume plus a copy of the layer below, in every view: with software
 * WebGL, seconds for four views. The drawing is used whenever it shows the same thing: uint8
 * values on the image's very grid (NiiVue indexes a drawing by the background's voxels, while it
 * places an overlay by world coordinates). No NiiVue import (unit-tested).
 */

export interface GridImage {
  hdr: { dims: number[]; affine: number[][] } | null;
  img?: unknown;
}

/** Relative tolerance for comparing affines written by different tools (float32 in the file). */
const AFFINE_TOLERANCE = 1e-4;

export function maskFitsDrawing(image: GridImage, mask: GridImage): boolean {
  const a = image.hdr;
  const b = mask.hdr;
  if (!a || !b || !(mask.img instanceof Uint8Array)) return false;
  // dims[0] is the number of dimensions: a 4D mask is not one label image.
  if ((b.dims[0] ?? 0) > 3 && (b.dims[4] ?? 1) > 1) return false;
  for (let d = 1; d <= 3; d++) if (a.dims[d] !== b.dims[d]) return false;
  for (let r = 0; r < 4; r++) {
    for (let c = 0; c < 4; c++) {
      const x = a.affine[r]?.[c] ?? NaN;
      const y = b.affine[r]?.[c] ?? NaN;
      if (!(Math.abs(x - y) <= AFFINE_TOLERANCE * Math.max(1, Math.abs(x)))) return false;
    }
  }
  return true;
}
