/**
 * 3D convex hull by quickhull (Barber, Dobkin & Huhdanpaa 1996) with EXACT orientation tests.
 *
 * The mesh vertices of a voxel ROI lie on a lattice (voxel centres and edge midpoints), so many
 * are coplanar and floating-point quickhull would need tolerances. Here the hull is computed on
 * integer lattice coordinates (half-voxel units): every orientation determinant is an integer far
 * below 2^53, so it is exact, and a point exactly on a face plane is never "outside". The hull of
 * the mm positions is the image of the lattice hull under the (positive diagonal) spacing scaling,
 * which maps hulls to hulls, so callers scale the vertices afterwards.
 */

export interface ConvexHull3 {
  /** Indices (into the input points) of the hull's extreme vertices, ascending. */
  vertices: Int32Array;
  /** Hull triangles as point indices, three per triangle, counter-clockwise seen from outside. */
  triangles: Int32Array;
}

/**
 * @param points xyz interleaved, integer-valued with |coordinate| < 2^20 (exactness bound).
 * @returns null when all points are coplanar (no 3D hull).
 */
export function convexHull3(points: ArrayLike<number>): ConvexHull3 | null {
  const n = Math.floor(points.length / 3);
  if (n < 4) return null;
  const X = (i: number) => points[3 * i];
  const Y = (i: number) => points[3 * i + 1];
  const Z = (i: number) => points[3 * i + 2];

  // --- Initial tetrahedron from extreme points.
  const extremes: number[] = [0, 0, 0, 0, 0, 0];
  for (let i = 1; i < n; i++) {
    if (X(i) < X(extremes[0])) extremes[0] = i;
    if (X(i) > X(extremes[1])) extremes[1] = i;
    if (Y(i) < Y(extremes[2])) extremes[2] = i;
    if (Y(i) > Y(extremes[3])) extremes[3] = i;
    if (Z(i) < Z(extremes[4])) extremes[4] = i;
    if (Z(i) > Z(extremes[5])) extremes[5] = i;
  }
  const dist2 = (i: number, j: number) => (X(i) - X(j)) ** 2 + (Y(i) - Y(j)) ** 2 + (Z(i) - Z(j)) ** 2;
  let i0 = extremes[0], i1 = extremes[1], best = -1;
  for (let a = 0; a < 6; a++) {
    for (let b = a + 1; b < 6; b++) {
      const d = dist2(extremes[a], extremes[b]);
      if (d > best) {
        best = d;
        i0 = extremes[a];
        i1 = extremes[b];
      }
    }
  }
  if (best <= 0) return null;
  const ux = X(i1) - X(i0), uy = Y(i1) - Y(i0), uz = Z(i1) - Z(i0);
  let i2 = -1;
  best = 0;
  for (let i = 0; i < n; i++) {
    const vx = X(i) - X(i0), vy = Y(i) - Y(i0), vz = Z(i) - Z(i0);
    const cx = uy * vz - uz * vy, cy = uz * vx - ux * vz, cz = ux * vy - uy * vx;
    const d = cx * cx + cy * cy + cz * cz;
    if (d > best) {
      best = d;
      i2 = i;
    }
  }
  if (i2 < 0) return null;
  const orient = (a: number, b: number, c: number, p: number) => {
    const bx = X(b) - X(a), by = Y(b) - Y(a), bz = Z(b) - Z(a);
    const cx = X(c) - X(a), cy = Y(c) - Y(a), cz = Z(c) - Z(a);
    const px = X(p) - X(a), py = Y(p) - Y(a), pz = Z(p) - Z(a);
    return px * (by * cz - bz * cy) + py * (bz * cx - bx * cz) + pz * (bx * cy - by * cx);
  };
  let i3 = -1;
  best = 0;
  for (let i = 0; i < n; i++) {
    const d = Math.abs(orient(i0, i1, i2, i));
    if (d > best) {
      best = d;
      i3 = i;
    }
  }
  if (i3 < 0) return null;

  // --- Face storage (struct of arrays, grown on demand).
  let cap = 64;
  let fv = new Int32Array(3 * cap); // vertices
  let fnb = new Int32Array(3 * cap); // neighbour across edge (v0v1, v1v2, v2v0)
  let fn = new Float64Array(4 * cap); // plane: normal (not normalised) and offset n.a
  let alive = new Uint8Array(cap);
  let mark = new Int32Array(cap);
  const outside: number[][] = [];
  let nf = 0;
  const grow = () => {
    cap *= 2;
    const v2 = new Int32Array(3 * cap);
    v2.set(fv);
    fv = v2;
    const nb2 = new Int32Array(3 * cap);
    nb2.set(fnb);
    fnb = nb2;
    const n2 = new Float64Array(4 * cap);
    n2.set(fn);
    fn = n2;
    const a2 = new Uint8Array(cap);
    a2.set(alive);
    alive = a2;
    const m2 = new Int32Array(cap);
    m2.set(mark);
    mark = m2;
  };
  const addFace = (a: number, b: number, c: number): number => {
    if (nf === cap) grow();
    const f = nf++;
    fv[3 * f] = a;
    fv[3 * f + 1] = b;
    fv[3 * f + 2] = c;
    const bx = X(b) - X(a), by = Y(b) - Y(a), bz = Z(b) - Z(a);
    const cx = X(c) - X(a), cy = Y(c) - Y(a), cz = Z(c) - Z(a);
    const nx = by * cz - bz * cy, ny = bz * cx - bx * cz, nz = bx * cy - by * cx;
    fn[4 * f] = nx;
    fn[4 * f + 1] = ny;
    fn[4 * f + 2] = nz;
    fn[4 * f + 3] = nx * X(a) + ny * Y(a) + nz * Z(a);
    alive[f] = 1;
    mark[f] = -1;
    outside[f] = [];
    return f;
  };
  // Exact: all terms are integers well below 2^53.
  const height = (f: number, p: number) => fn[4 * f] * X(p) + fn[4 * f + 1] * Y(p) + fn[4 * f + 2] * Z(p) - fn[4 * f + 3];

  // Tetrahedron with outward faces: (i0, i1, i2) must see i3 below it.
  let t0 = i0, t1 = i1;
  if (orient(i0, i1, i2, i3) > 0) {
    t0 = i1;
    t1 = i0;
  }
  const f0 = addFace(t0, t1, i2);
  const f1 = addFace(t1, t0, i3);
  const f2 = addFace(i2, t1, i3);
  const f3 = addFace(t0, i2, i3);
  // Neighbours: edge (u,v) of one face is (v,u) of another.
  const link = (faces: number[]) => {
    for (const f of faces) {
      for (let e = 0; e < 3; e++) {
        const u = fv[3 * f + e], v = fv[3 * f + ((e + 1) % 3)];
        for (const g of faces) {
          if (g === f) continue;
          for (let k = 0; k < 3; k++) if (fv[3 * g + k] === v && fv[3 * g + ((k + 1) % 3)] === u) fnb[3 * f + e] = g;
        }
      }
    }
  };
  link([f0, f1, f2, f3]);

  const assign = (p: number, faces: number[]) => {
    for (const f of faces) {
      if (height(f, p) > 0) {
        outside[f].push(p);
        return;
      }
    }
  };
  const initial = [f0, f1, f2, f3];
  for (let p = 0; p < n; p++) if (p !== i0 && p !== i1 && p !== i2 && p !== i3) assign(p, initial);

  const stack: number[] = initial.filter((f) => outside[f].length > 0);
  const visible: number[] = [];
  const horizonFace: number[] = [];
  const horizonEdge: number[] = [];
  let iteration = 0;
  while (stack.length > 0) {
    const f = stack.pop() as number;
    if (!alive[f] || outside[f].length === 0) continue;
    iteration++;
    // Farthest point from the face plane (the choice only affects speed, not the result).
    const pts = outside[f];
    const nlen = Math.hypot(fn[4 * f], fn[4 * f + 1], fn[4 * f + 2]);
    let eye = pts[0], far = -1;
    for (const p of pts) {
      const h = height(f, p) / nlen;
      if (h > far) {
        far = h;
        eye = p;
      }
    }
    // Visible faces (strictly below the eye) by flood fill; collect the horizon in the same pass.
    visible.length = 0;
    horizonFace.length = 0;
    horizonEdge.length = 0;
    mark[f] = iteration;
    visible.push(f);
    for (let vi = 0; vi < visible.length; vi++) {
      const g = visible[vi];
      for (let e = 0; e < 3; e++) {
        const h = fnb[3 * g + e];
        if (mark[h] === iteration) continue;
        if (height(h, eye) > 0) {
          mark[h] = iteration;
          visible.push(h);
        }
      }
    }
    for (const g of visible) {
      for (let e = 0; e < 3; e++) {
        const h = fnb[3 * g + e];
        if (mark[h] !== iteration) {
          horizonFace.push(g);
          horizonEdge.push(e);
        }
      }
    }
    // New faces: one per horizon edge (u, v) -> (u, v, eye).
    const byStart = new Map<number, number>();
    const byEnd = new Map<number, number>();
    const created: number[] = [];
    for (let k = 0; k < horizonFace.length; k++) {
      const g = horizonFace[k], e = horizonEdge[k];
      const u = fv[3 * g + e], v = fv[3 * g + ((e + 1) % 3)];
      const h = fnb[3 * g + e];
      const nfc = addFace(u, v, eye);
      fnb[3 * nfc] = h;
      for (let j = 0; j < 3; j++) if (fnb[3 * h + j] === g && fv[3 * h + j] === v) fnb[3 * h + j] = nfc;
      byStart.set(u, nfc);
      byEnd.set(v, nfc);
      created.push(nfc);
    }
    for (const c of created) {
      const u = fv[3 * c], v = fv[3 * c + 1];
      fnb[3 * c + 1] = byStart.get(v) as number; // edge (v, eye) is (eye, v) of the face starting at v
      fnb[3 * c + 2] = byEnd.get(u) as number; // edge (eye, u) is (u, eye) of the face ending at u
    }
    for (const g of visible) {
      alive[g] = 0;
      for (const p of outside[g]) if (p !== eye) assign(p, created);
      outside[g] = [];
    }
    for (const c of created) if (outside[c].length > 0) stack.push(c);
  }

  const tris: number[] = [];
  const used = new Uint8Array(n);
  for (let f = 0; f < nf; f++) {
    if (!alive[f]) continue;
    for (let j = 0; j < 3; j++) {
      tris.push(fv[3 * f + j]);
      used[fv[3 * f + j]] = 1;
    }
  }
  const verts: number[] = [];
  for (let i = 0; i < n; i++) if (used[i]) verts.push(i);
  return { vertices: Int32Array.from(verts), triangles: Int32Array.from(tris) };
}
