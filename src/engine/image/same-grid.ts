/**
 * Checking that two volumes (typically an image and its mask) share one voxel grid, so that
 * voxel index n means the same point in space in both.
 */
import { RgsError } from '../util/errors';
import type { Affine, Grid, Vec3 } from './volume';

function fmt(x: number): string {
  return String(Number(x.toPrecision(6)));
}

function fmtVec(v: ArrayLike<number>): string {
  return Array.from(v, fmt).join('x');
}

/** Unit direction of voxel axis c (column c of the affine's 3x3 part). */
function axisDirection(a: Affine, c: number): Vec3 {
  const n = Math.hypot(a[c], a[4 + c], a[8 + c]) || 1;
  return [a[c] / n, a[4 + c] / n, a[8 + c] / n];
}

/**
 * Anatomical axis codes of the voxel axes in the NIfTI world frame (RAS+: +x right, +y anterior,
 * +z superior), e.g. "LPS" for a DICOM-style grid: the direction each index increases toward.
 */
export function orientationCode(a: Affine): string {
  const pos = ['R', 'A', 'S'];
  const neg = ['L', 'P', 'I'];
  let code = '';
  for (let c = 0; c < 3; c++) {
    const d = axisDirection(a, c);
    let best = 0;
    for (let r = 1; r < 3; r++) if (Math.abs(d[r]) > Math.abs(d[best])) best = r;
    code += d[best] >= 0 ? pos[best] : neg[best];
  }
  return code;
}

/**
 * Throw unless grid `b` (file `bFile`) lies on grid `a` (file `aFile`): equal dimensions, and
 * affines equal within `tol` — relative to the voxel size for the 3x3 (rotation and scale) part
 * and in mm for the translation. The message names both files and the first difference found
 * (dimensions, spacing, orientation, origin), giving a's value first: e.g.
 * "mask.nii.gz does not lie on the grid of image.nii.gz: dimensions 240x240x155 vs 240x240x154".
 */
export function assertSameGrid(a: Grid, aFile: string, b: Grid, bFile: string, tol = 1e-3): void {
  const fail = (what: string): never => {
    throw new RgsError(`${bFile} does not lie on the grid of ${aFile}: ${what}`, { file: bFile });
  };
  if (a.dims[0] !== b.dims[0] || a.dims[1] !== b.dims[1] || a.dims[2] !== b.dims[2]) {
    fail(`dimensions ${a.dims.join('x')} vs ${b.dims.join('x')}`);
  }
  for (let c = 0; c < 3; c++) {
    const s = Math.max(a.spacing[c], b.spacing[c]);
    if (!(Math.abs(a.spacing[c] - b.spacing[c]) <= tol * s)) {
      fail(`spacing ${fmtVec(a.spacing)} vs ${fmtVec(b.spacing)} mm`);
    }
  }
  // Rotation/scale part, entry by entry, relative to the voxel size of the column's axis.
  for (let c = 0; c < 3; c++) {
    const s = Math.max(a.spacing[c], b.spacing[c]);
    for (let r = 0; r < 3; r++) {
      if (!(Math.abs(a.affine[4 * r + c] - b.affine[4 * r + c]) <= tol * s)) {
        const codeA = orientationCode(a.affine);
        const codeB = orientationCode(b.affine);
        if (codeA !== codeB) fail(`orientation differs (${codeA} vs ${codeB})`);
        let worst = 0;
        for (let k = 0; k < 3; k++) {
          const da = axisDirection(a.affine, k);
          const db = axisDirection(b.affine, k);
          const cos = Math.min(1, Math.max(-1, da[0] * db[0] + da[1] * db[1] + da[2] * db[2]));
          worst = Math.max(worst, (Math.acos(cos) * 180) / Math.PI);
        }
        fail(`orientation differs by ${fmt(Number(worst.toPrecision(3)))} degrees`);
      }
    }
  }
  const dx = a.affine[3] - b.affine[3];
  const dy = a.affine[7] - b.affine[7];
  const dz = a.affine[11] - b.affine[11];
  if (!(Math.abs(dx) <= tol && Math.abs(dy) <= tol && Math.abs(dz) <= tol)) {
    const d = Math.hypot(dx, dy, dz);
    fail(`origin differs by ${d >= 0.01 ? d.toFixed(2) : d.toPrecision(2)} mm`);
  }
}
