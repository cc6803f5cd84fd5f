/**
 * NIfTI-1 / NIfTI-2 on-disk format: datatype codes, header field offsets, and the quaternion
 * maths of the qform (NIfTI-1 standard, nifti1.h "METHOD 2"). Shared by the reader and the
 * writer so both use the same table.
 */

/** The scalar datatypes this engine reads and writes. */
export type NiftiScalarType =
  | 'uint8'
  | 'int8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'uint64'
  | 'float32'
  | 'float64';

export interface ScalarTypeInfo {
  name: NiftiScalarType;
  code: number;
  bytes: number;
  integer: boolean;
  /** Smallest and largest storable value (for the 64-bit integers, as exact doubles). */
  min: number;
  max: number;
}

const FLOAT32_MAX = 3.4028234663852886e38;

export const SCALAR_TYPES: Record<NiftiScalarType, ScalarTypeInfo> = {
  uint8: { name: 'uint8', code: 2, bytes: 1, integer: true, min: 0, max: 255 },
  int16: { name: 'int16', code: 4, bytes: 2, integer: true, min: -32768, max: 32767 },
  int32: { name: 'int32', code: 8, bytes: 4, integer: true, min: -2147483648, max: 2147483647 },
  float32: { name: 'float32', code: 16, bytes: 4, integer: false, min: -FLOAT32_MAX, max: FLOAT32_MAX },
  float64: { name: 'float64', code: 64, bytes: 8, integer: false, min: -Number.MAX_VALUE, max: Number.MAX_VALUE },
  int8: { name: 'int8', code: 256, bytes: 1, integer: true, min: -128, max: 127 },
  uint16: { name: 'uint16', code: 512, bytes: 2, integer: true, min: 0, max: 65535 },
  uint32: { name: 'uint32', code: 768, bytes: 4, integer: true, min: 0, max: 4294967295 },
  // The 64-bit integers are converted to doubles; only |v| <= 2^53 is exact, so that is the
  // range we accept on reading and writing.
  int64: { name: 'int64', code: 1024, bytes: 8, integer: true, min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER },
  uint64: { name: 'uint64', code: 1280, bytes: 8, integer: true, min: 0, max: Number.MAX_SAFE_INTEGER },
};

const BY_CODE = new Map<number, ScalarTypeInfo>(Object.values(SCALAR_TYPES).map((t) => [t.code, t]));

/** Names of all NIfTI datatype codes (nifti1.h), including the ones we do not read. */
const ALL_DATATYPE_NAMES: Record<number, string> = {
  0: 'unknown',
  1: 'binary (1 bit)',
  2: 'uint8',
  4: 'int16',
  8: 'int32',
  16: 'float32',
  32: 'complex64',
  64: 'float64',
  128: 'RGB24',
  256: 'int8',
  512: 'uint16',
  768: 'uint32',
  1024: 'int64',
  1280: 'uint64',
  1536: 'float128',
  1792: 'complex128',
  2048: 'complex256',
  2304: 'RGBA32',
};

export function scalarTypeOfCode(code: number): ScalarTypeInfo | undefined {
  return BY_CODE.get(code);
}

export function datatypeName(code: number): string {
  return ALL_DATATYPE_NAMES[code] ?? `unknown datatype code ${code}`;
}

export const NIFTI1_HEADER_SIZE = 348;
export const NIFTI2_HEADER_SIZE = 540;
/** Header plus the 4-byte extension flag: where the voxel data of a file we write starts. */
export const NIFTI1_DATA_OFFSET = 352;
export const NIFTI2_DATA_OFFSET = 544;

/** NIfTI-1 field offsets (nifti1.h). */
export const N1 = {
  sizeof_hdr: 0,
  dim_info: 39,
  dim: 40, // int16[8]
  intent_p1: 56, // float32 x3
  intent_code: 68,
  datatype: 70,
  bitpix: 72,
  slice_start: 74,
  pixdim: 76, // float32[8]
  vox_offset: 108,
  scl_slope: 112,
  scl_inter: 116,
  slice_end: 120,
  slice_code: 122,
  xyzt_units: 123,
  cal_max: 124,
  cal_min: 128,
  slice_duration: 132,
  toffset: 136,
  descrip: 148, // char[80]
  aux_file: 228, // char[24]
  qform_code: 252,
  sform_code: 254,
  quatern_b: 256, // float32 x6: b c d qoffset_x y z
  srow_x: 280, // float32[4] x3
  intent_name: 328, // char[16]
  magic: 344, // char[4]
} as const;

/** NIfTI-2 field offsets (nifti2.h). */
export const N2 = {
  sizeof_hdr: 0,
  magic: 4, // char[8]
  datatype: 12,
  bitpix: 14,
  dim: 16, // int64[8]
  intent_p1: 80, // float64 x3
  pixdim: 104, // float64[8]
  vox_offset: 168, // int64
  scl_slope: 176,
  scl_inter: 184,
  cal_max: 192,
  cal_min: 200,
  slice_duration: 208,
  toffset: 216,
  slice_start: 224, // int64
  slice_end: 232, // int64
  descrip: 240, // char[80]
  aux_file: 320, // char[24]
  qform_code: 344, // int32
  sform_code: 348, // int32
  quatern_b: 352, // float64 x6
  srow_x: 400, // float64[4] x3
  slice_code: 496, // int32
  xyzt_units: 500, // int32
  intent_code: 504, // int32
  intent_name: 508, // char[16]
  dim_info: 524,
} as const;

