/**
 * The IBSI image-processing chain (IBSI 2, figure "image processing scheme"): image + ROI mask ->
 * the FeatureInput every feature family reads. Many ROIs of one image share the work that does
 * not depend on the ROI (prepareImage: the interpolation grid, B-spline coefficients, a
 * normalisation over a reference mask); prepareRoi does the rest per ROI:
 *
 *   normalisation parameters (over the ROI on the original grid, if asked; normalise.ts)
 *   -> mask interpolation + partial-volume threshold (morphological mask; resample.ts)
 *   -> crop to the ROI's bounding box plus CROP_MARGIN_MM (crop.ts)
 *   -> image interpolation of that block only (on the exact global IBSI grid), normalisation map,
 *      rounding
 *   -> re-segmentation (intensity mask; resegment.ts)
 *   -> discretisation (discretise.ts) and the IVH input (features/ivh-input.ts)
 *
 * with IBSI diagnostic features after the initial, interpolated and re-segmented steps.
 */
import { voxelCount, type Vec3, type Volume } from '../image/volume';
import type { FeatureInput, IvhInput, Discretised, Family } from '../features/types';
import { buildIvhInput } from '../features/ivh-input';
import type { DiscretisationSettings, ExtractionSettings, Interpolation, PreprocessingSettings, ResamplingSettings } from '../settings/types';
import { RgsError } from '../util/errors';
import { newIndexRange, resampleGrid, type ResampledGrid } from './resample-grid';
import type { BsplineCoefficients } from './interpolate';
import { imageCoefficients, resampleImage, resampleMask } from './resample';
import { blockAround, blockOf, boundingBox, cropTo, CROP_MARGIN_MM, marginVoxels, transferBlock, type Block, type BoundingBox } from './crop';
import { applyNormalisation, normalisationParameters, referenceOf, referenceRegion, type NormalisationParameters, type ReferenceMask } from './normalise';
import { applyInterval, resegmentationInterval, type ResegmentationInterval } from './resegment';
import { discretiseDetailed, type DiscretisationParameters } from './discretise';
import { intensityStats, roiDiagnostics, type ImageDiagnostics, type PreprocessingDiagnostics } from './diagnostics';

export interface PrepareImageContext {
  /** The image file, for messages. */
  imageFile: string;
  /** The label image normalisation.reference.mask names, read by the caller on the image grid. */
  referenceMask?: ReferenceMask;
}

/** The ROI-independent part of the preprocessing of one image. */
export interface PreparedImage {
  image: Volume;
  imageFile: string;
  settings: PreprocessingSettings;
  /** The IBSI interpolation grid, or null without resampling (or when every axis keeps its grid). */
  grid: ResampledGrid | null;
  /** B-spline coefficients of the image when the image is interpolated with bspline. */
  coefficients: BsplineCoefficients | null;
  /** The normalisation map when it does not depend on the ROI (none, range, reference mask);
   *  null when it is computed over each ROI. */
  normalisation: NormalisationParameters | null;
  initialImage: ImageDiagnostics;
}

/** The settings as applied to one ROI (JSON-able), for the output. */
export interface SettingsUsed {
  sliceWise: boolean;
  resampling:
    | (ResamplingSettings & { gridDims: Vec3; gridSpacing: Vec3; grid: 'IBSI 2.4: ceil(n s / s\') voxels, grid centres aligned' })
    | null;
  normalisation: NormalisationParameters;
  resegmentation: {
    range: { lower: number | null; upper: number | null } | null;
    outlierSigma: number | null;
    /** The interval the intensity mask keeps (range intersected with the outlier interval). */
    interval: ResegmentationInterval;
  };
  discretisation: DiscretisationParameters | null;
  ivhDiscretisation: DiscretisationSettings | null;
  cropMarginMm: number;
}

export interface PreparedRoi {
  input: FeatureInput;
  diagnostics: PreprocessingDiagnostics;
  settingsUsed: SettingsUsed;
  /** The feature input's block of the (resampled) grid, and that grid's affine for the block. */
  block: Block;
  affine: Float64Array;
}

/** Families that read the discretised grey levels. */
const DISCRETISED_FAMILIES: readonly Family[] = ['ih', 'cm', 'rlm', 'szm', 'dzm', 'ngt', 'ngl'];

/** Half-width of each interpolator's support in voxels: beyond it an ROI voxel has no influence. */
const SUPPORT: Record<Interpolation, number> = { nearest: 0.5, linear: 1, bspline: 2 };

function isIdentityGrid(grid: ResampledGrid): boolean {
  return grid.axes.every((a) => a.identity);
}

/**
 * The ROI-independent work, once per image: settings checks, the interpolation grid, the
 * B-spline coefficients (bspline only), a normalisation over a reference mask or a fixed range,
 * and the initial image diagnostics.
 */
