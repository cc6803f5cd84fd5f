import { describe, expect, it } from 'vitest';
import { convexHull3 } from '../../src/engine/features/morphology/convex-hull';
import { ellipsoidSurfaceArea, minimumVolumeEnclosingEllipsoid } from '../../src/engine/features/morphology/ellipsoid';
import { axisAlignedBoxDimensions, orientedMinimumBoxDimensions } from '../../src/engine/features/morphology/bounding-box';
import { meshVolumeAndArea } from '../../src/engine/features/morphology/marching-cubes';
import { symmetricEigen3 } from '../../src/engine/util/eigen3';

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hullVolumeArea(points: number[]) {
  const hull = convexHull3(points);
  if (!hull) throw new Error('no hull');
  return { hull, ...meshVolumeAndArea({ positions: Float64Array.from(points), triangles: hull.triangles, lattice: new Int32Array(0) }) };
}

/** All lattice points of a box, including the interior and the faces (maximally degenerate input). */
function latticeBox(nx: number, ny: number, nz: number): number[] {
  const p: number[] = [];
  for (let z = 0; z <= nz; z++) for (let y = 0; y <= ny; y++) for (let x = 0; x <= nx; x++) p.push(x, y, z);
  return p;
}

describe('convex hull (exact quickhull)', () => {
  it('a box given by all its lattice points: 8 vertices, volume and area of the box', () => {
    const { hull, volume, area } = hullVolumeArea(latticeBox(4, 3, 2));
    expect(Array.from(hull.vertices).length).toBe(8);
    expect(volume).toBeCloseTo(24, 12);
    expect(area).toBeCloseTo(2 * (12 + 8 + 6), 12);
  });

  it('a tetrahedron with interior points', () => {
    const p = [0, 0, 0, 6, 0, 0, 0, 6, 0, 0, 0, 6, 1, 1, 1, 2, 1, 1, 1, 2, 0, 3, 3, 0];
    const { hull, volume } = hullVolumeArea(p);
    expect(Array.from(hull.vertices)).toEqual([0, 1, 2, 3]);
    expect(volume).toBeCloseTo(36, 12); // 6^3 / 6
  });

  it('random integer points: every point on or below every hull face, Euler V - E + F = 2', () => {
    const rand = rng(11);
    for (let trial = 0; trial < 10; trial++) {
      const p: number[] = [];
      for (let i = 0; i < 300; i++) p.push(Math.floor(rand() * 12), Math.floor(rand() * 9), Math.floor(rand() * 7));
      const hull = convexHull3(p);
      expect(hull).not.toBeNull();
      if (!hull) continue;
      const T = hull.triangles;
      let highest = -Infinity;
      for (let t = 0; t < T.length; t += 3) {
        const [a, b, c] = [T[t], T[t + 1], T[t + 2]];
        const u = [p[3 * b] - p[3 * a], p[3 * b + 1] - p[3 * a + 1], p[3 * b + 2] - p[3 * a + 2]];
        const v = [p[3 * c] - p[3 * a], p[3 * c + 1] - p[3 * a + 1], p[3 * c + 2] - p[3 * a + 2]];
        const n = [u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]];
        for (let i = 0; i < p.length / 3; i++) {
          const h = n[0] * (p[3 * i] - p[3 * a]) + n[1] * (p[3 * i + 1] - p[3 * a + 1]) + n[2] * (p[3 * i + 2] - p[3 * a + 2]);
          if (h > highest) highest = h;
        }
      }
      expect(highest === 0).toBe(true); // every face plane touches the set and has nothing above it
      const F = T.length / 3;
      const V = new Set(Array.from(T)).size;
      expect(V - (3 * F) / 2 + F).toBe(2);
    }
  });

  it('coplanar input has no 3D hull', () => {
    expect(convexHull3([0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 1, 0, 2, 3, 0])).toBeNull();
  });
});

