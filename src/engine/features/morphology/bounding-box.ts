/**
 * Bounding boxes of the ROI mesh for the volume and area densities of IBSI 3.1.15-18.
 */

/** Edge lengths of the axis-aligned bounding box of xyz-interleaved points (IBSI 3.1.15, PBX1/R59B). */
export function axisAlignedBoxDimensions(points: ArrayLike<number>): [number, number, number] {
  const lo = [Infinity, Infinity, Infinity];
  const hi = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i + 2 < points.length; i += 3) {
    for (let a = 0; a < 3; a++) {
      const v = points[i + a];
      if (v < lo[a]) lo[a] = v;
      if (v > hi[a]) hi[a] = v;
    }
  }
  return [hi[0] - lo[0], hi[1] - lo[1], hi[2] - lo[2]];
}

/**
 * Edge lengths of a small-volume oriented bounding box of a convex polytope (IBSI 3.1.17-18,
 * ZH1A/IQYR; IBSI gives no reference value and no algorithm).
 *
 * What is computed: the minimum, over every distinct face plane of the convex hull, of the box
 * with one side flush with that face; within that plane the rectangle is the minimum-area
 * rectangle enclosing the polytope's silhouette, found by trying every silhouette edge direction
 * (the 2D rotating-calipers theorem: a minimum-area enclosing rectangle has a side collinear with
 * a hull edge). O'Rourke (1985) showed the true minimum-volume box may instead have two
 * adjacent sides each touching only a hull edge; this face-flush search is the common, much
 * cheaper approximation and is exact for boxes, prisms and most lattice shapes.
 *
 * @param positions hull vertex positions (mm), xyz interleaved, indexed by `triangles`.
 * @param triangles hull triangles, outward-wound.
 */