export function prepareImage(image: Volume, pre: PreprocessingSettings, ctx: PrepareImageContext): PreparedImage {
  if (image.data.length !== voxelCount(image.dims)) {
    throw new RgsError(`${ctx.imageFile}: ${image.data.length} voxels for dimensions ${image.dims.join('x')}`, { file: ctx.imageFile });
  }
  const rs = pre.resampling;
  if (rs !== null && rs.roundIntensities && pre.normalisation.method !== 'none') {
    // Normalised intensities are z-scores or fractions of a range: rounding them to integers
    // would leave a handful of levels.
    throw new RgsError(
      'preprocessing.resampling.round_intensities: rounding to integers after interpolation would destroy normalised intensities; set it to false when preprocessing.normalisation is used',
      { field: 'preprocessing.resampling.round_intensities' },
    );
  }
  let grid: ResampledGrid | null = rs === null ? null : resampleGrid(image, rs.spacing, pre.sliceWise);
  if (grid !== null && isIdentityGrid(grid)) grid = null;
  const coefficients = grid !== null && rs !== null && rs.interpolation === 'bspline' ? imageCoefficients(image, grid) : null;

  let normalisation: NormalisationParameters | null = null;
  const ref = referenceOf(pre.normalisation);
  if (ref === null) normalisation = normalisationParameters(image.data, null, pre.normalisation);
  else if (ref !== 'roi') {
    const region = referenceRegion(ref, ctx.referenceMask, image.dims);
    normalisation = normalisationParameters(image.data, region, pre.normalisation, ctx.referenceMask?.file ?? ref.mask);
    if (ref.label !== undefined) normalisation.referenceLabel = ref.label;
  }

  const stats = intensityStats(image.data, null);
  const initialImage: ImageDiagnostics = { dims: [...image.dims], spacing: [...image.spacing] };
  if (stats !== null) initialImage.intensity = stats;
  return { image, imageFile: ctx.imageFile, settings: pre, grid, coefficients, normalisation, initialImage };
}

/**
 * The per-ROI work: `roiMask` is 0/1 (any non-zero value counts) on the original image grid.
 * The preprocessing settings are those prepareImage was given (`prepared.settings`);
 * `settings.features` chooses the discretisations and which of them are needed.
 * Throws RgsError naming the ROI when it is empty, or becomes empty at resampling or
 * re-segmentation.
 */