describe('ellipsoid surface area (IBSI Legendre series)', () => {
  it('is exactly 4 pi r^2 for a sphere', () => {
    expect(ellipsoidSurfaceArea([3, 3, 3])).toBeCloseTo(4 * Math.PI * 9, 12);
  });

  it('equals the series summed directly with Legendre polynomials at x (triaxial case)', () => {
    // IBSI 3.1.20 literally: 4 pi a b sum_{nu=0}^{20} (alpha beta)^nu / (1 - 4 nu^2) P_nu(x),
    // with P_nu by Bonnet's recurrence at x = (alpha^2 + beta^2) / (2 alpha beta) > 1.
    const [a, b, c] = [5, 3, 2];
    const alpha = Math.sqrt(1 - (b * b) / (a * a));
    const beta = Math.sqrt(1 - (c * c) / (a * a));
    const x = (alpha * alpha + beta * beta) / (2 * alpha * beta);
    let p0 = 1, p1 = x;
    let sum = 1 + (alpha * beta * p1) / (1 - 4);
    for (let nu = 2; nu <= 20; nu++) {
      const p2 = ((2 * nu - 1) * x * p1 - (nu - 1) * p0) / nu;
      sum += ((alpha * beta) ** nu * p2) / (1 - 4 * nu * nu);
      p0 = p1;
      p1 = p2;
    }
    expect(ellipsoidSurfaceArea([a, b, c])).toBeCloseTo(4 * Math.PI * a * b * sum, 9);
  });

  it('is finite for spheroids (alpha or beta = 0), where x is infinite', () => {
    // The series is IBSI's approximation, not the exact spheroid area (for a = 2, b = c = 1.5 it
    // gives about 31.6 against the exact 34.7), so only check it is finite and between the
    // areas of the inscribed and circumscribed spheres.
    for (const axes of [
      [2, 1.5, 1.5],
      [2, 2, 1.5],
    ]) {
      const area = ellipsoidSurfaceArea(axes);
      expect(Number.isFinite(area)).toBe(true);
      expect(area).toBeGreaterThan(4 * Math.PI * 1.5 ** 2);
      expect(area).toBeLessThan(4 * Math.PI * 2 ** 2);
    }
  });

  it('does not depend on the order of the semi-axes; NaN for a degenerate axis', () => {
    expect(ellipsoidSurfaceArea([1, 3, 2])).toBeCloseTo(ellipsoidSurfaceArea([3, 2, 1]), 12);
    expect(ellipsoidSurfaceArea([3, 2, 0])).toBeNaN();
  });
});

describe('minimum volume enclosing ellipsoid', () => {
  it('of the 8 corners of a cube is the circumscribed sphere (radius sqrt 3 for a 2-cube)', () => {
    const p: number[] = [];
    for (const x of [-1, 1]) for (const y of [-1, 1]) for (const z of [-1, 1]) p.push(x + 5, y - 2, z + 7);
    const axes = minimumVolumeEnclosingEllipsoid(p, 1e-7);
    expect(axes).not.toBeNull();
    for (const s of axes ?? []) expect(s).toBeCloseTo(Math.sqrt(3), 4);
  });

  it('of 2,000 points inside and on a rotated ellipsoid (semi-axes 40, 25, 12) is that ellipsoid', () => {
    // Points on the surface (covering it) and inside: the MVEE is the ellipsoid itself. Most
    // points are inside, so the solver must drop them (Harman-Pronzato) and still find the optimum.
    let seed = 11;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const [a, b, c] = [40, 25, 12];
    const th = 0.4, ph = -0.7;
    const p: number[] = [];
    for (let i = 0; i < 2000; i++) {
      const z = rnd() * 2 - 1, t = rnd() * 2 * Math.PI, r = Math.sqrt(1 - z * z);
      const s = i < 600 ? 1 : Math.cbrt(rnd()) * 0.999; // 600 on the surface, the rest inside
      const x0 = a * r * Math.cos(t) * s, y0 = b * r * Math.sin(t) * s, z0 = c * z * s;
      // Rotate about z by th, then about x by ph, and translate.
      const x1 = x0 * Math.cos(th) - y0 * Math.sin(th), y1 = x0 * Math.sin(th) + y0 * Math.cos(th);
      p.push(x1 + 100, y1 * Math.cos(ph) - z0 * Math.sin(ph) - 50, y1 * Math.sin(ph) + z0 * Math.cos(ph) + 7);
    }
    const axes = minimumVolumeEnclosingEllipsoid(p);
    expect(axes).not.toBeNull();
    // 600 surface points leave gaps: the MVEE is at most the ellipsoid and close to it.
    expect(axes?.[0]).toBeLessThanOrEqual(40 + 1e-9);
    expect(axes?.[0]).toBeCloseTo(40, 0);
    expect(axes?.[1]).toBeCloseTo(25, 0);
    expect(axes?.[2]).toBeCloseTo(12, 0);
    // The result does not depend on the order of the points.
    const reversed: number[] = [];
    for (let i = p.length / 3 - 1; i >= 0; i--) reversed.push(p[3 * i], p[3 * i + 1], p[3 * i + 2]);
    const again = minimumVolumeEnclosingEllipsoid(reversed);
    for (let k = 0; k < 3; k++) expect(again?.[k]).toBeCloseTo(axes?.[k] ?? NaN, 7);
  });

  it('of the 6 vertices of an axis-aligned octahedron is the ellipsoid through them', () => {
    const p = [3, 0, 0, -3, 0, 0, 0, 2, 0, 0, -2, 0, 0, 0, 1, 0, 0, -1];
    const axes = minimumVolumeEnclosingEllipsoid(p, 1e-8);
    expect(axes?.[0]).toBeCloseTo(3, 3);
    expect(axes?.[1]).toBeCloseTo(2, 3);
    expect(axes?.[2]).toBeCloseTo(1, 3);
  });
});

