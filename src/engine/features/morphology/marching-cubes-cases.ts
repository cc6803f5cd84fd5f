/**
 * The marching-cubes case table of marching-cubes.ts, derived from its rules (see the comment
 * there): contour segments on each cube face, oriented and chained into loops, each loop
 * triangulated as Lewiner's tables do for binary data. marching-cubes-table.ts holds the result;
 * scripts/generate-marching-cubes-table.mjs rewrites it and test/unit/morph-mesh.test.ts checks
 * that it is still what this derivation gives.
 */
import type { Vec3 } from '../../image/volume';

/** Corner c of a cube sits at offset (c & 1, (c >> 1) & 1, (c >> 2) & 1) along axes (0, 1, 2). */
function cornerOffset(c: number): Vec3 {
  return [c & 1, (c >> 1) & 1, (c >> 2) & 1];
}

/** Cube edge e: its two corners and its axis. Edges 0-3 run along axis 0, 4-7 along 1, 8-11 along 2. */
interface CubeEdge {
  a: number;
  b: number;
  axis: number;
}

export const EDGES: CubeEdge[] = (() => {
  const out: CubeEdge[] = [];
  for (let axis = 0; axis < 3; axis++) {
    const bit = 1 << axis;
    for (let c = 0; c < 8; c++) if ((c & bit) === 0) out.push({ a: c, b: c | bit, axis });
  }
  return out;
})();

function edgeBetween(a: number, b: number): number {
  for (let e = 0; e < 12; e++) {
    const E = EDGES[e];
    if ((E.a === a && E.b === b) || (E.a === b && E.b === a)) return e;
  }
  throw new Error(`corners ${a} and ${b} share no cube edge`);
}

function edgeMidpoint(e: number): Vec3 {
  const pa = cornerOffset(EDGES[e].a);
  const pb = cornerOffset(EDGES[e].b);
  return [(pa[0] + pb[0]) / 2, (pa[1] + pb[1]) / 2, (pa[2] + pb[2]) / 2];
}

/** The six faces: four corners in cyclic order and the outward normal. */
const FACES: { corners: number[]; normal: Vec3 }[] = (() => {
  const out: { corners: number[]; normal: Vec3 }[] = [];
  for (let axis = 0; axis < 3; axis++) {
    const u = 1 << ((axis + 1) % 3);
    const v = 1 << ((axis + 2) % 3);
    for (let side = 0; side < 2; side++) {
      const base = side << axis;
      const normal: Vec3 = [0, 0, 0];
      normal[axis] = side === 0 ? -1 : 1;
      out.push({ corners: [base, base | u, base | u | v, base | v], normal });
    }
  }
  return out;
})();

const sub = (p: Vec3, q: Vec3): Vec3 => [p[0] - q[0], p[1] - q[1], p[2] - q[2]];
const cross = (p: Vec3, q: Vec3): Vec3 => [p[1] * q[2] - p[2] * q[1], p[2] * q[0] - p[0] * q[2], p[0] * q[1] - p[1] * q[0]];
const dot = (p: Vec3, q: Vec3): number => p[0] * q[0] + p[1] * q[1] + p[2] * q[2];
const norm = (p: Vec3): number => Math.sqrt(dot(p, p));

/** Directed contour segments (pairs of edge ids) on the faces of a cube with the given inside corners. */
function faceSegments(config: number): [number, number][] {
  const inside = (c: number) => ((config >> c) & 1) === 1;
  const segments: [number, number][] = [];
  for (const face of FACES) {
    const fc = face.corners;
    const crossings: number[] = [];
    for (let m = 0; m < 4; m++) if (inside(fc[m]) !== inside(fc[(m + 1) % 4])) crossings.push(m);
    const pairs: [number, number][] = [];
    if (crossings.length === 2) {
      pairs.push([edgeBetween(fc[crossings[0]], fc[(crossings[0] + 1) % 4]), edgeBetween(fc[crossings[1]], fc[(crossings[1] + 1) % 4])]);
    } else if (crossings.length === 4) {
      // Ambiguous face: join the inside corners, i.e. cut off each outside corner on its own.
      for (let m = 0; m < 4; m++) {
        if (inside(fc[m])) continue;
        pairs.push([edgeBetween(fc[(m + 3) % 4], fc[m]), edgeBetween(fc[m], fc[(m + 1) % 4])]);
      }
    }
    for (const [e0, e1] of pairs) {
      // Orient with the inside on the left seen from outside: left of d on a surface of normal n is n x d.
      const p0 = edgeMidpoint(e0);
      const d = sub(edgeMidpoint(e1), p0);
      const left = cross(face.normal, d);
      // Any inside corner of this face that is adjacent to the segment decides; take the one nearest
      // to the segment's midpoint (both endpoints lie on edges touching it).
      const mid: Vec3 = [p0[0] + d[0] / 2, p0[1] + d[1] / 2, p0[2] + d[2] / 2];
      let best = -1;
      let bestDist = Infinity;
      for (const c of fc) {
        const dist = norm(sub(cornerOffset(c), mid));
        if (dist < bestDist - 1e-12) {
          bestDist = dist;
          best = c;
        }
      }
      const nearestInside = inside(best);
      const side = dot(left, sub(cornerOffset(best), mid));
      segments.push(side > 0 === nearestInside ? [e0, e1] : [e1, e0]);
    }
  }
  return segments;
}

