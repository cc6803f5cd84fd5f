/** Loading a volume into NiiVue from what the host sent: a URL NiiVue fetches (and streams), or
 *  the file's bytes. */
import { NVImage } from '@niivue/niivue';
import type { VolumeSource } from '../../src/extension/messages';

export interface LoadOptions {
  colormap?: string;
  opacity?: number;
}

/** A private copy of the bytes: NiiVue may keep or transfer the buffer it is given, and the
 *  same posted volume is loaded into several views. */
function ownBuffer(data: ArrayBuffer | Uint8Array): ArrayBuffer {
  if (data instanceof ArrayBuffer) return data.slice(0);
  const copy = new Uint8Array(data.byteLength);
  copy.set(data);
  return copy.buffer;
}

export async function loadImage(source: VolumeSource, opts: LoadOptions = {}): Promise<NVImage> {
  const common = { name: source.name, colormap: opts.colormap ?? 'gray', opacity: opts.opacity ?? 1 };
  if (source.kind === 'url') return NVImage.loadFromUrl({ ...common, url: source.url });
  return NVImage.loadFromUrl({ ...common, url: ownBuffer(source.data) });
}

/** The 3D grid of a loaded image, for the host's report (dims[1..3] of its header). */
export function imageDims(img: NVImage): number[] {
  const d = img.hdr?.dims ?? [];
  return d.slice(1, 1 + Math.max(0, Math.min(7, d[0] ?? 0)));
}
