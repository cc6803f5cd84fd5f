/**
 * Parsing a NIfTI-1 or NIfTI-2 header (either byte order) into the grid it describes.
 *
 * The voxel-to-world affine follows the NIfTI-1 standard (nifti1.h): the sform when
 * sform_code > 0 (METHOD 3), else the qform when qform_code > 0 (METHOD 2), else the
 * pixdim-only fallback (METHOD 1).
 */
import type { Affine, Vec3 } from '../image/volume';
import { RgsError } from '../util/errors';
import {
  N1,
  N2,
  NIFTI1_HEADER_SIZE,
  NIFTI2_HEADER_SIZE,
  NIFTI2_MAGIC_TAIL,
  datatypeName,
  quaternionToRotation,
} from './nifti-format';

export type NiftiTransform = 'sform' | 'qform' | 'pixdim';

export interface NiftiHeader {
  version: 1 | 2;
  /** Byte order of the file. */
  littleEndian: boolean;
  /** NIfTI datatype code and its name (e.g. 4, "int16"). */
  datatype: number;
  datatypeName: string;
  bitpix: number;
  /** The full dim[8] array as stored (dim[0] = number of dimensions). */
  dim: number[];
  /** The full pixdim[8] array as stored (pixdim[0] = qfac). */
  pixdim: number[];
  voxOffset: number;
  sclSlope: number;
  sclInter: number;
  /** Whether scl_slope/scl_inter are applied (slope finite and non-zero, NIfTI-1 standard);
   *  a non-finite scl_inter is then read as 0. */
  scaled: boolean;
  qformCode: number;
  sformCode: number;
  /** Which transform gave the affine. */
  transform: NiftiTransform;
  /** qform parameters: quaternion (b, c, d), offsets, qfac (pixdim[0], 0 read as 1). */
  quatern: Vec3;
  qoffset: Vec3;
  qfac: number;
  /** sform rows x, y, z (12 numbers). */
  srow: number[];
  /** xyzt_units byte and its decoded parts. Spacing and affine are converted to mm. */
  xyztUnits: number;
  spatialUnit: 'unknown' | 'm' | 'mm' | 'um';
  temporalUnit: 'unknown' | 's' | 'ms' | 'us' | 'Hz' | 'ppm' | 'rad/s';
  descrip: string;
  auxFile: string;
  intentCode: number;
  intentName: string;
  intentParams: Vec3;
  calMin: number;
  calMax: number;
  /** Number of 3D volumes stored (product of dim[4..dim[0]], 1 for 3D). */
  volumes: number;
  /** The 0-based volume that was read (0 unless chosen). */
  volume: number;
}

export interface ParsedHeader {
  header: NiftiHeader;
  dims: Vec3;
  spacing: Vec3;
  affine: Affine;
  /** Voxels per 3D volume. */
  voxelsPerVolume: number;
  bytesPerVoxel: number;
}

function cString(bytes: Uint8Array, offset: number, length: number): string {
  let end = offset;
  const stop = Math.min(offset + length, bytes.length);
  while (end < stop && bytes[end] !== 0) end++;
  return Buffer.from(bytes.buffer, bytes.byteOffset + offset, end - offset).toString('latin1').trim();
}

function spatialUnitOf(units: number): { unit: NiftiHeader['spatialUnit']; toMm: number } {
  switch (units & 0x07) {
    case 1:
      return { unit: 'm', toMm: 1000 };
    case 2:
      return { unit: 'mm', toMm: 1 };
    case 3:
      return { unit: 'um', toMm: 0.001 };
    default:
      // NIFTI_UNITS_UNKNOWN: assume mm, as every common reader does.
      return { unit: 'unknown', toMm: 1 };
  }
}

function temporalUnitOf(units: number): NiftiHeader['temporalUnit'] {
  switch (units & 0x38) {
    case 8:
      return 's';
    case 16:
      return 'ms';
    case 24:
      return 'us';
    case 32:
      return 'Hz';
    case 40:
      return 'ppm';
    case 48:
      return 'rad/s';
    default:
      return 'unknown';
  }
}

/**
 * Detect the version and byte order from sizeof_hdr (348 or 540, read little- then big-endian)
 * and check the magic. Returns null-free info or throws "not a NIfTI file".
 */
