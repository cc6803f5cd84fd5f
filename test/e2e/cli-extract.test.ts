/**
 * `rgs extract` as a user runs it: the built CLI in a child process. Bad input must give one
 * line naming the file and the problem, a non-zero exit code, no stack trace and no output file.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { encodeNifti, writeNifti } from '../../src/engine/io/nifti';
import { diagonalAffine, type Vec3 } from '../../src/engine/image/volume';
import { DIGITAL_PHANTOM, ibsiSkipReason } from '../helpers/ibsi';

const root = join(__dirname, '..', '..');
const rgs = join(root, 'bin', 'rgs');
let dir = '';

function run(args: string[]) {
  const r = spawnSync(rgs, args, { encoding: 'utf8', cwd: dir });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A 6x6x4 image with a 3x3x2 ROI of label 1 and a few label-2 voxels. */
function writeCase(name: string, opts: { imageDims?: Vec3; maskDims?: Vec3; nanInRoi?: boolean; maskValue?: (i: number, j: number, k: number) => number } = {}) {
  const idims = opts.imageDims ?? [6, 6, 4];
  const mdims = opts.maskDims ?? idims;
  const img = new Float64Array(idims[0] * idims[1] * idims[2]);
  for (let v = 0; v < img.length; v++) img[v] = (v * 7) % 13;
  if (opts.nanInRoi) img[1 + idims[0] * (1 + idims[1] * 1)] = Number.NaN;
  const mask = new Float64Array(mdims[0] * mdims[1] * mdims[2]);
  const label = opts.maskValue ?? ((i, j, k) => (i >= 1 && i <= 3 && j >= 1 && j <= 3 && k >= 1 && k <= 2 ? 1 : i === 5 && j === 5 ? 2 : 0));
  for (let k = 0; k < mdims[2]; k++) for (let j = 0; j < mdims[1]; j++) for (let i = 0; i < mdims[0]; i++) mask[i + mdims[0] * (j + mdims[1] * k)] = label(i, j, k);
  const image = join(dir, `${name}-image.nii.gz`);
  const maskPath = join(dir, `${name}-mask.nii.gz`);
  writeNifti(image, { dims: idims, spacing: [1, 1, 2], affine: diagonalAffine([1, 1, 2]), data: img }, { datatype: 'float32' });
  writeNifti(maskPath, { dims: mdims, spacing: [1, 1, 2], affine: diagonalAffine([1, 1, 2]), data: mask }, { datatype: 'uint8' });
  return { image, mask: maskPath };
}

function expectCleanFailure(r: ReturnType<typeof run>, out: string, ...mentions: RegExp[]) {
  expect(r.code).toBe(1);
  const lines = r.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^rgs: /);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  for (const m of mentions) expect(lines[0]).toMatch(m);
  expect(existsSync(out)).toBe(false);
}

beforeAll(() => {
  const b = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { encoding: 'utf8' });
  if (b.status !== 0) throw new Error(`build failed: ${b.stderr}`);
  dir = mkdtempSync(join(tmpdir(), 'rgs-cli-'));
});