/** "\r\n\032\n" after "n+2\0": catches files mangled by text-mode transfers (nifti2.h). */
export const NIFTI2_MAGIC_TAIL = [0x0d, 0x0a, 0x1a, 0x0a];

/**
 * Rotation matrix (row-major 3x3) of the unit quaternion with imaginary part (b, c, d),
 * a = sqrt(1 - b^2 - c^2 - d^2) (nifti1.h, METHOD 2). When b^2+c^2+d^2 slightly exceeds 1 from
 * rounding, a is 0 and (b, c, d) is renormalised, as nifti1_io.c does.
 */
export function quaternionToRotation(b: number, c: number, d: number): number[] {
  let a = 1 - (b * b + c * c + d * d);
  if (a < 1e-7) {
    const n = 1 / Math.sqrt(b * b + c * c + d * d);
    b *= n;
    c *= n;
    d *= n;
    a = 0;
  } else {
    a = Math.sqrt(a);
  }
  return [
    a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c),
    2 * (b * c + a * d), a * a + c * c - b * b - d * d, 2 * (c * d - a * b),
    2 * (b * d - a * c), 2 * (c * d + a * b), a * a + d * d - c * c - b * b,
  ];
}

/**
 * The quaternion (b, c, d) and qfac of a proper or improper rotation R (row-major 3x3 with
 * orthonormal columns), inverting `quaternionToRotation` (algorithm of nifti_mat44_to_quatern):
 * an improper R (det < 0) is stored as qfac = -1 with the third column negated.
 */
export function rotationToQuaternion(rIn: ArrayLike<number>): { b: number; c: number; d: number; qfac: number } {
  const r = Array.from(rIn);
  const det =
    r[0] * (r[4] * r[8] - r[5] * r[7]) - r[1] * (r[3] * r[8] - r[5] * r[6]) + r[2] * (r[3] * r[7] - r[4] * r[6]);
  let qfac = 1;
  if (det < 0) {
    qfac = -1;
    r[2] = -r[2];
    r[5] = -r[5];
    r[8] = -r[8];
  }
  const [r11, r12, r13, r21, r22, r23, r31, r32, r33] = r;
  let a = r11 + r22 + r33 + 1;
  let b: number;
  let c: number;
  let d: number;
  if (a > 0.5) {
    a = 0.5 * Math.sqrt(a);
    b = (0.25 * (r32 - r23)) / a;
    c = (0.25 * (r13 - r31)) / a;
    d = (0.25 * (r21 - r12)) / a;
  } else {
    const xd = 1 + r11 - (r22 + r33);
    const yd = 1 + r22 - (r11 + r33);
    const zd = 1 + r33 - (r11 + r22);
    if (xd > 1) {
      b = 0.5 * Math.sqrt(xd);
      c = (0.25 * (r12 + r21)) / b;
      d = (0.25 * (r13 + r31)) / b;
      a = (0.25 * (r32 - r23)) / b;
    } else if (yd > 1) {
      c = 0.5 * Math.sqrt(yd);
      b = (0.25 * (r12 + r21)) / c;
      d = (0.25 * (r23 + r32)) / c;
      a = (0.25 * (r13 - r31)) / c;
    } else {
      d = 0.5 * Math.sqrt(zd);
      b = (0.25 * (r13 + r31)) / d;
      c = (0.25 * (r23 + r32)) / d;
      a = (0.25 * (r21 - r12)) / d;
    }
    // a >= 0 is the convention (q and -q are the same rotation).
    if (a < 0) {
      b = -b;
      c = -c;
      d = -d;
    }
  }
  return { b, c, d, qfac };
}

/** True when this host stores multi-byte numbers little-endian (typed arrays use host order). */
export const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The voxel arrays of the datatypes JavaScript has an exact typed array for (not the 64-bit integers). */
export type NativeVoxelArray = Uint8Array | Int8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | Float32Array | Float64Array;

const NATIVE_ARRAYS: Partial<Record<NiftiScalarType, new (buffer: ArrayBufferLike, byteOffset: number, length: number) => NativeVoxelArray>> = {
  uint8: Uint8Array,
  int8: Int8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
  float32: Float32Array,
  float64: Float64Array,
};

/**
 * A host-order typed-array view of `count` values of datatype `name` at byte `offset` of
 * `buffer` (which must be aligned for it), or null for the 64-bit integers.
 */
export function nativeView(name: NiftiScalarType, buffer: ArrayBufferLike, offset: number, count: number): NativeVoxelArray | null {
  const View = NATIVE_ARRAYS[name];
  return View === undefined ? null : new View(buffer, offset, count);
}
