/**
 * Writing NIfTI-1 / NIfTI-2 single files (little-endian).
 *
 * The affine is stored as the sform (code 2, "aligned") and, when its 3x3 part is a rotation
 * (possibly improper) times diag(spacing), also as the qform (code 2) so readers that only
 * understand the qform see the same grid. Files are written atomically: a temporary file in the
 * same folder is renamed over the target, so a reader never sees half a file.
 */
import { gzipSync } from 'node:zlib';
import type { Volume } from '../image/volume';
import { writeFileAtomic } from '../util/atomic-write';
import { RgsError } from '../util/errors';
import {
  HOST_LITTLE_ENDIAN,
  nativeView,
  N1,
  N2,
  NIFTI1_DATA_OFFSET,
  NIFTI1_HEADER_SIZE,
  NIFTI2_DATA_OFFSET,
  NIFTI2_HEADER_SIZE,
  NIFTI2_MAGIC_TAIL,
  type NiftiScalarType,
  SCALAR_TYPES,
  type ScalarTypeInfo,
  rotationToQuaternion,
} from './nifti-format';

export interface NiftiWriteOptions {
  /** Storage type; default from the data's typed array (Uint8Array -> uint8, ...), else float64. */
  datatype?: NiftiScalarType;
  /** NIfTI-1 (default) or NIfTI-2 (64-bit dims, double-precision header fields). */
  version?: 1 | 2;
  /** Free text stored in `descrip` (at most 79 bytes are kept). */
  description?: string;
  /** scl_slope / scl_inter: stored = (value - inter) / slope, rounded for integer types. */
  slope?: number;
  inter?: number;
  /** Number of 3D volumes held back to back in `data` (a 4D image when > 1); default 1. */
  volumes?: number;
  /** Name used in error messages (writeNifti passes the path). */
  source?: string;
}

function inferDatatype(data: ArrayLike<number>): NiftiScalarType {
  if (data instanceof Uint8Array || data instanceof Uint8ClampedArray) return 'uint8';
  if (data instanceof Int8Array) return 'int8';
  if (data instanceof Int16Array) return 'int16';
  if (data instanceof Uint16Array) return 'uint16';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof Uint32Array) return 'uint32';
  if (data instanceof Float32Array) return 'float32';
  return 'float64';
}

/** Tolerance for deciding that the affine's 3x3 part is rotation x diag(spacing). */
const ORTHO_TOL = 1e-6;

/**
 * The qform (quaternion, qfac) of the affine, or null when its 3x3 part is not a rotation times
 * diag(spacing) (shear, or column lengths different from the spacing).
 */
function qformOf(affine: ArrayLike<number>, spacing: readonly number[]) {
  const r: number[] = new Array(9);
  for (let c = 0; c < 3; c++) {
    const n = Math.hypot(affine[c], affine[4 + c], affine[8 + c]);
    if (!(n > 0) || Math.abs(n - spacing[c]) > ORTHO_TOL * spacing[c]) return null;
    for (let row = 0; row < 3; row++) r[3 * row + c] = affine[4 * row + c] / n;
  }
  for (let c1 = 0; c1 < 3; c1++) {
    for (let c2 = c1 + 1; c2 < 3; c2++) {
      const dot = r[c1] * r[c2] + r[3 + c1] * r[3 + c2] + r[6 + c1] * r[6 + c2];
      if (Math.abs(dot) > ORTHO_TOL) return null;
    }
  }
  return rotationToQuaternion(r);
}

function writeDescrip(out: Uint8Array, offset: number, text: string): void {
  const b = Buffer.from(text, 'latin1');
  out.set(b.subarray(0, 79), offset); // 80 bytes including the terminating NUL
}