export function prepareRoi(
  prepared: PreparedImage,
  roiMask: Uint8Array,
  settings: ExtractionSettings,
  ctx: { roiName: string; /** The mask's bounding box when the caller has it (selectRoi finds it). */ box?: BoundingBox | null },
): PreparedRoi {
  const { image, grid } = prepared;
  const pre = prepared.settings;
  const roi = `ROI '${ctx.roiName}'`;
  if (roiMask.length !== image.data.length) {
    throw new RgsError(`${roi}: the mask has ${roiMask.length} voxels, the image ${image.data.length} (${prepared.imageFile})`, {
      file: prepared.imageFile,
    });
  }
  const box = ctx.box !== undefined ? ctx.box : boundingBox(roiMask, image.dims);
  if (box === null) throw new RgsError(`${roi}: the ROI is empty (no voxel in the mask)`);

  // Initial diagnostics over the ROI's bounding box (all of the ROI, a fraction of the image).
  const roiBlock = blockOf(box);
  const roiBoxMask = cropTo(roiMask, image.dims, roiBlock, (n) => new Uint8Array(n));
  const roiBoxImage = cropTo(image.data, image.dims, roiBlock, (n) => new Float64Array(n));
  const initialRoi = roiDiagnostics(roiBoxImage, roiBoxMask, roiBoxMask, roiBlock.size, roiBlock.start);

  // Normalisation over the ROI as drawn, on the original grid (see normalise.ts for why).
  const normalisation = prepared.normalisation ?? normalisationParameters(roiBoxImage, roiBoxMask, pre.normalisation, 'roi');

  let block: Block;
  let data: Float64Array;
  let morphMask: Uint8Array;
  let spacing: Vec3;
  let affine: Float64Array;
  let interpolated: PreprocessingDiagnostics['interpolated'] = null;
  const rs = pre.resampling;
  if (grid !== null && rs !== null) {
    // New voxels whose kernel can reach an ROI voxel, then the ROI's box on the new grid.
    const support = SUPPORT[rs.maskInterpolation];
    const reach = [0, 1, 2].map((a) => newIndexRange(grid.axes[a], box.lower[a] - support, box.upper[a] + support));
    const reachBlock: Block = {
      start: [reach[0][0], reach[1][0], reach[2][0]],
      size: [reach[0][1] - reach[0][0] + 1, reach[1][1] - reach[1][0] + 1, reach[2][1] - reach[2][0] + 1],
    };
    const reachMask = resampleMask(roiMask, image, rs, pre.sliceWise, reachBlock);
    const newBox = boundingBox(reachMask, reachBlock.size);
    if (newBox === null) {
      throw new RgsError(
        `${roi}: empty after resampling to ${grid.spacing.map((s) => +s.toFixed(4)).join(' x ')} mm (no voxel reaches the partial-volume threshold ${rs.maskThreshold})`,
      );
    }
    for (let a = 0; a < 3; a++) {
      newBox.lower[a] += reachBlock.start[a];
      newBox.upper[a] += reachBlock.start[a];
    }
    block = blockAround(newBox, marginVoxels(CROP_MARGIN_MM, grid.spacing), grid.dims);
    morphMask = new Uint8Array(voxelCount(block.size));
    transferBlock(reachMask, reachBlock, morphMask, block);
    const resampled = resampleImage(image, rs, pre.sliceWise, {
      block,
      coefficients: prepared.coefficients ?? undefined,
      intensityMap: normalisation,
    });
    data = resampled.data;
    spacing = resampled.spacing;
    affine = resampled.affine;
    interpolated = {
      image: { dims: [...grid.dims], spacing: [...grid.spacing] },
      roi: roiDiagnostics(data, morphMask, morphMask, block.size, block.start),
    };
  } else {
    block = blockAround(box, marginVoxels(CROP_MARGIN_MM, image.spacing), image.dims);
    data = cropTo(image.data, image.dims, block, (n) => new Float64Array(n));
    applyNormalisation(data, normalisation);
    morphMask = cropTo(roiMask, image.dims, block, (n) => new Uint8Array(n));
    for (let i = 0; i < morphMask.length; i++) morphMask[i] = morphMask[i] !== 0 ? 1 : 0;
    spacing = [...image.spacing];
    affine = shiftedAffine(image.affine, block.start);
  }

  // Re-segmentation (IBSI 2.5).
  const reseg = pre.resegmentation;
  const interval = resegmentationInterval(data, morphMask, reseg);
  const intensityMask = applyInterval(data, morphMask, interval);
  const resegmentedRoi = roiDiagnostics(data, morphMask, intensityMask, block.size, block.start);
  if (resegmentedRoi.intensityVoxels === 0) {
    throw new RgsError(
      `${roi}: empty after re-segmentation (no voxel with intensity in [${interval.lower ?? '-inf'}, ${interval.upper ?? 'inf'}]; preprocessing.resegmentation)`,
    );
  }

  // Discretisation (IBSI 2.7) and the IVH intensities, only when a family reads them: an image
  // with non-integer intensities needs no discretisation for morphology or statistics alone.
  const families = settings.features.families;
  const range = reseg.range ?? undefined;
  let discretised: Discretised;
  let discretisationUsed: DiscretisationParameters | null = null;
  if (families.some((f) => DISCRETISED_FAMILIES.includes(f))) {
    const d = discretiseDetailed(data, intensityMask, settings.features.discretisation, range);
    discretised = d.discretised;
    discretisationUsed = d.parameters;
  } else {
    discretised = { bins: new Int32Array(data.length), binCount: 0, binValues: new Float64Array(1) };
  }
  let ivh: IvhInput;
  const wantsIvh = families.includes('ivh');
  if (wantsIvh) ivh = buildIvhInput(data, intensityMask, settings.features.ivhDiscretisation, range);
  else ivh = { values: new Float64Array(0), min: NaN, max: NaN, step: NaN };

  const input: FeatureInput = { dims: [...block.size], spacing, image: data, morphMask, intensityMask, discretised, ivh };

  const imageDiag = grid === null ? { dims: [...image.dims] as Vec3, spacing: [...image.spacing] as Vec3 } : { dims: [...grid.dims] as Vec3, spacing: [...grid.spacing] as Vec3 };
  const diagnostics: PreprocessingDiagnostics = {
    initial: { image: prepared.initialImage, roi: initialRoi },
    interpolated,
    resegmented: { image: imageDiag, roi: resegmentedRoi },
    crop: { start: [...block.start], size: [...block.size], marginMm: CROP_MARGIN_MM },
  };
  const settingsUsed: SettingsUsed = {
    sliceWise: pre.sliceWise,
    resampling:
      grid !== null && rs !== null
        ? { ...rs, gridDims: [...grid.dims], gridSpacing: [...grid.spacing], grid: "IBSI 2.4: ceil(n s / s') voxels, grid centres aligned" }
        : null,
    normalisation,
    resegmentation: { range: reseg.range, outlierSigma: reseg.outlierSigma, interval },
    discretisation: discretisationUsed,
    ivhDiscretisation: wantsIvh ? settings.features.ivhDiscretisation : null,
    cropMarginMm: CROP_MARGIN_MM,
  };
  return { input, diagnostics, settingsUsed, block, affine };
}

/** The affine of a block of the same grid starting at voxel `start`. */
function shiftedAffine(a: Float64Array, start: Vec3): Float64Array {
  const out = Float64Array.from(a);
  for (let r = 0; r < 3; r++) out[4 * r + 3] = a[4 * r] * start[0] + a[4 * r + 1] * start[1] + a[4 * r + 2] * start[2] + a[4 * r + 3];
  return out;
}