function detectFormat(bytes: Uint8Array, source: string): { version: 1 | 2; le: boolean } {
  if (bytes.length < 4) throw new RgsError(`${source}: not a NIfTI file (only ${bytes.length} bytes)`, { file: source });
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = dv.getInt32(0, true);
  const be = dv.getInt32(0, false);
  let version: 1 | 2;
  let littleEndian: boolean;
  if (le === NIFTI1_HEADER_SIZE || be === NIFTI1_HEADER_SIZE) {
    version = 1;
    littleEndian = le === NIFTI1_HEADER_SIZE;
  } else if (le === NIFTI2_HEADER_SIZE || be === NIFTI2_HEADER_SIZE) {
    version = 2;
    littleEndian = le === NIFTI2_HEADER_SIZE;
  } else {
    throw new RgsError(`${source}: not a NIfTI file (header size field is ${le}, expected 348 or 540)`, { file: source });
  }
  const size = version === 1 ? NIFTI1_HEADER_SIZE : NIFTI2_HEADER_SIZE;
  if (bytes.length < size) {
    throw new RgsError(`${source}: truncated NIfTI-${version} header (${bytes.length} of ${size} bytes)`, { file: source });
  }
  const m = version === 1 ? N1.magic : N2.magic;
  const magic = String.fromCharCode(bytes[m], bytes[m + 1], bytes[m + 2]);
  const terminated = bytes[m + 3] === 0;
  if (terminated && (magic === 'ni1' || magic === 'ni2')) {
    throw new RgsError(
      `${source}: a NIfTI .hdr/.img pair (magic "${magic}") is not supported; convert it to a single .nii or .nii.gz file`,
      { file: source },
    );
  }
  const expected = version === 1 ? 'n+1' : 'n+2';
  if (!terminated || magic !== expected) {
    throw new RgsError(`${source}: not a NIfTI file (magic is not "${expected}")`, { file: source });
  }
  if (version === 2) {
    for (let i = 0; i < 4; i++) {
      if (bytes[m + 4 + i] !== NIFTI2_MAGIC_TAIL[i]) {
        throw new RgsError(`${source}: corrupt NIfTI-2 magic (the file was probably transferred in text mode)`, {
          file: source,
        });
      }
    }
  }
  return { version, le: littleEndian };
}