/** Convert the values to stored numbers, checking that each fits the datatype. */
function storedValues(
  data: ArrayLike<number>,
  count: number,
  t: ScalarTypeInfo,
  slope: number,
  inter: number,
  source: string,
): Float64Array {
  const out = new Float64Array(count);
  const scaled = slope !== 1 || inter !== 0;
  for (let i = 0; i < count; i++) {
    const v = data[i];
    let s = scaled ? (v - inter) / slope : v;
    if (t.integer) {
      if (scaled) s = Math.round(s);
      if (!Number.isInteger(s)) {
        throw new RgsError(`${source}: value ${v} at voxel index ${i} cannot be stored as ${t.name} (not an integer)`, {
          file: source,
        });
      }
      if (s < t.min || s > t.max) {
        throw new RgsError(
          `${source}: value ${v} at voxel index ${i} is out of range for ${t.name} (${t.min} to ${t.max})`,
          { file: source },
        );
      }
    } else if (Number.isFinite(s) && (s < t.min || s > t.max)) {
      throw new RgsError(`${source}: value ${v} at voxel index ${i} is out of range for ${t.name}`, { file: source });
    }
    out[i] = s === 0 ? 0 : s; // no -0 in integer types
  }
  return out;
}

function writeData(out: Uint8Array, offset: number, values: Float64Array, t: ScalarTypeInfo): void {
  const n = values.length;
  const buf = out.buffer;
  const off = out.byteOffset + offset; // offsets 352 / 544 are multiples of 8
  if (HOST_LITTLE_ENDIAN) {
    const view = nativeView(t.name, buf, off, n);
    if (view !== null) {
      view.set(values);
      return;
    }
    switch (t.name) {
      case 'int64': {
        const v = new BigInt64Array(buf, off, n);
        for (let i = 0; i < n; i++) v[i] = BigInt(values[i]);
        return;
      }
      case 'uint64': {
        const v = new BigUint64Array(buf, off, n);
        for (let i = 0; i < n; i++) v[i] = BigInt(values[i]);
        return;
      }
    }
  }
  const dv = new DataView(buf, off, n * t.bytes);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    switch (t.name) {
      case 'uint8':
        dv.setUint8(i, v);
        break;
      case 'int8':
        dv.setInt8(i, v);
        break;
      case 'int16':
        dv.setInt16(2 * i, v, true);
        break;
      case 'uint16':
        dv.setUint16(2 * i, v, true);
        break;
      case 'int32':
        dv.setInt32(4 * i, v, true);
        break;
      case 'uint32':
        dv.setUint32(4 * i, v, true);
        break;
      case 'float32':
        dv.setFloat32(4 * i, v, true);
        break;
      case 'float64':
        dv.setFloat64(8 * i, v, true);
        break;
      case 'int64':
        dv.setBigInt64(8 * i, BigInt(v), true);
        break;
      case 'uint64':
        dv.setBigUint64(8 * i, BigInt(v), true);
        break;
    }
  }
}