/** Closed loops of edge ids from directed segments (each edge starts one segment and ends one). */
function chainLoops(segments: [number, number][]): number[][] {
  const next = new Map<number, number>();
  for (const [a, b] of segments) {
    if (next.has(a)) throw new Error('marching cubes: inconsistent contour orientation');
    next.set(a, b);
  }
  const seen = new Set<number>();
  const loops: number[][] = [];
  for (const [start] of segments) {
    if (seen.has(start)) continue;
    const loop: number[] = [];
    let e = start;
    while (!seen.has(e)) {
      seen.add(e);
      loop.push(e);
      const n = next.get(e);
      if (n === undefined) throw new Error('marching cubes: open contour');
      e = n;
    }
    loops.push(loop);
  }
  return loops;
}

function triangleArea(p: Vec3, q: Vec3, r: Vec3): number {
  return norm(cross(sub(q, p), sub(r, p))) / 2;
}

/** Whether two edge midpoints lie on a common face of the cube (a diagonal between them would lie in that face). */
function onCommonFace(p: Vec3, q: Vec3): boolean {
  for (let a = 0; a < 3; a++) if (p[a] === q[a] && p[a] !== 0.5) return true;
  return false;
}

/**
 * Triangulation of a closed contour loop by interval dynamic programming (O(n^3)); triangles keep
 * the loop's orientation. The rule reproduces Lewiner's tables on binary data: loops of up to six
 * vertices take the triangulation of largest area; seven-vertex loops (case 6.2) take the one of
 * smallest area among those with no diagonal lying in a cube face. Ties go to the first split
 * found, deterministically.
 */
function triangulateLoop(loop: number[]): [number, number, number][] {
  const n = loop.length;
  const pts = loop.map(edgeMidpoint);
  const largest = n <= 6;
  // Cost to minimise: -area, or (diagonals in a face) * BIG + area.
  const BIG = 1e6;
  const diagonalCost = (i: number, j: number) => (!largest && j - i > 1 && !(i === 0 && j === n - 1) && onCommonFace(pts[i], pts[j]) ? BIG : 0);
  const best: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const split: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(-1));
  for (let len = 2; len < n; len++) {
    for (let i = 0; i + len < n; i++) {
      const j = i + len;
      let bv = Infinity;
      for (let k = i + 1; k < j; k++) {
        const area = triangleArea(pts[i], pts[k], pts[j]);
        const v = best[i][k] + best[k][j] + (largest ? -area : area) + diagonalCost(i, k) + diagonalCost(k, j);
        if (v < bv - 1e-12) {
          bv = v;
          split[i][j] = k;
        }
      }
      best[i][j] = bv;
    }
  }
  const out: [number, number, number][] = [];
  const emit = (i: number, j: number) => {
    if (j - i < 2) return;
    const k = split[i][j];
    out.push([loop[i], loop[k], loop[j]]);
    emit(i, k);
    emit(k, j);
  };
  emit(0, n - 1);
  return out;
}

/** Per configuration (bit c = corner c inside), the triangles as edge ids, outward-wound. */
export function deriveCaseTriangles(): Int8Array[] {
  const table: [number, number, number][][] = [];
  for (let config = 0; config < 256; config++) {
    const tris: [number, number, number][] = [];
    for (const loop of chainLoops(faceSegments(config))) tris.push(...triangulateLoop(loop));
    table.push(tris);
  }
  // Fix the winding once, globally: for a lone inside corner 0 the normal must point away from it.
  const t = table[1][0];
  const [p, q, r] = t.map(edgeMidpoint);
  const outward = dot(cross(sub(q, p), sub(r, p)), [1, 1, 1]) > 0;
  return table.map((tris) => {
    const flat = new Int8Array(tris.length * 3);
    tris.forEach((tri, i) => {
      flat[3 * i] = tri[0];
      flat[3 * i + 1] = outward ? tri[1] : tri[2];
      flat[3 * i + 2] = outward ? tri[2] : tri[1];
    });
    return flat;
  });
}

