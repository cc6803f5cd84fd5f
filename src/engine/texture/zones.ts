/**
 * Connected-zone labelling for the GLSZM (IBSI 3.6) and GLDZM (IBSI 3.7): a zone is a maximal
 * set of connected ROI voxels with the same grey level; connected means 8-connected within a
 * slice (the IBSI 2D / 2.5D aggregations, where zones never cross slices) or 26-connected in
 * the volume (3D).
 *
 * One raster scan with a flat union-find over the padded grid: each ROI voxel is joined to its
 * already-visited neighbours of the same level (4 in-plane, plus 9 in the previous slice in 3D).
 * Roots are always the smallest voxel index of their set (the smaller root wins a union), so a
 * second raster scan can number the zones in order of first voxel and give each voxel its zone.
 * When the in-plane zones are known, the volume labelling starts from them and only joins
 * across slices (the 9 neighbours in the previous slice).
 */
import type { NeighbourhoodGrid } from './neighbourhood-grid';

export type ZoneConnectivity = 'in-plane' | 'volume';

export interface Zones {
  count: number;
  /** Compact grey level of each zone. */
  level: Int32Array;
  /** Number of voxels of each zone. */
  size: Int32Array;
  /** Slice k (of the padded grid) each zone starts in; with in-plane connectivity, its only slice. */
  slice: Int32Array;
  /** Zone of each voxel of the padded grid; -1 outside the ROI. */
  voxelZone: Int32Array;
  /** The first voxel (in raster order) of each voxel's zone; meaningful inside the ROI only. */
  root: Int32Array;
}

/** Labellings already made, per grid: the GLSZM and GLDZM share their zones. */
const zoneCache = new WeakMap<NeighbourhoodGrid, Partial<Record<ZoneConnectivity, Zones>>>();

/** The zones of `grid`, labelled on first use and then shared (callers must not modify them). */
export function zonesOf(grid: NeighbourhoodGrid, connectivity: ZoneConnectivity): Zones {
  let byConnectivity = zoneCache.get(grid);
  if (byConnectivity === undefined) {
    byConnectivity = {};
    zoneCache.set(grid, byConnectivity);
  }
  const cached = byConnectivity;
  return (cached[connectivity] ??= labelZones(grid, connectivity, connectivity === 'volume' ? cached['in-plane'] : undefined));
}

/**
 * Labels the zones of `grid` (whose margin must be >= 1). `inPlane`, the in-plane zones of the
 * same grid, may be given to speed up the volume labelling.
 */
export function labelZones(grid: NeighbourhoodGrid, connectivity: ZoneConnectivity, inPlane?: Zones): Zones {
  const [nx, ny, nz] = grid.dims;
  const { levels, voxels } = grid;
  const nxy = nx * ny;

  // Already-visited neighbours in raster order (i fastest): in-plane (-1,0), (-1,-1), (0,-1),
  // (+1,-1); in 3D also all nine of the previous slice (only those when starting from the
  // in-plane zones).
  const seeded = connectivity === 'volume' && inPlane !== undefined;
  const backward: number[] = seeded ? [] : [-1, -nx - 1, -nx, -nx + 1];
  if (connectivity === 'volume') {
    for (let dj = -1; dj <= 1; dj++) for (let di = -1; di <= 1; di++) backward.push(di + nx * dj - nxy);
  }
  const offsets = Int32Array.from(backward);

  // parent[v] for ROI voxels; roots are the smallest voxel of their set.
  const parent = seeded ? inPlane.root.slice() : new Int32Array(nx * ny * nz);
  joinNeighbours(parent, levels, voxels, offsets, seeded);
  return numberZones(parent, levels, voxels, nxy);
}

/**
 * The union-find scan: joins each ROI voxel to its already-visited neighbours (`offsets`) of the
 * same level. Without `seeded`, parent is initialised here (each voxel its own set); with it,
 * parent already holds a partition to refine.
 */
function joinNeighbours(parent: Int32Array, levels: Int32Array, voxels: Int32Array, offsets: Int32Array, seeded: boolean): void {
  const nOffsets = offsets.length;
  for (let t = 0; t < voxels.length; t++) {
    const v = voxels[t];
    const level = levels[v];
    let root = v;
    if (seeded) {
      while (parent[root] !== root) root = parent[root];
    } else {
      parent[v] = v;
    }
    for (let o = 0; o < nOffsets; o++) {
      let u = v + offsets[o];
      if (levels[u] !== level) continue;
      // Root of u, halving the path on the way.
      while (parent[u] !== u) {
        const grand = parent[parent[u]];
        parent[u] = grand;
        u = grand;
      }
      if (u === root) continue;
      if (u < root) {
        parent[root] = u;
        root = u;
      } else {
        parent[u] = root;
      }
    }
  }
}

/**
 * Numbers zones by their first voxel (raster order visits a root before the rest of its zone),
 * gives each voxel its zone and records level, size and slice per zone. Leaves parent fully
 * compressed (parent[v] = root of v).
 */
function numberZones(parent: Int32Array, levels: Int32Array, voxels: Int32Array, nxy: number): Zones {
  const roiCount = voxels.length;
  const voxelZone = new Int32Array(parent.length).fill(-1);
  const level = new Int32Array(roiCount);
  const size = new Int32Array(roiCount);
  const slice = new Int32Array(roiCount);
  let count = 0;
  for (let t = 0; t < roiCount; t++) {
    const v = voxels[t];
    let r = v;
    while (parent[r] !== r) r = parent[r];
    parent[v] = r;
    let z: number;
    if (r === v) {
      z = count++;
      level[z] = levels[v];
      slice[z] = Math.floor(v / nxy);
    } else {
      z = voxelZone[r];
    }
    voxelZone[v] = z;
    size[z]++;
  }
  return { count, level: level.slice(0, count), size: size.slice(0, count), slice: slice.slice(0, count), voxelZone, root: parent };
}