/** Parse the header at the start of `bytes` (at least 348 or 540 bytes). */
export function parseNiftiHeader(bytes: Uint8Array, source: string): ParsedHeader {
  const { version, le } = detectFormat(bytes, source);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fail = (what: string): never => {
    throw new RgsError(`${source}: ${what}`, { file: source });
  };

  // Read every field into version-independent numbers.
  const dim: number[] = [];
  const pixdim: number[] = [];
  let datatype: number, bitpix: number, voxOffset: number, sclSlope: number, sclInter: number;
  let qformCode: number, sformCode: number, xyztUnits: number, intentCode: number;
  let calMin: number, calMax: number;
  const q: number[] = [];
  const srow: number[] = [];
  const intentParams: number[] = [];
  let descrip: string, auxFile: string, intentName: string;
  if (version === 1) {
    for (let i = 0; i < 8; i++) dim.push(dv.getInt16(N1.dim + 2 * i, le));
    for (let i = 0; i < 8; i++) pixdim.push(dv.getFloat32(N1.pixdim + 4 * i, le));
    for (let i = 0; i < 3; i++) intentParams.push(dv.getFloat32(N1.intent_p1 + 4 * i, le));
    for (let i = 0; i < 6; i++) q.push(dv.getFloat32(N1.quatern_b + 4 * i, le));
    for (let i = 0; i < 12; i++) srow.push(dv.getFloat32(N1.srow_x + 4 * i, le));
    datatype = dv.getInt16(N1.datatype, le);
    bitpix = dv.getInt16(N1.bitpix, le);
    voxOffset = dv.getFloat32(N1.vox_offset, le);
    sclSlope = dv.getFloat32(N1.scl_slope, le);
    sclInter = dv.getFloat32(N1.scl_inter, le);
    qformCode = dv.getInt16(N1.qform_code, le);
    sformCode = dv.getInt16(N1.sform_code, le);
    xyztUnits = bytes[N1.xyzt_units];
    intentCode = dv.getInt16(N1.intent_code, le);
    calMax = dv.getFloat32(N1.cal_max, le);
    calMin = dv.getFloat32(N1.cal_min, le);
    descrip = cString(bytes, N1.descrip, 80);
    auxFile = cString(bytes, N1.aux_file, 24);
    intentName = cString(bytes, N1.intent_name, 16);
  } else {
    for (let i = 0; i < 8; i++) dim.push(Number(dv.getBigInt64(N2.dim + 8 * i, le)));
    for (let i = 0; i < 8; i++) pixdim.push(dv.getFloat64(N2.pixdim + 8 * i, le));
    for (let i = 0; i < 3; i++) intentParams.push(dv.getFloat64(N2.intent_p1 + 8 * i, le));
    for (let i = 0; i < 6; i++) q.push(dv.getFloat64(N2.quatern_b + 8 * i, le));
    for (let i = 0; i < 12; i++) srow.push(dv.getFloat64(N2.srow_x + 8 * i, le));
    datatype = dv.getInt16(N2.datatype, le);
    bitpix = dv.getInt16(N2.bitpix, le);
    voxOffset = Number(dv.getBigInt64(N2.vox_offset, le));
    sclSlope = dv.getFloat64(N2.scl_slope, le);
    sclInter = dv.getFloat64(N2.scl_inter, le);
    qformCode = dv.getInt32(N2.qform_code, le);
    sformCode = dv.getInt32(N2.sform_code, le);
    xyztUnits = dv.getInt32(N2.xyzt_units, le);
    intentCode = dv.getInt32(N2.intent_code, le);
    calMax = dv.getFloat64(N2.cal_max, le);
    calMin = dv.getFloat64(N2.cal_min, le);
    descrip = cString(bytes, N2.descrip, 80);
    auxFile = cString(bytes, N2.aux_file, 24);
    intentName = cString(bytes, N2.intent_name, 16);
  }

  // Dimensions: dim[0] in 1..7; dim[1..dim[0]] >= 1. Axes past dim[0] have size 1 (a 2D image
  // is a 3D image with one slice).
  const ndim = dim[0];
  if (!(ndim >= 1 && ndim <= 7)) fail(`bad dimensions: dim[0] is ${ndim}, expected 1 to 7`);
  for (let i = 1; i <= ndim; i++) {
    if (!(dim[i] >= 1)) fail(`bad dimensions: dim[${i}] is ${dim[i]} (must be at least 1)`);
  }
  const size = (i: number) => (i <= ndim ? dim[i] : 1);
  const dims: Vec3 = [size(1), size(2), size(3)];
  let volumes = 1;
  for (let i = 4; i <= ndim; i++) volumes *= dim[i];
  const voxelsPerVolume = dims[0] * dims[1] * dims[2];

  const info = datatypeName(datatype);
  // Only scalar types are decoded; the datatype itself is validated by the data decoder so
  // that readNiftiHeader can still describe e.g. an RGB file.
  const bytesPerVoxel = bitpix > 0 && bitpix % 8 === 0 ? bitpix / 8 : 0;

  // Spacing (mm): |pixdim[1..3]| in the file's spatial unit. Axes past dim[0] may carry 0 in
  // pixdim; they have one voxel, so 1 is used there.
  const { unit: spatialUnit, toMm } = spatialUnitOf(xyztUnits);
  const spacing: Vec3 = [0, 0, 0];
  for (let a = 0; a < 3; a++) {
    const p = Math.abs(pixdim[a + 1]);
    if (a + 1 > ndim && !(p > 0 && Number.isFinite(p))) {
      spacing[a] = 1;
      continue;
    }
    if (!(p > 0 && Number.isFinite(p))) fail(`bad voxel size: pixdim[${a + 1}] is ${pixdim[a + 1]} (must be positive and finite)`);
    spacing[a] = p * toMm;
  }

  const qfac = pixdim[0] < 0 ? -1 : 1; // 0 (and anything >= 0) means +1 (nifti1.h)
  const affine = new Float64Array(16);
  affine[15] = 1;
  let transform: NiftiTransform;
  if (sformCode > 0) {
    // METHOD 3: x = srow_x . (i, j, k, 1), etc.
    transform = 'sform';
    for (let r = 0; r < 3; r++) {
      for (let c = 0; c < 4; c++) affine[4 * r + c] = srow[4 * r + c] * toMm;
    }
  } else if (qformCode > 0) {
    // METHOD 2: x = R [i dx, j dy, qfac k dz]^T + qoffset.
    transform = 'qform';
    const rot = quaternionToRotation(q[0], q[1], q[2]);
    const scale = [spacing[0], spacing[1], qfac * spacing[2]];
    for (let r = 0; r < 3; r++) {
      for (let c = 0; c < 3; c++) affine[4 * r + c] = rot[3 * r + c] * scale[c];
      affine[4 * r + 3] = q[3 + r] * toMm;
    }
  } else {
    // METHOD 1 (Analyze compatibility): x = i * pixdim[1], etc.; no orientation information.
    transform = 'pixdim';
    affine[0] = spacing[0];
    affine[5] = spacing[1];
    affine[10] = spacing[2];
  }
  for (let i = 0; i < 12; i++) {
    if (!Number.isFinite(affine[i])) fail(`the ${transform} transform has a non-finite entry`);
  }

  // NIfTI-1 standard: scl_slope = 0 means "no scaling"; a non-finite slope is treated the same.
  const scaled = Number.isFinite(sclSlope) && sclSlope !== 0;

  const header: NiftiHeader = {
    version,
    littleEndian: le,
    datatype,
    datatypeName: info,
    bitpix,
    dim,
    pixdim,
    voxOffset,
    sclSlope,
    sclInter,
    scaled,
    qformCode,
    sformCode,
    transform,
    quatern: [q[0], q[1], q[2]],
    qoffset: [q[3], q[4], q[5]],
    qfac,
    srow,
    xyztUnits,
    spatialUnit,
    temporalUnit: temporalUnitOf(xyztUnits),
    descrip,
    auxFile,
    intentCode,
    intentName,
    intentParams: [intentParams[0], intentParams[1], intentParams[2]],
    calMin,
    calMax,
    volumes,
    volume: 0,
  };
  return { header, dims, spacing, affine, voxelsPerVolume, bytesPerVoxel };
}