/** Encode a volume as an uncompressed little-endian NIfTI file. */
export function encodeNifti(vol: Volume<ArrayLike<number>>, opts: NiftiWriteOptions = {}): Uint8Array {
  const source = opts.source ?? 'NIfTI output';
  const version = opts.version ?? 1;
  const t = SCALAR_TYPES[opts.datatype ?? inferDatatype(vol.data)];
  if (!t) throw new RgsError(`${source}: unknown datatype "${opts.datatype}"`, { file: source });
  const volumes = opts.volumes ?? 1;
  const slope = opts.slope ?? 1;
  const inter = opts.inter ?? 0;
  if (!(Number.isFinite(slope) && slope !== 0 && Number.isFinite(inter))) {
    throw new RgsError(`${source}: scl_slope must be finite and non-zero and scl_inter finite (got ${slope}, ${inter})`, {
      file: source,
    });
  }
  const maxDim = version === 1 ? 32767 : Number.MAX_SAFE_INTEGER;
  for (const d of [...vol.dims, volumes]) {
    if (!Number.isInteger(d) || d < 1 || d > maxDim) {
      throw new RgsError(
        `${source}: cannot write dimension ${d}` + (version === 1 && d > maxDim ? ' in NIfTI-1 (use version 2)' : ''),
        { file: source },
      );
    }
  }
  for (const s of vol.spacing) {
    if (!(s > 0 && Number.isFinite(s))) throw new RgsError(`${source}: cannot write voxel size ${s}`, { file: source });
  }
  const nvox = vol.dims[0] * vol.dims[1] * vol.dims[2] * volumes;
  if (vol.data.length !== nvox) {
    throw new RgsError(
      `${source}: data has ${vol.data.length} values but the dimensions ${vol.dims.join('x')}${volumes > 1 ? `x${volumes}` : ''} need ${nvox}`,
      { file: source },
    );
  }
  const values = storedValues(vol.data, nvox, t, slope, inter, source);

  const dataOffset = version === 1 ? NIFTI1_DATA_OFFSET : NIFTI2_DATA_OFFSET;
  const out = new Uint8Array(dataOffset + nvox * t.bytes);
  const dv = new DataView(out.buffer);
  const a = vol.affine;
  const q = qformOf(a, vol.spacing);
  const dim = [volumes > 1 ? 4 : 3, vol.dims[0], vol.dims[1], vol.dims[2], volumes, 1, 1, 1];
  const pixdim = [q ? q.qfac : 1, vol.spacing[0], vol.spacing[1], vol.spacing[2], volumes > 1 ? 1 : 0, 0, 0, 0];
  const quat = q ? [q.b, q.c, q.d, a[3], a[7], a[11]] : [0, 0, 0, 0, 0, 0];
  const qformCode = q ? 2 : 0;
  const XYZT_MM = 2; // NIFTI_UNITS_MM, no time unit

  if (version === 1) {
    dv.setInt32(N1.sizeof_hdr, NIFTI1_HEADER_SIZE, true);
    for (let i = 0; i < 8; i++) dv.setInt16(N1.dim + 2 * i, dim[i], true);
    dv.setInt16(N1.datatype, t.code, true);
    dv.setInt16(N1.bitpix, t.bytes * 8, true);
    for (let i = 0; i < 8; i++) dv.setFloat32(N1.pixdim + 4 * i, pixdim[i], true);
    dv.setFloat32(N1.vox_offset, dataOffset, true);
    dv.setFloat32(N1.scl_slope, slope, true);
    dv.setFloat32(N1.scl_inter, inter, true);
    out[N1.xyzt_units] = XYZT_MM;
    writeDescrip(out, N1.descrip, opts.description ?? '');
    dv.setInt16(N1.qform_code, qformCode, true);
    dv.setInt16(N1.sform_code, 2, true);
    for (let i = 0; i < 6; i++) dv.setFloat32(N1.quatern_b + 4 * i, quat[i], true);
    for (let i = 0; i < 12; i++) dv.setFloat32(N1.srow_x + 4 * i, a[i], true);
    out.set([0x6e, 0x2b, 0x31, 0], N1.magic); // "n+1\0"
  } else {
    dv.setInt32(N2.sizeof_hdr, NIFTI2_HEADER_SIZE, true);
    out.set([0x6e, 0x2b, 0x32, 0, ...NIFTI2_MAGIC_TAIL], N2.magic); // "n+2\0\r\n\032\n"
    dv.setInt16(N2.datatype, t.code, true);
    dv.setInt16(N2.bitpix, t.bytes * 8, true);
    for (let i = 0; i < 8; i++) dv.setBigInt64(N2.dim + 8 * i, BigInt(dim[i]), true);
    for (let i = 0; i < 8; i++) dv.setFloat64(N2.pixdim + 8 * i, pixdim[i], true);
    dv.setBigInt64(N2.vox_offset, BigInt(dataOffset), true);
    dv.setFloat64(N2.scl_slope, slope, true);
    dv.setFloat64(N2.scl_inter, inter, true);
    writeDescrip(out, N2.descrip, opts.description ?? '');
    dv.setInt32(N2.qform_code, qformCode, true);
    dv.setInt32(N2.sform_code, 2, true);
    for (let i = 0; i < 6; i++) dv.setFloat64(N2.quatern_b + 8 * i, quat[i], true);
    for (let i = 0; i < 12; i++) dv.setFloat64(N2.srow_x + 8 * i, a[i], true);
    dv.setInt32(N2.xyzt_units, XYZT_MM, true);
  }
  writeData(out, dataOffset, values, t);
  return out;
}

/**
 * Write a volume to `path` (gzipped when the name ends in .gz), atomically: the bytes go to a
 * temporary file in the same folder that is then renamed over `path` (removed on failure).
 */
export function writeNifti(path: string, vol: Volume<ArrayLike<number>>, opts: NiftiWriteOptions = {}): void {
  const raw = encodeNifti(vol, { ...opts, source: opts.source ?? path });
  writeFileAtomic(path, /\.gz$/i.test(path) ? gzipSync(raw) : raw);
}
