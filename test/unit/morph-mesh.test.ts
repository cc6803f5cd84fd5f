import { describe, expect, it } from 'vitest';
import { deriveCaseTriangles } from '../../src/engine/features/morphology/marching-cubes-cases';
import { caseTriangles, meshOfMask, meshVolumeAndArea, type TriangleMesh } from '../../src/engine/features/morphology/marching-cubes';
import type { Vec3 } from '../../src/engine/image/volume';

function block(dims: Vec3, inside: (i: number, j: number, k: number) => boolean): Uint8Array {
  const m = new Uint8Array(dims[0] * dims[1] * dims[2]);
  for (let k = 0; k < dims[2]; k++)
    for (let j = 0; j < dims[1]; j++) for (let i = 0; i < dims[0]; i++) m[i + dims[0] * (j + dims[1] * k)] = inside(i, j, k) ? 1 : 0;
  return m;
}

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

/** Every directed edge appears once and its reverse once: closed and consistently oriented. */
function expectClosedAndOriented(mesh: TriangleMesh) {
  const directed = new Map<string, number>();
  const T = mesh.triangles;
  for (let t = 0; t < T.length; t += 3) {
    for (let e = 0; e < 3; e++) {
      const key = `${T[t + e]},${T[t + ((e + 1) % 3)]}`;
      directed.set(key, (directed.get(key) ?? 0) + 1);
    }
  }
  const bad: string[] = [];
  for (const [key, count] of directed) {
    const [a, b] = key.split(',');
    if (count !== 1 || directed.get(`${b},${a}`) !== 1) bad.push(key);
  }
  expect(bad).toEqual([]);
}