describe('bounding boxes', () => {
  it('axis-aligned box of points', () => {
    expect(axisAlignedBoxDimensions([1, 2, 3, -1, 5, 3, 0, 0, 4])).toEqual([2, 5, 1]);
  });

  it('oriented minimum box of a rotated box is the box itself', () => {
    // A 4 x 2 x 1 box rotated by 30 degrees about z: the axis-aligned box is larger, the oriented
    // minimum box recovers 4 x 2 x 1.
    const th = Math.PI / 6;
    const corners: number[] = [];
    for (const x of [0, 4]) for (const y of [0, 2]) for (const z of [0, 1]) corners.push(x * Math.cos(th) - y * Math.sin(th), x * Math.sin(th) + y * Math.cos(th), z);
    // Hull by exact quickhull on a scaled integer copy is not possible for rotated points; use the
    // known 12 triangles of the box instead (outward winding is irrelevant to the box search).
    const idx = (x: number, y: number, z: number) => 4 * x + 2 * y + z;
    const quads = [
      [idx(0, 0, 0), idx(0, 1, 0), idx(1, 1, 0), idx(1, 0, 0)],
      [idx(0, 0, 1), idx(1, 0, 1), idx(1, 1, 1), idx(0, 1, 1)],
      [idx(0, 0, 0), idx(1, 0, 0), idx(1, 0, 1), idx(0, 0, 1)],
      [idx(0, 1, 0), idx(0, 1, 1), idx(1, 1, 1), idx(1, 1, 0)],
      [idx(0, 0, 0), idx(0, 0, 1), idx(0, 1, 1), idx(0, 1, 0)],
      [idx(1, 0, 0), idx(1, 1, 0), idx(1, 1, 1), idx(1, 0, 1)],
    ];
    const tris: number[] = [];
    for (const [a, b, c, d] of quads) tris.push(a, b, c, a, c, d);
    const dims = orientedMinimumBoxDimensions(corners, tris);
    expect(dims[0] * dims[1] * dims[2]).toBeCloseTo(8, 10);
    expect([...dims].sort((p, q) => p - q).map((v) => Number(v.toFixed(10)))).toEqual([1, 2, 4]);
    const aabb = axisAlignedBoxDimensions(corners);
    expect(aabb[0] * aabb[1] * aabb[2]).toBeGreaterThan(8.5);
  });
});

describe('symmetric 3x3 eigen decomposition', () => {
  it('diagonal, repeated and rotated matrices', () => {
    expect(symmetricEigen3([2, 0, 0, 0, 5, 0, 0, 0, 3]).values).toEqual([5, 3, 2]);
    const rep = symmetricEigen3([4, 0, 0, 0, 4, 0, 0, 0, 4]).values;
    expect(rep).toEqual([4, 4, 4]);
    // R diag(6, 2, 1) R^T with R a rotation about z by 40 degrees and about x by 25 degrees.
    const c1 = Math.cos(0.7), s1 = Math.sin(0.7), c2 = Math.cos(0.44), s2 = Math.sin(0.44);
    const Rz = [c1, -s1, 0, s1, c1, 0, 0, 0, 1];
    const Rx = [1, 0, 0, 0, c2, -s2, 0, s2, c2];
    const mul = (A: number[], B: number[]) => Array.from({ length: 9 }, (_, i) => A[3 * Math.floor(i / 3)] * B[i % 3] + A[3 * Math.floor(i / 3) + 1] * B[3 + (i % 3)] + A[3 * Math.floor(i / 3) + 2] * B[6 + (i % 3)]);
    const R = mul(Rz, Rx);
    const Rt = [R[0], R[3], R[6], R[1], R[4], R[7], R[2], R[5], R[8]];
    const M = mul(mul(R, [6, 0, 0, 0, 2, 0, 0, 0, 1]), Rt);
    const { values, vectors } = symmetricEigen3(M);
    expect(values[0]).toBeCloseTo(6, 12);
    expect(values[1]).toBeCloseTo(2, 12);
    expect(values[2]).toBeCloseTo(1, 12);
    // M v = lambda v for each pair.
    for (let e = 0; e < 3; e++) {
      const v = vectors[e];
      for (let r = 0; r < 3; r++) expect(M[3 * r] * v[0] + M[3 * r + 1] * v[1] + M[3 * r + 2] * v[2]).toBeCloseTo(values[e] * v[r], 12);
    }
  });
});
