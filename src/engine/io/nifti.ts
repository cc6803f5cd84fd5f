/**
 * Reading NIfTI-1 and NIfTI-2 single-file images (.nii, .nii.gz; gzip is detected by its magic
 * bytes, not by the file name), either byte order, every real scalar datatype.
 *
 * Voxel values are returned as doubles with scl_slope/scl_inter applied (NIfTI-1 standard: a
 * slope of 0 means no scaling). The grid is that of the chosen 3D volume; the affine follows
 * the standard's sform > qform > pixdim precedence (see nifti-header.ts).
 *
 * The writer lives in nifti-write.ts and is re-exported here.
 */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { constants as zlibConstants, gunzip as gunzipAsync, gunzipSync } from 'node:zlib';
import type { Affine, Vec3, Volume } from '../image/volume';
import { RgsError } from '../util/errors';
import { HOST_LITTLE_ENDIAN, nativeView, type NativeVoxelArray, type ScalarTypeInfo, scalarTypeOfCode } from './nifti-format';
import { type NiftiHeader, type ParsedHeader, parseNiftiHeader } from './nifti-header';

export type { NiftiHeader, NiftiTransform } from './nifti-header';
export type { NiftiScalarType } from './nifti-format';
export { encodeNifti, writeNifti, type NiftiWriteOptions } from './nifti-write';

export interface NiftiImage extends Volume<Float64Array> {
  header: NiftiHeader;
  /** The file (or label) the image was read from, as given. */
  source: string;
}

export interface NiftiReadOptions {
  /** 0-based index of the 3D volume to read from a 4D (or higher) image; default 0. */
  volume?: number;
}

/** Voxel values kept in the file's own type (see readLabelNifti). */
export type LabelData = NativeVoxelArray;

/** A label image (a mask) with its voxels in the file's own scalar type. */
export interface LabelNiftiImage extends Volume<LabelData> {
  header: NiftiHeader;
  source: string;
}

function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * The output chunk size to inflate `gz` in one piece: the gzip trailer's ISIZE (the inflated
 * size mod 2^32, of the last member). One chunk of the right size spares zlib's collecting of
 * 16 KiB chunks and their concatenation (a third of the inflate time of a 10 MB image). Only a
 * hint: a wrong ISIZE (several members, > 4 GiB, a corrupt file) costs more chunks, never a
 * wrong result. Bounded by deflate's maximum ratio (1032:1), so a corrupt trailer cannot make
 * it allocate gigabytes for a small file.
 */
export function inflatedSizeHint(gz: Uint8Array): number {
  const MIN = 1 << 16;
  if (gz.length < 18) return MIN;
  const n = gz.length;
  const isize = (gz[n - 4] | (gz[n - 3] << 8) | (gz[n - 2] << 16) | (gz[n - 1] << 24)) >>> 0;
  return Math.max(MIN, Math.min(isize, 1032 * n, 1 << 30));
}

function gunzip(bytes: Uint8Array, source: string): Uint8Array {
  try {
    return gunzipSync(bytes, { chunkSize: inflatedSizeHint(bytes) });
  } catch (e) {
    throw new RgsError(`${source}: corrupt or truncated gzip data`, { file: source, cause: e });
  }
}

function readFileBytes(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (e) {
    throw fileError(path, e);
  }
}

function fileError(path: string, e: unknown): RgsError {
  const code = (e as NodeJS.ErrnoException).code;
  const what =
    code === 'ENOENT'
      ? 'file not found'
      : code === 'EISDIR'
        ? 'is a directory, not a NIfTI file'
        : code === 'EACCES' || code === 'EPERM'
          ? 'permission denied'
          : `cannot read the file (${(e as Error).message})`;
  return new RgsError(`${path}: ${what}`, { file: path, cause: e });
}

/**
 * The voxels as a view of the file's own scalar type when that is exact and free: native byte
 * order, no scaling, a type JavaScript has an array for (not the 64-bit integers). A copy only
 * when the data is not aligned. Null otherwise (then decodeVoxels converts to doubles).
 */
