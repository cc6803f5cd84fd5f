/**
 * Pixel classes for the viewer's screenshots. The volumes are grey (R = G = B), so a pixel whose
 * channels differ a lot is overlay colour; which channel dominates tells the label:
 * red (label 1), green (label 2), yellow (label 4, R and G over B). The crosshair is drawn in a
 * blue that none of these classes takes.
 */
import type { RgbaImage } from './png';

export type PixelClass = 'background' | 'grey' | 'red' | 'green' | 'yellow' | 'other';

/** Channel gap that separates overlay colour from grey and from JPEG-free rendering noise. */
const GAP = 50;

export function classify(r: number, g: number, b: number): PixelClass {
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  if (max - min < 16) return max < 24 ? 'background' : 'grey';
  if (r - Math.max(g, b) > GAP) return 'red';
  if (g - Math.max(r, b) > GAP) return 'green';
  if (Math.min(r, g) - b > GAP && Math.abs(r - g) < GAP) return 'yellow';
  return 'other';
}

export interface ClassStats {
  count: number;
  /** Centroid (pixels). */
  cx: number;
  cy: number;
  /** Mean distance of the class's pixels from a given centre. */
  meanDistance: number;
}

export interface PixelSummary {
  total: number;
  counts: Record<PixelClass, number>;
  stats(cls: PixelClass, centre?: { x: number; y: number }): ClassStats;
}

export function summarise(img: RgbaImage): PixelSummary {
  const classes = new Uint8Array(img.width * img.height);
  const names: PixelClass[] = ['background', 'grey', 'red', 'green', 'yellow', 'other'];
  const counts = Object.fromEntries(names.map((n) => [n, 0])) as Record<PixelClass, number>;
  for (let i = 0; i < classes.length; i++) {
    const c = classify(img.data[4 * i], img.data[4 * i + 1], img.data[4 * i + 2]);
    classes[i] = names.indexOf(c);
    counts[c]++;
  }
  return {
    total: classes.length,
    counts,
    stats(cls, centre) {
      const want = names.indexOf(cls);
      let n = 0;
      let sx = 0;
      let sy = 0;
      for (let i = 0; i < classes.length; i++) {
        if (classes[i] !== want) continue;
        n++;
        sx += i % img.width;
        sy += Math.floor(i / img.width);
      }
      const cx = n ? sx / n : NaN;
      const cy = n ? sy / n : NaN;
      const c = centre ?? { x: cx, y: cy };
      let sd = 0;
      for (let i = 0; i < classes.length; i++) {
        if (classes[i] === want) sd += Math.hypot((i % img.width) - c.x, Math.floor(i / img.width) - c.y);
      }
      return { count: n, cx, cy, meanDistance: n ? sd / n : NaN };
    },
  };
}
