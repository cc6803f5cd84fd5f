/**
 * Files in, features out: reads an image and its mask, checks they share a grid, selects each
 * requested ROI, preprocesses the image once and each ROI after it, and runs the feature
 * families. Shared by `rgs extract`, the study runner's workers and the tests.
 */
import { readLabelNifti, readLabelNiftiAsync, readNifti, readNiftiAsync, type LabelNiftiImage, type NiftiImage } from '../io/nifti';
import { assertSameGrid } from '../image/same-grid';
import { formatRoiSelector, labelsPresent, parseRoiSelector, readLabelMap, selectRoi, type LabelMap, type RoiSelector, type SelectedRoi } from '../roi';
import { prepareImage, prepareRoi, type PreparedImage, type PreparedRoi } from '../preprocess/pipeline';
import { extractFeatures, type ExtractionOutput } from '../features/extract';
import type { FeatureInput } from '../features/types';
import type { FeatureSettings } from '../settings/types';
import type { RoiFeatures } from '../output/feature-table';
import type { ExtractionSettings } from '../settings/types';
import { RgsError } from '../util/errors';
import { checkFiniteInRoi } from './finite-check';
import type { ReferenceMask } from '../preprocess/normalise';
import type { NormalisationSettings } from '../settings/types';
import type { RoiSpec } from '../study/types';
import type { Volume } from '../image/volume';

/** The reference mask file a normalisation names (e.g. the brain), read on the image's grid. */
function readReferenceMask(n: NormalisationSettings, image: Parameters<typeof assertSameGrid>[0], imagePath: string): ReferenceMask | undefined {
  if (n.method !== 'zscore' && n.method !== 'percentile') return undefined;
  if (n.reference === 'roi') return undefined;
  const vol = readNifti(n.reference.mask);
  assertSameGrid(image, imagePath, vol, n.reference.mask);
  return { file: n.reference.mask, dims: vol.dims, data: vol.data };
}

function countNonZero(mask: Uint8Array): number {
  let n = 0;
  for (let v = 0; v < mask.length; v++) if (mask[v] !== 0) n++;
  return n;
}

export interface ExtractFilesRequest {
  imagePath: string;
  maskPath: string;
  /** ROI selections as typed by the user ("4", "1+4", "tumour_core"); empty = the mask's only label. */
  rois: readonly string[];
  labelMapPath?: string;
  labelMap?: LabelMap;
  settings: ExtractionSettings;
  /** Volume of a 4D image (0-based). */
  volume?: number;
  /**
   * Explicit ROIs (name + label values), as a study defines them; when given, `rois`, the label
   * map and the "mask's only label" default are not used. A union may be partly absent from a
   * mask (e.g. a glioma without an enhancing part): its present labels form the ROI and the
   * absent ones are listed in the diagnostics; an ROI none of whose labels is present is empty.
   */
  roiSpecs?: readonly RoiSpec[];
  /**
   * Record a problem of one ROI (empty, non-finite intensities, too few voxels after
   * preprocessing: RgsErrors raised for that ROI) in `roiErrors` and go on with the other ROIs,
   * instead of throwing. Problems of the image or mask themselves still throw.
   */
  continueOnRoiError?: boolean;
}

export interface RoiExtractionError {
  roi: string;
  message: string;
}

export interface ExtractFilesResult {
  results: RoiFeatures[];
  meta: Record<string, unknown>;
  /** ROIs that could not be extracted (only with `continueOnRoiError`; otherwise empty). */
  roiErrors: RoiExtractionError[];
}

interface RoiToExtract {
  name: string;
  select: () => { mask: Uint8Array; name: string; labels: number[]; absent?: number[]; box: SelectedRoi['box'] };
}

/** The ROI of a study's RoiSpec in a label mask (see ExtractFilesRequest.roiSpecs). */
function selectRoiSpec(mask: Volume<ArrayLike<number>>, spec: RoiSpec, maskFile: string, present: readonly number[]) {
  const labels = spec.labels.filter((l) => present.includes(l));
  const absent = spec.labels.filter((l) => !present.includes(l));
  if (labels.length === 0) {
    const which = spec.labels.length === 1 ? `label ${spec.labels[0]} is not` : `none of its labels ${spec.labels.join(', ')} is`;
    throw new RgsError(
      `${maskFile}: ROI "${spec.name}" is empty (${which} in the mask; labels present: ${present.length ? present.join(', ') : 'none'})`,
      { file: maskFile },
    );
  }
  const roi = selectRoi(mask, { kind: 'labels', values: labels }, { maskFile, present });
  return { mask: roi.mask, name: spec.name, labels: roi.labels, absent, box: roi.box };
}

/** One ROI, preprocessed, ready for its feature families. */
interface PreparedExtraction {
  roi: ReturnType<RoiToExtract['select']>;
  input: FeatureInput;
  diagnostics: PreparedRoi['diagnostics'];
  settingsUsed: PreparedRoi['settingsUsed'];
  preprocessingMs: number;
}

/** Computes the feature families of a preprocessed ROI (in this thread, or shared with others). */
export type FeatureRunner = (input: FeatureInput, settings: FeatureSettings) => ExtractionOutput | Promise<ExtractionOutput>;