function nativeVoxels(bytes: Uint8Array, start: number, count: number, t: ScalarTypeInfo, littleEndian: boolean, scaled: boolean): LabelData | null {
  if (scaled || littleEndian !== HOST_LITTLE_ENDIAN) return null;
  const { buffer, offset } = alignedBytes(bytes, start, count, t.bytes);
  return nativeView(t.name, buffer, offset, count);
}

/** The bytes of `count` values of `size` bytes at `start`, where a typed array can view them:
 *  in place when aligned, else in an aligned copy. */
function alignedBytes(bytes: Uint8Array, start: number, count: number, size: number): { buffer: ArrayBufferLike; offset: number } {
  if ((bytes.byteOffset + start) % size === 0) return { buffer: bytes.buffer, offset: bytes.byteOffset + start };
  return { buffer: bytes.slice(start, start + count * size).buffer, offset: 0 };
}

/**
 * Decode `count` voxels of type `t` starting at byte `start` into doubles, applying
 * value * slope + inter when `scale` is set. Native byte order uses a typed-array view (over an
 * aligned copy when the offset is not aligned); only byte-swapped data goes through DataView.
 */
function decodeVoxels(
  bytes: Uint8Array,
  start: number,
  count: number,
  t: ScalarTypeInfo,
  littleEndian: boolean,
  scale: { slope: number; inter: number } | null,
  source: string,
): Float64Array {
  const out = new Float64Array(count);
  const nbytes = count * t.bytes;
  if (littleEndian === HOST_LITTLE_ENDIAN) {
    const view = nativeVoxels(bytes, start, count, t, littleEndian, false);
    if (view !== null) out.set(view);
    else {
      // The 64-bit integers: no exact typed-array conversion, element by element.
      const { buffer, offset } = alignedBytes(bytes, start, count, t.bytes);
      const v = t.name === 'int64' ? new BigInt64Array(buffer, offset, count) : new BigUint64Array(buffer, offset, count);
      for (let i = 0; i < count; i++) out[i] = Number(v[i]);
    }
  } else {
    const dv = new DataView(bytes.buffer, bytes.byteOffset + start, nbytes);
    const le = littleEndian;
    switch (t.name) {
      case 'uint8':
        for (let i = 0; i < count; i++) out[i] = dv.getUint8(i);
        break;
      case 'int8':
        for (let i = 0; i < count; i++) out[i] = dv.getInt8(i);
        break;
      case 'int16':
        for (let i = 0; i < count; i++) out[i] = dv.getInt16(2 * i, le);
        break;
      case 'uint16':
        for (let i = 0; i < count; i++) out[i] = dv.getUint16(2 * i, le);
        break;
      case 'int32':
        for (let i = 0; i < count; i++) out[i] = dv.getInt32(4 * i, le);
        break;
      case 'uint32':
        for (let i = 0; i < count; i++) out[i] = dv.getUint32(4 * i, le);
        break;
      case 'float32':
        for (let i = 0; i < count; i++) out[i] = dv.getFloat32(4 * i, le);
        break;
      case 'float64':
        for (let i = 0; i < count; i++) out[i] = dv.getFloat64(8 * i, le);
        break;
      case 'int64':
        for (let i = 0; i < count; i++) out[i] = Number(dv.getBigInt64(8 * i, le));
        break;
      case 'uint64':
        for (let i = 0; i < count; i++) out[i] = Number(dv.getBigUint64(8 * i, le));
        break;
    }
  }
  if (t.name === 'int64' || t.name === 'uint64') {
    // Beyond 2^53 a double cannot hold the stored integer exactly.
    for (let i = 0; i < count; i++) {
      if (!(Math.abs(out[i]) <= Number.MAX_SAFE_INTEGER)) {
        throw new RgsError(
          `${source}: ${t.name} voxel value ${out[i]} at index ${i} is beyond 2^53 and cannot be represented exactly`,
          { file: source },
        );
      }
    }
  }
  if (scale) {
    const { slope, inter } = scale;
    for (let i = 0; i < count; i++) out[i] = out[i] * slope + inter;
  }
  return out;
}