describe('rgs extract: bad input', () => {
  it('a truncated gzip names the file', () => {
    const { mask } = writeCase('trunc');
    const full = gzipSync(encodeNifti({ dims: [6, 6, 4], spacing: [1, 1, 2], affine: diagonalAffine([1, 1, 2]), data: new Float64Array(144) }, { datatype: 'float32' }));
    const bad = join(dir, 'truncated.nii.gz');
    writeFileSync(bad, full.subarray(0, Math.floor(full.length / 2)));
    const out = join(dir, 'o1.json');
    expectCleanFailure(run(['extract', bad, mask, '--out', out]), out, /truncated\.nii\.gz/, /gzip/);
  });

  it('a file that is not NIfTI (wrong magic) names the file', () => {
    const { mask } = writeCase('magic');
    const bad = join(dir, 'notnifti.nii');
    writeFileSync(bad, Buffer.alloc(400, 7));
    const out = join(dir, 'o2.json');
    expectCleanFailure(run(['extract', bad, mask, '--out', out]), out, /notnifti\.nii/, /NIfTI/i);
  });

  it('voxel data shorter than the header says', () => {
    const { mask } = writeCase('short');
    const bytes = encodeNifti({ dims: [6, 6, 4], spacing: [1, 1, 2], affine: diagonalAffine([1, 1, 2]), data: new Float64Array(144) }, { datatype: 'float32' });
    const bad = join(dir, 'short.nii');
    writeFileSync(bad, bytes.subarray(0, bytes.length - 100));
    const out = join(dir, 'o3.json');
    expectCleanFailure(run(['extract', bad, mask, '--out', out]), out, /short\.nii/, /expected \d+ bytes/);
  });

  it('an unsupported datatype (complex64) is named', () => {
    const { mask } = writeCase('dtype');
    const bytes = Buffer.from(encodeNifti({ dims: [6, 6, 4], spacing: [1, 1, 2], affine: diagonalAffine([1, 1, 2]), data: new Float64Array(144) }, { datatype: 'float32' }));
    bytes.writeInt16LE(32, 70); // datatype: DT_COMPLEX64
    bytes.writeInt16LE(64, 72); // bitpix
    const bad = join(dir, 'complex.nii');
    writeFileSync(bad, Buffer.concat([bytes, Buffer.alloc(144 * 4)]));
    const out = join(dir, 'o4.json');
    expectCleanFailure(run(['extract', bad, mask, '--out', out]), out, /complex\.nii/, /complex64|datatype/i);
  });

  it('an image/mask grid mismatch names both files and the difference', () => {
    const { image, mask } = writeCase('grid', { imageDims: [6, 6, 4], maskDims: [6, 6, 5] });
    const out = join(dir, 'o5.json');
    expectCleanFailure(run(['extract', image, mask, '--out', out]), out, /grid-image\.nii\.gz/, /grid-mask\.nii\.gz/, /6x6x4/, /6x6x5/);
  });

  it('an empty mask', () => {
    const { image, mask } = writeCase('empty', { maskValue: () => 0 });
    const out = join(dir, 'o6.json');
    expectCleanFailure(run(['extract', image, mask, '--out', out]), out, /empty-mask\.nii\.gz/, /empty/);
  });

  it('a single-voxel ROI', () => {
    const { image, mask } = writeCase('single', { maskValue: (i, j, k) => (i === 2 && j === 2 && k === 1 ? 1 : 0) });
    const out = join(dir, 'o7.json');
    expectCleanFailure(run(['extract', image, mask, '--out', out]), out, /single-mask\.nii\.gz/, /1 voxel/);
  });

  it('NaN voxels inside the ROI', () => {
    const { image, mask } = writeCase('nan', { nanInRoi: true });
    const out = join(dir, 'o8.json');
    expectCleanFailure(run(['extract', image, mask, '--label', '1', '--out', out]), out, /nan-image\.nii\.gz/, /NaN/);
  });

  it('a label that is not in the mask', () => {
    const { image, mask } = writeCase('label');
    const out = join(dir, 'o9.json');
    expectCleanFailure(run(['extract', image, mask, '--label', '3', '--out', out]), out, /label-mask\.nii\.gz/, /label 3 is not in the mask/);
  });

  it('a mask with several labels and no --label says how to choose', () => {
    const { image, mask } = writeCase('several');
    const out = join(dir, 'o10.json');
    expectCleanFailure(run(['extract', image, mask, '--out', out]), out, /several-mask\.nii\.gz/, /--label/);
  });

  it('a file that does not exist', () => {
    const { mask } = writeCase('missing');
    const out = join(dir, 'o11.json');
    expectCleanFailure(run(['extract', join(dir, 'nope.nii.gz'), mask, '--out', out]), out, /nope\.nii\.gz/);
  });

  it('an unknown feature selection and wrong usage exit 1 and 2', () => {
    const { image, mask } = writeCase('usage');
    const r1 = run(['extract', image, mask, '--label', '1', '--features', 'bogus']);
    expect(r1.code).toBe(1);
    expect(r1.stderr).toMatch(/--features: `bogus`/);
    const r2 = run(['extract', image]);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/needs an image and a mask/);
    const r3 = run(['extract', image, mask, '--preset', 'ibsi-F']);
    expect(r3.code).toBe(1);
    expect(r3.stderr).toMatch(/unknown preset `ibsi-F`/);
  });
});

describe('rgs extract: output', () => {
  it('--help works without building anything else', () => {
    const r = run(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/extract <image> <mask>/);
  });

  it('writes JSON rows with IBSI names, codes and aggregations, several ROIs in one pass', () => {
    const { image, mask } = writeCase('ok');
    const out = join(dir, 'ok.json');
    const r = run(['extract', image, mask, '--label', '1', '--label', '1+2', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(readFileSync(out, 'utf8'));
    const rois = new Set(doc.features.map((f: { roi: string }) => f.roi));
    expect([...rois]).toEqual(['1', '1+2']);
    const jm = doc.features.find((f: { ibsi_code: string; aggregation: string; roi: string }) => f.roi === '1' && f.ibsi_code === 'GYBY' && f.aggregation === '3D, averaged');
    expect(jm).toMatchObject({ family: 'cm', feature: 'Joint maximum', standardised: true });
    for (const f of doc.features) expect(f.value === null || Number.isFinite(f.value)).toBe(true);
    expect(doc.diagnostics.rois).toHaveLength(2);
  });

  it('writes one CSV row per ROI whose columns encode family, feature and aggregation', () => {
    const { image, mask } = writeCase('csv');
    const out = join(dir, 'ok.csv');
    const r = run(['extract', image, mask, '--label', '1', '--features', 'morph,cm', '--out', out]);
    expect(r.code).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(2);
    const header = lines[0].split(',');
    expect(header[0]).toBe('roi');
    expect(header).toContain('morph.volume_voxel_counting');
    expect(header).toContain('cm.joint_maximum.3d_averaged');
    expect(header.some((h) => h.startsWith('rlm.'))).toBe(false);
    expect(lines[1].split(',')).toHaveLength(header.length);
  });
});

describe.skipIf(ibsiSkipReason() !== null)('rgs extract on the IBSI digital phantom', () => {
  it('selects single features by IBSI identifier', () => {
    const r = run(['extract', DIGITAL_PHANTOM.image, DIGITAL_PHANTOM.mask, '--features', 'GYBY,RNU0']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    const codes = new Set(doc.features.map((f: { ibsi_code: string }) => f.ibsi_code));
    expect([...codes].sort()).toEqual(['GYBY', 'RNU0']);
  });
});