/** Lists the ROIs to extract from the image and mask read (the part before any ROI's features). */
function openExtraction(req: ExtractFilesRequest, image: NiftiImage, mask: LabelNiftiImage) {
  assertSameGrid(image, req.imagePath, mask, req.maskPath);
  const labelMap = req.labelMap ?? (req.labelMapPath !== undefined ? readLabelMap(req.labelMapPath) : undefined);

  // One scan of the mask for its labels serves every ROI selected from it.
  const present = labelsPresent(mask, req.maskPath);
  let selectors: RoiSelector[] = [];
  if (req.roiSpecs !== undefined) {
    // The study's ROIs are selected below, by their label values.
  } else if (req.rois.length > 0) selectors = req.rois.map((r) => parseRoiSelector(r));
  else {
    if (present.length === 0) throw new RgsError(`${req.maskPath}: the mask is empty (no non-zero voxel)`, { file: req.maskPath });
    if (present.length > 1) {
      throw new RgsError(
        `${req.maskPath}: the mask has several labels (${present.join(', ')}); choose the ROI with --label (e.g. --label ${present[0]}, or --label ${present.join('+')} for their union)`,
        { file: req.maskPath },
      );
    }
    selectors = [{ kind: 'label', value: present[0] }];
  }

  const referenceMask = readReferenceMask(req.settings.preprocessing.normalisation, image, req.imagePath);
  const prepared = prepareImage(image, req.settings.preprocessing, { imageFile: req.imagePath, referenceMask });
  let toExtract: RoiToExtract[];
  if (req.roiSpecs !== undefined) {
    toExtract = req.roiSpecs.map((spec) => ({ name: spec.name, select: () => selectRoiSpec(mask, spec, req.maskPath, present) }));
  } else {
    toExtract = selectors.map((selector) => ({
      name: formatRoiSelector(selector),
      select: () => {
        const r = selectRoi(mask, selector, { maskFile: req.maskPath, labelMap, present });
        return { mask: r.mask, name: r.name, labels: r.labels, box: r.box };
      },
    }));
  }
  return { image, prepared, toExtract, meta: { image_dims: image.dims, image_spacing: image.spacing } };
}

/**
 * Every ROI's features, each ROI's families computed by `runFeatures` (by default in this
 * thread; `rgs extract` shares them with a helper thread). Same results either way.
 */
export async function extractFromFilesWith(req: ExtractFilesRequest, runFeatures: FeatureRunner): Promise<ExtractFilesResult> {
  // Both files are read and inflated at once, off this thread.
  const [imageRead, maskRead] = await Promise.allSettled([readNiftiAsync(req.imagePath, { volume: req.volume }), readLabelNiftiAsync(req.maskPath)]);
  // The image's problem first, as the synchronous path reports it.
  if (imageRead.status === 'rejected') throw imageRead.reason;
  if (maskRead.status === 'rejected') throw maskRead.reason;
  const { image, prepared, toExtract, meta } = openExtraction(req, imageRead.value, maskRead.value);
  const results: RoiFeatures[] = [];
  const roiErrors: RoiExtractionError[] = [];
  for (const item of toExtract) {
    try {
      const roi = prepareExtraction(item, image, prepared, req);
      results.push(finishExtraction(roi, await runFeatures(roi.input, req.settings.features)));
    } catch (err) {
      if (!req.continueOnRoiError || !(err instanceof RgsError)) throw err;
      roiErrors.push({ roi: item.name, message: err.message });
    }
  }
  return { results, meta, roiErrors };
}

export function extractFromFiles(req: ExtractFilesRequest): ExtractFilesResult {
  const { image, prepared, toExtract, meta } = openExtraction(req, readNifti(req.imagePath, { volume: req.volume }), readLabelNifti(req.maskPath));
  const results: RoiFeatures[] = [];
  const roiErrors: RoiExtractionError[] = [];
  for (const item of toExtract) {
    try {
      const roi = prepareExtraction(item, image, prepared, req);
      results.push(finishExtraction(roi, extractFeatures(roi.input, req.settings.features)));
    } catch (err) {
      if (!req.continueOnRoiError || !(err instanceof RgsError)) throw err;
      roiErrors.push({ roi: item.name, message: err.message });
    }
  }
  return { results, meta, roiErrors };
}

function prepareExtraction(item: RoiToExtract, image: Volume<Float64Array>, prepared: PreparedImage, req: ExtractFilesRequest): PreparedExtraction {
  const roi = item.select();
  checkFiniteInRoi(image, roi.mask, req.imagePath, roi.name, roi.box);
  const t0 = performance.now();
  const { input, diagnostics, settingsUsed } = prepareRoi(prepared, roi.mask, req.settings, { roiName: roi.name, box: roi.box });
  const preprocessingMs = performance.now() - t0;
  // Dispersion, shape and every texture matrix are undefined for a single voxel: refuse it
  // rather than write a table of undefined values.
  const voxels = countNonZero(input.intensityMask);
  if (voxels < 2) {
    throw new RgsError(
      `${req.maskPath}: ROI ${roi.name} has ${voxels} voxel${voxels === 1 ? '' : 's'} after preprocessing; IBSI features need at least 2`,
      { file: req.maskPath },
    );
  }
  return { roi, input, diagnostics, settingsUsed, preprocessingMs };
}

function finishExtraction(p: PreparedExtraction, { features, timings }: ExtractionOutput): RoiFeatures {
  const { roi } = p;
  return {
    roi: roi.name,
    features,
    diagnostics: {
      labels: roi.labels,
      ...(roi.absent !== undefined && roi.absent.length > 0 ? { absent_labels: roi.absent } : {}),
      settings_used: p.settingsUsed,
      preprocessing: p.diagnostics,
      timings_ms: { preprocessing: p.preprocessingMs, ...Object.fromEntries(timings.map((t) => [t.family, t.milliseconds])) },
    },
  };
}