function checkVoxOffset(p: ParsedHeader, source: string): void {
  const min = p.header.version === 1 ? 348 : 540;
  const v = p.header.voxOffset;
  if (!(Number.isInteger(v) && v >= min)) {
    throw new RgsError(`${source}: bad vox_offset ${v} (a single-file NIfTI-${p.header.version} needs at least ${min})`, {
      file: source,
    });
  }
}

/**
 * Parse a NIfTI image held in memory (gzipped or not). `source` names it in error messages.
 * For 4D images, `opts.volume` (0-based, default 0) chooses the 3D volume; the choice is
 * recorded in `header.volume`.
 */
export function parseNifti(bytes: Uint8Array, source: string, opts: NiftiReadOptions = {}): NiftiImage {
  const v = locateVoxels(bytes, source, opts);
  const data = decodeVoxels(v.raw, v.start, v.p.voxelsPerVolume, v.t, v.p.header.littleEndian, v.scale, source);
  return { dims: v.p.dims, spacing: v.p.spacing, affine: v.p.affine, data, header: v.p.header, source };
}

/**
 * Like parseNifti, for a label image: the voxels stay in the file's own type where that is exact
 * (a uint8 mask is a view of the inflated bytes, not 8 bytes a voxel), else they are doubles.
 */
export function parseLabelNifti(bytes: Uint8Array, source: string, opts: NiftiReadOptions = {}): LabelNiftiImage {
  const v = locateVoxels(bytes, source, opts);
  const n = v.p.voxelsPerVolume;
  // scl_slope 1, scl_inter 0 (what most writers store) leaves the values as they are.
  const identity = v.scale === null || (v.scale.slope === 1 && v.scale.inter === 0);
  const data =
    nativeVoxels(v.raw, v.start, n, v.t, v.p.header.littleEndian, !identity) ??
    decodeVoxels(v.raw, v.start, n, v.t, v.p.header.littleEndian, v.scale, source);
  return { dims: v.p.dims, spacing: v.p.spacing, affine: v.p.affine, data, header: v.p.header, source };
}

/** Inflates if needed, parses and checks the header, and finds the chosen volume's bytes. */
function locateVoxels(bytes: Uint8Array, source: string, opts: NiftiReadOptions) {
  const raw = isGzip(bytes) ? gunzip(bytes, source) : bytes;
  const p = parseNiftiHeader(raw, source);
  const { header } = p;
  const t = scalarTypeOfCode(header.datatype);
  if (!t) {
    throw new RgsError(
      `${source}: unsupported datatype ${header.datatypeName} (code ${header.datatype}); only real scalar images (uint8, int8, int16, uint16, int32, uint32, int64, uint64, float32, float64) are supported`,
      { file: source },
    );
  }
  checkVoxOffset(p, source);

  const volume = opts.volume ?? 0;
  if (!Number.isInteger(volume) || volume < 0 || volume >= header.volumes) {
    throw new RgsError(
      `${source}: volume ${volume} is out of range (the image has ${header.volumes} volume${header.volumes === 1 ? '' : 's'}, numbered from 0)`,
      { file: source },
    );
  }
  header.volume = volume;

  const expected = p.voxelsPerVolume * header.volumes * t.bytes;
  const found = Math.max(0, raw.length - header.voxOffset);
  if (!Number.isSafeInteger(expected) || found < expected) {
    throw new RgsError(
      `${source}: expected ${expected} bytes of voxel data after offset ${header.voxOffset}, found ${found}`,
      { file: source },
    );
  }
  const start = header.voxOffset + volume * p.voxelsPerVolume * t.bytes;
  const scale = header.scaled
    ? { slope: header.sclSlope, inter: Number.isFinite(header.sclInter) ? header.sclInter : 0 }
    : null;
  return { raw, p, t, start, scale };
}

/** Read a .nii or .nii.gz file (synchronously). */
export function readNifti(path: string, opts: NiftiReadOptions = {}): NiftiImage {
  return parseNifti(readFileBytes(path), path, opts);
}