describe('marching cubes of a binary mask', () => {
  it('a single voxel is the octahedron spanned by the six face midpoints', () => {
    // Vertices sit halfway to the 6 neighbours: semi-axes a, b, c = spacing / 2. Octahedron
    // volume (4/3) a b c = sx sy sz / 6; its 8 faces have area (1/2) sqrt(a^2 b^2 + b^2 c^2 + a^2 c^2).
    const mesh = meshOfMask(block([3, 3, 3], (i, j, k) => i === 1 && j === 1 && k === 1), [3, 3, 3], [3, 2, 1]);
    expect(mesh.positions.length / 3).toBe(6);
    expect(mesh.triangles.length / 3).toBe(8);
    const { volume, area } = meshVolumeAndArea(mesh);
    expect(volume).toBeCloseTo((3 * 2 * 1) / 6, 12);
    const [a, b, c] = [1.5, 1, 0.5];
    expect(area).toBeCloseTo(4 * Math.sqrt(a * a * b * b + b * b * c * c + a * a * c * c), 12);
    expectClosedAndOriented(mesh);
  });

  it('a voxel on the grid border is padded and still closed', () => {
    const mesh = meshOfMask(new Uint8Array([1]), [1, 1, 1], [1, 1, 1]);
    expect(meshVolumeAndArea(mesh).volume).toBeCloseTo(1 / 6, 12);
    expectClosedAndOriented(mesh);
  });

  it('a 2x2x2 block: 1 + 6/2 + 12/8 + 8/48 = 17/3 voxel volumes, area 6 + 6 sqrt 2 + sqrt 3', () => {
    // Unit cubes of the padded 4x4x4 grid: the centre one is fully inside (1); the 6 face cubes
    // are cut in half by a square (area 1); the 12 edge cubes keep a prism of 1/8 under a
    // 1 x sqrt(1/2) rectangle; the 8 corner cubes keep a tetrahedron of 1/48 under an equilateral
    // triangle of side sqrt(1/2) (area sqrt(3)/8).
    const mesh = meshOfMask(block([2, 2, 2], () => true), [2, 2, 2], [1, 1, 1]);
    const { volume, area } = meshVolumeAndArea(mesh);
    expect(volume).toBeCloseTo(17 / 3, 12);
    expect(area).toBeCloseTo(6 + 6 * Math.SQRT2 + Math.sqrt(3), 12);
    expectClosedAndOriented(mesh);
  });

  it('scales with the spacing: the 2x2x2 block at (2, 3, 0.5) mm has volume 17/3 * 3', () => {
    const { volume } = meshVolumeAndArea(meshOfMask(block([2, 2, 2], () => true), [2, 2, 2], [2, 3, 0.5]));
    expect(volume).toBeCloseTo((17 / 3) * 3, 10);
  });

  it('a digitised sphere converges to 4/3 pi r^3 and 4 pi r^2', () => {
    const r = 12;
    const n = 2 * r + 3;
    const c = (n - 1) / 2;
    const mesh = meshOfMask(block([n, n, n], (i, j, k) => (i - c) ** 2 + (j - c) ** 2 + (k - c) ** 2 <= r * r), [n, n, n], [1, 1, 1]);
    const { volume, area } = meshVolumeAndArea(mesh);
    expect(Math.abs(volume / ((4 / 3) * Math.PI * r ** 3) - 1)).toBeLessThan(0.02);
    // Marching cubes on a binary mask over-estimates the area of a smooth surface (staircase).
    expect(Math.abs(area / (4 * Math.PI * r * r) - 1)).toBeLessThan(0.1);
    expectClosedAndOriented(mesh);
  });

  it('random masks give closed, consistently oriented meshes with positive volume', () => {
    const rand = rng(7);
    for (let trial = 0; trial < 20; trial++) {
      const dims: Vec3 = [6, 5, 4];
      const density = 0.2 + 0.6 * rand();
      const mask = block(dims, () => rand() < density);
      const mesh = meshOfMask(mask, dims, [1, 1.5, 2.5]);
      expectClosedAndOriented(mesh);
      if (mesh.triangles.length > 0) expect(meshVolumeAndArea(mesh).volume).toBeGreaterThan(0);
    }
  });

  it('every non-empty cube configuration, alone in a padded 2x2x2 mask, gives a closed mesh', () => {
    // A lone cube configuration embedded in a 2x2x2 mask block forms a closed mesh with the
    // padding, which exercises each table entry (including the ambiguous faces) in context.
    for (let config = 1; config < 256; config++) {
      const mask = new Uint8Array(8);
      for (let c = 0; c < 8; c++) mask[c] = (config >> c) & 1;
      expectClosedAndOriented(meshOfMask(mask, [2, 2, 2], [1, 1, 1]));
    }
    expect(caseTriangles(0).length).toBe(0);
    expect(caseTriangles(255).length).toBe(0);
    expect(caseTriangles(1).length).toBe(3);
  });

  it('the shipped case table is what the derivation from the rules gives (run scripts/generate-marching-cubes-table.mjs after changing the rules)', () => {
    const derived = deriveCaseTriangles();
    expect(derived.length).toBe(256);
    for (let config = 0; config < 256; config++) expect(Array.from(caseTriangles(config)), `configuration ${config}`).toEqual(Array.from(derived[config]));
  });

  it('ambiguous face: two voxels touching along an edge are joined (one component)', () => {
    // Voxels (0,0,0) and (1,1,0): the face between them in the cube spanning both is ambiguous;
    // joining the inside corners makes one surface with a bridge, so fewer than 2 x 8 triangles
    // and volume above two separate octahedra (2 x 1/6).
    const mesh = meshOfMask(block([2, 2, 1], (i, j) => i === j), [2, 2, 1], [1, 1, 1]);
    const { volume } = meshVolumeAndArea(mesh);
    expect(volume).toBeGreaterThan(2 / 6 + 1e-9);
    expectClosedAndOriented(mesh);
  });

  it('an empty mask gives an empty mesh', () => {
    const mesh = meshOfMask(new Uint8Array(8), [2, 2, 2], [1, 1, 1]);
    expect(mesh.triangles.length).toBe(0);
    expect(meshVolumeAndArea(mesh)).toEqual({ volume: 0, area: 0 });
  });
});