export function orientedMinimumBoxDimensions(positions: ArrayLike<number>, triangles: ArrayLike<number>): [number, number, number] {
  const nt = Math.floor(triangles.length / 3);
  const P = positions;
  // Unit face normals, deduplicated (coplanar hull triangles share a plane).
  const normals: number[] = [];
  const faceNormal = new Float64Array(3 * nt);
  const seen = new Set<string>();
  for (let t = 0; t < nt; t++) {
    const a = 3 * triangles[3 * t], b = 3 * triangles[3 * t + 1], c = 3 * triangles[3 * t + 2];
    const ux = P[b] - P[a], uy = P[b + 1] - P[a + 1], uz = P[b + 2] - P[a + 2];
    const vx = P[c] - P[a], vy = P[c + 1] - P[a + 1], vz = P[c + 2] - P[a + 2];
    let nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, nz = ux * vy - uy * vx;
    const len = Math.hypot(nx, ny, nz);
    if (len === 0) continue;
    nx /= len;
    ny /= len;
    nz /= len;
    faceNormal[3 * t] = nx;
    faceNormal[3 * t + 1] = ny;
    faceNormal[3 * t + 2] = nz;
    const key = `${Math.round(nx * 1e9)},${Math.round(ny * 1e9)},${Math.round(nz * 1e9)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    normals.push(nx, ny, nz);
  }
  // Edges with their two adjacent triangles (for the silhouette).
  const edgeA: number[] = [];
  const edgeB: number[] = [];
  const edgeF: number[] = [];
  const edgeG: number[] = [];
  const open = new Map<number, number>();
  const nv = Math.floor(P.length / 3);
  for (let t = 0; t < nt; t++) {
    for (let e = 0; e < 3; e++) {
      const u = triangles[3 * t + e], v = triangles[3 * t + ((e + 1) % 3)];
      const back = open.get(v * nv + u);
      if (back !== undefined) {
        open.delete(v * nv + u);
        edgeA.push(u);
        edgeB.push(v);
        edgeF.push(t);
        edgeG.push(back);
      } else open.set(u * nv + v, t);
    }
  }
  // Distinct hull vertices.
  const used = new Uint8Array(nv);
  for (let i = 0; i < triangles.length; i++) used[triangles[i]] = 1;
  const verts: number[] = [];
  for (let i = 0; i < nv; i++) if (used[i]) verts.push(i);

  const ctx: BoxSearch = {
    P,
    verts: Int32Array.from(verts),
    edgeA: Int32Array.from(edgeA),
    edgeB: Int32Array.from(edgeB),
    edgeF: Int32Array.from(edgeF),
    edgeG: Int32Array.from(edgeG),
    faceNormal,
    silhouette: new Int32Array(nv),
    silVerts: [],
    dirs: [],
    bestVolume: Infinity,
    best: [NaN, NaN, NaN],
  };
  // One call per face plane: a function of its own, so that V8 optimises it after the first few
  // planes of a cold process instead of running the whole search unoptimised.
  for (let k = 0; k < normals.length; k += 3) boxFlushWith(normals[k], normals[k + 1], normals[k + 2], k, ctx);
  return ctx.best;
}

/** State of the oriented-box search shared by the face planes. */
interface BoxSearch {
  P: ArrayLike<number>;
  verts: Int32Array;
  edgeA: Int32Array;
  edgeB: Int32Array;
  edgeF: Int32Array;
  edgeG: Int32Array;
  faceNormal: Float64Array;
  /** silhouette[v] = k + 1 when vertex v is on the silhouette for plane k. */
  silhouette: Int32Array;
  silVerts: number[];
  dirs: number[];
  bestVolume: number;
  best: [number, number, number];
}

/** The smallest box with a side flush with the plane of normal n (plane number k); updates ctx.best. */
function boxFlushWith(nx: number, ny: number, nz: number, k: number, ctx: BoxSearch): void {
  const { P, verts, edgeA, edgeB, edgeF, edgeG, faceNormal, silhouette, silVerts, dirs } = ctx;
  let lo = Infinity, hi = -Infinity;
  for (let v = 0; v < verts.length; v++) {
    const i = verts[v];
    const h = nx * P[3 * i] + ny * P[3 * i + 1] + nz * P[3 * i + 2];
    if (h < lo) lo = h;
    if (h > hi) hi = h;
  }
  const height = hi - lo;
  // Silhouette: edges between a face turned towards n and one turned away (or edge-on).
  silVerts.length = 0;
  dirs.length = 0;
  for (let e = 0; e < edgeA.length; e++) {
    const f = edgeF[e], g = edgeG[e];
    const df = nx * faceNormal[3 * f] + ny * faceNormal[3 * f + 1] + nz * faceNormal[3 * f + 2];
    const dg = nx * faceNormal[3 * g] + ny * faceNormal[3 * g + 1] + nz * faceNormal[3 * g + 2];
    if (df > 1e-12 === dg > 1e-12) continue;
    const a = edgeA[e], b = edgeB[e];
    // Edge direction projected onto the plane normal to n.
    let dx = P[3 * b] - P[3 * a], dy = P[3 * b + 1] - P[3 * a + 1], dz = P[3 * b + 2] - P[3 * a + 2];
    const along = dx * nx + dy * ny + dz * nz;
    dx -= along * nx;
    dy -= along * ny;
    dz -= along * nz;
    const len = Math.hypot(dx, dy, dz);
    if (len > 1e-12) dirs.push(dx / len, dy / len, dz / len);
    if (silhouette[a] !== k + 1) {
      silhouette[a] = k + 1;
      silVerts.push(a);
    }
    if (silhouette[b] !== k + 1) {
      silhouette[b] = k + 1;
      silVerts.push(b);
    }
  }
  for (let d = 0; d < dirs.length; d += 3) {
    const ux = dirs[d], uy = dirs[d + 1], uz = dirs[d + 2];
    const wx = ny * uz - nz * uy, wy = nz * ux - nx * uz, wz = nx * uy - ny * ux;
    let ulo = Infinity, uhi = -Infinity, wlo = Infinity, whi = -Infinity;
    let pruned = false;
    for (let s = 0; s < silVerts.length; s++) {
      const i = silVerts[s];
      const x = P[3 * i], y = P[3 * i + 1], z = P[3 * i + 2];
      const pu = ux * x + uy * y + uz * z;
      const pw = wx * x + wy * y + wz * z;
      if (pu < ulo) ulo = pu;
      if (pu > uhi) uhi = pu;
      if (pw < wlo) wlo = pw;
      if (pw > whi) whi = pw;
      // The extents only grow: a box already no smaller than the best cannot win (the result
      // is the same as scanning every vertex; most directions stop after a few).
      if (s > 0 && height * (uhi - ulo) * (whi - wlo) >= ctx.bestVolume) {
        pruned = true;
        break;
      }
    }
    if (pruned) continue;
    const volume = height * (uhi - ulo) * (whi - wlo);
    if (volume < ctx.bestVolume) {
      ctx.bestVolume = volume;
      ctx.best = [height, uhi - ulo, whi - wlo];
    }
  }
}