/** Read a label image (a mask) in its own scalar type where exact (see parseLabelNifti). */
export function readLabelNifti(path: string, opts: NiftiReadOptions = {}): LabelNiftiImage {
  return parseLabelNifti(readFileBytes(path), path, opts);
}

/** readLabelNifti, reading and inflating off the JavaScript thread (see readNiftiAsync). */
export async function readLabelNiftiAsync(path: string, opts: NiftiReadOptions = {}): Promise<LabelNiftiImage> {
  return parseLabelNifti(await readInflated(path), path, opts);
}

/**
 * Read a .nii or .nii.gz file, reading and inflating off the JavaScript thread (libuv's pool):
 * two files read at once (an image and its mask) inflate in parallel on two cores.
 */
export async function readNiftiAsync(path: string, opts: NiftiReadOptions = {}): Promise<NiftiImage> {
  return parseNifti(await readInflated(path), path, opts);
}

/** The file's bytes, inflated when gzipped, read and inflated off the JavaScript thread. */
async function readInflated(path: string): Promise<Uint8Array> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw fileError(path, e);
  }
  if (isGzip(bytes)) {
    const compressed = bytes;
    bytes = await new Promise<Uint8Array>((resolve, reject) =>
      // One output chunk of the inflated size (the default 16 KiB would hop back to this thread
      // ~600 times for a 10 MB image, and the chunks would then be concatenated).
      gunzipAsync(compressed, { chunkSize: inflatedSizeHint(compressed) }, (err, out) =>
        err ? reject(new RgsError(`${path}: corrupt or truncated gzip data`, { file: path, cause: err })) : resolve(out),
      ),
    );
  }
  return bytes;
}

/** Bytes read from the start of a file to find the header: gzip typically compresses the
 *  540-byte header into well under 1 KiB, and a small prefix bounds the inflated size. */
const HEADER_PREFIX_SIZES = [4096, 65536];

/**
 * Read only the header of a .nii / .nii.gz file (for hovers and quick checks): for gzip, only
 * a prefix of the file is inflated (Z_SYNC_FLUSH lets zlib return what it has without the end
 * of the stream). The datatype is not validated here, so an RGB image can still be described.
 */
export function readNiftiHeader(path: string): NiftiHeader & { dims: Vec3; spacing: Vec3; affine: Affine } {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw fileError(path, e);
  }
  try {
    for (const size of HEADER_PREFIX_SIZES) {
      const buf = new Uint8Array(size);
      let n: number;
      try {
        n = readSync(fd, buf, 0, size, 0);
      } catch (e) {
        throw fileError(path, e);
      }
      const prefix = buf.subarray(0, n);
      const head = isGzip(prefix) ? inflatePrefix(prefix, path) : prefix;
      // Parse once the prefix holds either header version, or the whole file is in hand
      // (parseNiftiHeader then reports a short file itself).
      if (head.length >= 540 || n < size || (head.length >= 348 && isNifti1(head))) {
        const p = parseNiftiHeader(head, path);
        return { ...p.header, dims: p.dims, spacing: p.spacing, affine: p.affine };
      }
    }
  } finally {
    closeSync(fd);
  }
  // Pathological compression: fall back to reading the whole file.
  const raw = readFileBytes(path);
  const p = parseNiftiHeader(isGzip(raw) ? gunzip(raw, path) : raw, path);
  return { ...p.header, dims: p.dims, spacing: p.spacing, affine: p.affine };
}

function inflatePrefix(prefix: Uint8Array, path: string): Uint8Array {
  try {
    return gunzipSync(prefix, { finishFlush: zlibConstants.Z_SYNC_FLUSH });
  } catch (e) {
    throw new RgsError(`${path}: corrupt or truncated gzip data`, { file: path, cause: e });
  }
}

function isNifti1(head: Uint8Array): boolean {
  const dv = new DataView(head.buffer, head.byteOffset, head.byteLength);
  return dv.getInt32(0, true) === 348 || dv.getInt32(0, false) === 348;
}
