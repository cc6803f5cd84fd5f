/**
 * The schema of the `preprocessing` and `features` settings: the single source of truth for
 * the settings-file loader, the study file, the language server (diagnostics, completion,
 * hover) and the exported JSON Schema. YAML keys are snake_case versions of the fields of
 * ExtractionSettings (types.ts); resolve.ts does the mapping and fills the defaults given here.
 *
 * Descriptions are written for the hover: what the setting does to the numbers, and where
 * IBSI defines it (reference manual arXiv:1612.07003: chapter 2 image processing, chapter 3
 * features; the four-character IBSI identifiers are given where they exist).
 */
import { DIRECTIONAL_AGGREGATIONS, FAMILIES, ZONE_AGGREGATIONS } from '../features/types';
import type { JsonSchema } from '../schema/json-schema';
import { PRESET_DESCRIPTIONS, PRESET_NAMES, VOLUME_DIRECTIONAL_AGGREGATIONS, VOLUME_ZONE_AGGREGATIONS } from './presets';

const INTERPOLATIONS = ['nearest', 'linear', 'bspline'];

function interpolation(description: string, ibsi: JsonSchema['x-ibsi'], extra: Partial<JsonSchema> = {}): JsonSchema {
  return {
    description,
    type: 'string',
    enum: INTERPOLATIONS,
    enumDescriptions: [
      'Nearest neighbour: every new voxel takes the value of the closest original voxel. No new values, but blocky textures.',
      'Linear: bilinear within a slice, trilinear in 3D (IBSI configs B–D). The conservative choice: no values outside the original range.',
      'Cubic B-spline ("tricubic spline", IBSI config E): smoother, keeps contrast better, but can overshoot at sharp edges.',
    ],
    'x-aliases': {
      bilinear: 'linear',
      trilinear: 'linear',
      tricubic: 'bspline',
      'tricubic spline': 'bspline',
      cubic: 'bspline',
      spline: 'bspline',
      'b-spline': 'bspline',
      nn: 'nearest',
      'nearest neighbour': 'nearest',
      'nearest neighbor': 'nearest',
    },
    'x-ibsi': ibsi,
    ...extra,
  };
}

const REFERENCE: JsonSchema = {
  description:
    'The region the normalisation statistics are taken over: `roi` (the ROI itself) or a mapping ' +
    '`{ mask: FILE, label: N }` naming a mask of the same scan, e.g. the brain or normal-appearing white ' +
    'matter, so that the ROI intensities are expressed relative to healthy tissue. A relative path is ' +
    'resolved against the settings file; without `label` every non-zero mask voxel is used.',
  default: 'roi',
  oneOf: [
    { const: 'roi', description: 'Statistics over the ROI itself (its own intensities become mean 0 / SD 1).' },
    {
      type: 'object',
      description: 'Statistics over a reference mask file.',
      properties: {
        mask: {
          type: 'string',
          description: 'Path of the reference mask image (NIfTI), relative to the settings file or absolute.',
          'x-expected': 'a file path',
        },
        label: {
          type: 'integer',
          minimum: 1,
          description: 'Use only the voxels with this label of a label map. Absent: every non-zero voxel.',
        },
      },
      required: ['mask'],
      additionalProperties: false,
    },
  ],
};

const NORMALISATION: JsonSchema = {
  description:
    'Intensity normalisation of the image before re-segmentation and discretisation. Not standardised by ' +
    'IBSI chapter 1 (it is image post-acquisition processing, outside its scope), so report it with your ' +
    'results. With a normalisation, re-segmentation ranges and fixed bin widths are in normalised units. ' +
    'MRI intensities have no absolute unit: normalising over a reference region makes them comparable between scans.',
  default: { method: 'none' },
  oneOf: [
    {
      type: 'object',
      description: 'Keep the intensities as they are (e.g. CT Hounsfield units).',
      properties: { method: { const: 'none', description: 'No normalisation.' } },
      required: ['method'],
      additionalProperties: false,
    },
    {
      type: 'object',
      description: 'z-score: (intensity − mean) / SD, with mean and SD over the reference region. Intensities become unitless.',
      properties: {
        method: { const: 'zscore', description: 'z-score normalisation.' },
        reference: REFERENCE,
      },
      required: ['method'],
      additionalProperties: false,
    },
    {
      type: 'object',
      description:
        'Percentile scaling: the `lower` and `upper` percentiles of the reference region are mapped linearly to 0 and 1. ' +
        'Robust to a few extreme voxels (e.g. lower 1, upper 99).',
      properties: {
        method: { const: 'percentile', description: 'Percentile normalisation.' },
        lower: { type: 'number', minimum: 0, maximum: 100, description: 'Percentile mapped to 0 (0–100, below `upper`).' },
        upper: { type: 'number', minimum: 0, maximum: 100, description: 'Percentile mapped to 1 (0–100, above `lower`).' },
        reference: REFERENCE,
      },
      required: ['method', 'lower', 'upper'],
      additionalProperties: false,
    },
    {
      type: 'object',
      description: 'Fixed range: intensity `min` is mapped to 0 and `max` to 1, linearly (a known, fixed intensity scale).',
      properties: {
        method: { const: 'range', description: 'Fixed-range normalisation.' },
        min: { type: 'number', description: 'Intensity mapped to 0 (below `max`).' },
        max: { type: 'number', description: 'Intensity mapped to 1 (above `min`).' },
      },
      required: ['method', 'min', 'max'],
      additionalProperties: false,
    },
  ],
};

const RESAMPLING: JsonSchema = {
  description:
    'Interpolate the image and the ROI mask to a new voxel size before any feature is computed (IBSI 2.4, VTM2). ' +
    'Texture features depend on voxel size, so resample every image of a study to the same spacing. The new grid ' +
    'is centred on the original one with ceil(extent / spacing) voxels per axis (IBSI "align grid centres"). ' +
    '`null` (the default) keeps the original grid.',
  type: ['object', 'null'],
  default: null,
  properties: {
    spacing: {
      description:
        'New voxel size in mm along the image axes i, j, k (k is the slice axis). `null` keeps an axis: ' +
        '[2, 2, null] resamples within slices only (2D interpolation, IBSI config B); [2, 2, 2] is isotropic 3D (configs C–E).',
      type: 'array',
      items: { type: ['number', 'null'], exclusiveMinimum: 0, description: 'Voxel size in mm, or null to keep this axis.' },
      minItems: 3,
      maxItems: 3,
      'x-ibsi': { identifier: 'VTM2', section: '2.4', name: 'Interpolation' },
    },
    interpolation: interpolation(
      'How image intensities are interpolated onto the new grid (IBSI 2.4). The choice changes texture values; ' +
        'linear (trilinear) is the usual, conservative one.',
      { identifier: 'VTM2', section: '2.4', name: 'Interpolation algorithms' },
    ),
    round_intensities: {
      type: 'boolean',
      default: false,
      description:
        'Round interpolated intensities to the nearest integer (IBSI 68QD). Use it for integer scales such as CT ' +
        'Hounsfield units (IBSI configs B–E); leave it off for MRI and other non-integer data.',
      'x-ibsi': { identifier: '68QD', section: '2.4', name: 'Rounding image intensities after interpolation' },
    },
    mask_interpolation: interpolation(
      'How the ROI mask is interpolated onto the new grid (IBSI E8H9). `linear` gives partial-volume fractions that are ' +
        'thresholded at `mask_threshold`; IBSI recommends `nearest` or `linear` for masks.',
      { identifier: 'E8H9', section: '2.4', name: 'Partial volume effects in the ROI mask' },
      { default: 'linear' },
    ),
    mask_threshold: {
      type: 'number',
      exclusiveMinimum: 0,
      maximum: 1,
      default: 0.5,
      description:
        'Partial-volume threshold δ: an interpolated mask voxel is in the ROI when its value is ≥ δ (IBSI E8H9; all ' +
        'IBSI configurations use 0.5). Higher values shrink the ROI, lower values grow it.',
      'x-ibsi': { identifier: 'E8H9', section: '2.4', name: 'Partial volume effects in the ROI mask' },
    },
  },
  required: ['spacing', 'interpolation'],
  additionalProperties: false,
  'x-ibsi': { identifier: 'VTM2', section: '2.4', name: 'Interpolation' },
};

const RESEGMENTATION: JsonSchema = {
  description:
    'Remove voxels from the intensity mask by their intensity, after interpolation (IBSI 2.5, IF9H). The morphological ' +
    'mask keeps the whole ROI, so volume and shape do not change; all intensity and texture features use only the ' +
    'remaining voxels.',
  type: 'object',
  default: { range: null, outlier_sigma: null },
  properties: {
    range: {
      description:
        '[lower, upper]: keep voxels with lower ≤ intensity ≤ upper (IBSI USB3); `null` on one side leaves it open, e.g. ' +
        '[-1000, null]. The lower bound is also where fixed-bin-size discretisation starts its first bin, and the IVH ' +
        'range when the IVH is discretised. CT soft tissue: [-500, 400] (IBSI configs A, B) or [-1000, 400] (C, E). ' +
        '`null` (the default): no range re-segmentation.',
      type: ['array', 'null'],
      items: { type: ['number', 'null'], description: 'Bound in image intensity units, or null for an open side.' },
      minItems: 2,
      maxItems: 2,
      default: null,
      'x-ibsi': { identifier: 'USB3', section: '2.5', name: 'Range re-segmentation' },
    },
    outlier_sigma: {
      description:
        'Remove voxels outside mean ± outlier_sigma × SD of the ROI intensities (IBSI 7ACA; configs D and E use 3). ' +
        '`null` (the default): no outlier filter.',
      type: ['number', 'null'],
      exclusiveMinimum: 0,
      default: null,
      'x-ibsi': { identifier: '7ACA', section: '2.5', name: 'Intensity outlier filtering' },
    },
  },
  additionalProperties: false,
  'x-ibsi': { identifier: 'IF9H', section: '2.5', name: 'Re-segmentation' },
};

export const PREPROCESSING_SCHEMA: JsonSchema = {
  title: 'Preprocessing',
  description:
    'Image processing before feature calculation (IBSI chapter 2): resampling, normalisation and re-segmentation. ' +
    'Every setting changes feature values; use the same settings for every image of a study.',
  type: 'object',
  properties: {
    slice_wise: {
      type: 'boolean',
      default: false,
      description:
        'Process slice by slice (IBSI "2D"): resampling stays within each slice (the slice spacing must be null) and ' +
        'the default texture aggregations become the 2D and 2.5D ones (IBSI configs A, B). Use it when slices are much ' +
        'thicker than the in-plane voxels. Morphology, local intensity, statistics and the histograms are computed over ' +
        'the volume either way.',
      'x-ibsi': { identifier: 'VTM2', section: '2.4', name: '2D interpolation' },
    },
    resampling: RESAMPLING,
    normalisation: NORMALISATION,
    resegmentation: RESEGMENTATION,
  },
  additionalProperties: false,
};

function discretisation(description: string, defaultValue: JsonSchema['default']): JsonSchema {
  return {
    description,
    default: defaultValue,
    'x-ibsi': { identifier: '4R0B', section: '2.7', name: 'Intensity discretisation' },
    oneOf: [
      {
        type: 'object',
        description:
          'No discretisation: the intensities themselves are the grey levels. Only for images with few integer levels ' +
          '(e.g. the IBSI digital phantom); a CT ROI would give matrices with hundreds of grey levels.',
        properties: { method: { const: 'none', description: 'Intensities are the grey levels.' } },
        required: ['method'],
        additionalProperties: false,
      },
      {
        type: 'object',
        description:
          'Fixed bin size (IBSI Q3RU): bin = floor((intensity − start) / bin_width) + 1, where start is the lower ' +
          're-segmentation bound (the ROI minimum when there is none). Keeps a fixed relation to the intensity scale; ' +
          'recommended for calibrated units (CT HU, PET SUV) together with a re-segmentation range.',
        properties: {
          method: { const: 'fbs', description: 'Fixed bin size.' },
          bin_width: {
            type: 'number',
            exclusiveMinimum: 0,
            description: 'Bin width in intensity units (IBSI configs A and C: 25 HU; the IVH of config C: 2.5 HU).',
            'x-ibsi': { identifier: 'Q3RU', section: '2.7', name: 'Fixed bin size' },
          },
        },
        required: ['method', 'bin_width'],
        additionalProperties: false,
      },
      {
        type: 'object',
        description:
          'Fixed bin number (IBSI K15C): bin = floor(bin_count · (intensity − min) / (max − min)) + 1 over the ROI ' +
          '(the maximum goes to the last bin), so every ROI has bin_count bins. Normalises contrast; suited to ' +
          'arbitrary units such as MRI.',
        properties: {
          method: { const: 'fbn', description: 'Fixed bin number.' },
          bin_count: {
            type: 'integer',
            minimum: 1,
            description: 'Number of bins (IBSI configs B, D, E: 32; the IVH of config E: 1000).',
            'x-ibsi': { identifier: 'K15C', section: '2.7', name: 'Fixed bin number' },
          },
        },
        required: ['method', 'bin_count'],
        additionalProperties: false,
      },
    ],
  };
}

const FAMILY_DESCRIPTIONS: Record<string, string> = {
  morph: 'Morphology: volume, surface, shape (IBSI 3.1, HCUG). Uses the morphological mask.',
  loc: 'Local intensity: local and global intensity peak (IBSI 3.2, 9ST6).',
  stat: 'Intensity-based statistics: mean, variance, percentiles… of the raw intensities (IBSI 3.3, UHIW).',
  ih: 'Intensity histogram of the discretised intensities (IBSI 3.4, ZVCW).',
  ivh: 'Intensity-volume histogram (IBSI 3.5, P88C), with its own discretisation (ivh_discretisation).',
  cm: 'Grey level co-occurrence matrix, GLCM (IBSI 3.6, LFYI).',
  rlm: 'Grey level run length matrix, GLRLM (IBSI 3.7, TP0I).',
  szm: 'Grey level size zone matrix, GLSZM (IBSI 3.8, 9SAK).',
  dzm: 'Grey level distance zone matrix, GLDZM (IBSI 3.9, VMDZ).',
  ngt: 'Neighbourhood grey tone difference matrix, NGTDM (IBSI 3.10, IPET).',
  ngl: 'Neighbouring grey level dependence matrix, NGLDM (IBSI 3.11, REK0).',
};

/** The names researchers know the families by (IBSI matrix names, PyRadiomics classes). */
const FAMILY_ALIASES: Record<string, string> = {
  morphology: 'morph',
  shape: 'morph',
  local: 'loc',
  statistics: 'stat',
  firstorder: 'stat',
  histogram: 'ih',
  glcm: 'cm',
  glrlm: 'rlm',
  glszm: 'szm',
  gldzm: 'dzm',
  ngtdm: 'ngt',
  ngldm: 'ngl',
};

const AGGREGATION_DESCRIPTIONS: Record<string, string> = {
  '2D, averaged': 'GLCM/GLRLM: a matrix per slice and in-plane direction; features averaged over all of them (IBSI BTW3).',
  '2D, slice-merged': 'GLCM/GLRLM: the directions of each slice merged into one matrix; features averaged over slices (IBSI SUJT).',
  '2.5D, direction-merged': 'GLCM/GLRLM: each in-plane direction merged over all slices; features averaged over directions (IBSI JJUI).',
  '2.5D, merged': 'GLCM/GLRLM: one matrix from all slices and in-plane directions (IBSI ZW7Z).',
  '3D, averaged': 'GLCM/GLRLM: a matrix per 3D direction (13); features averaged over directions (IBSI ITBB).',
  '3D, merged': 'GLCM/GLRLM: one matrix from all 13 3D directions (IBSI IAZD).',
  '2D': 'GLSZM/GLDZM/NGTDM/NGLDM: a matrix per slice; features averaged over slices (IBSI 8QNN).',
  '2.5D': 'GLSZM/GLDZM/NGTDM/NGLDM: the slice matrices merged into one (IBSI 62GR).',
  '3D': 'GLSZM/GLDZM/NGTDM/NGLDM: one matrix from the volume (IBSI KOBO).',
};

const AGGREGATIONS = [...DIRECTIONAL_AGGREGATIONS, ...ZONE_AGGREGATIONS];

export const FEATURES_SCHEMA: JsonSchema = {
  title: 'Features',
  description: 'Which features to compute and the settings of the feature families (IBSI chapter 3).',
  type: 'object',
  properties: {
    families: {
      description:
        'Feature families to compute (default: all). morph, loc, stat, ih, ivh, cm (GLCM), rlm (GLRLM), szm (GLSZM), ' +
        'dzm (GLDZM), ngt (NGTDM), ngl (NGLDM).',
      type: 'array',
      items: {
        type: 'string',
        enum: [...FAMILIES],
        enumDescriptions: FAMILIES.map((f) => FAMILY_DESCRIPTIONS[f]),
        'x-aliases': FAMILY_ALIASES,
      },
      minItems: 1,
      uniqueItems: true,
      default: [...FAMILIES],
    },
    aggregations: {
      description:
        'How texture matrices are combined over slices and directions; every aggregation gives its own value of each ' +
        'texture feature. GLCM/GLRLM use "2D, averaged" … "3D, merged", GLSZM/GLDZM/NGTDM/NGLDM use 2D, 2.5D, 3D. ' +
        'IBSI computes the 2D aggregations from 3D volumes too. Default: the 3D ones, or the 2D and 2.5D ones with ' +
        'slice_wise (with a preset: the preset\'s).',
      type: 'array',
      items: { type: 'string', enum: AGGREGATIONS, enumDescriptions: AGGREGATIONS.map((a) => AGGREGATION_DESCRIPTIONS[a]) },
      minItems: 1,
      uniqueItems: true,
      default: [...VOLUME_DIRECTIONAL_AGGREGATIONS, ...VOLUME_ZONE_AGGREGATIONS],
    },
    discretisation: discretisation(
      'Intensity discretisation for the intensity histogram and all texture families (IBSI 2.7, 4R0B). Texture values ' +
        'depend strongly on it: use the same setting for every image of a study. Default: none.',
      { method: 'none' },
    ),
    ivh_discretisation: discretisation(
      'Discretisation of the intensity-volume histogram only (IBSI 3.5), separate from the texture one: none uses the ' +
        'intensities themselves (IBSI configs A, B, D), config C uses fbs 2.5 HU, config E fbn 1000. Default: none.',
      { method: 'none' },
    ),
    glcm: {
      description: 'Grey level co-occurrence matrix settings (IBSI 3.6).',
      type: 'object',
      default: { distance: 1, symmetric: true },
      properties: {
        distance: {
          type: 'integer',
          minimum: 1,
          default: 1,
          description: 'Chebyshev distance between the voxel pairs counted (IBSI PVMT). 1 = direct neighbours, as in all IBSI reference values.',
          'x-ibsi': { identifier: 'PVMT', section: '3.6' },
        },
        symmetric: {
          type: 'boolean',
          default: true,
          description: 'Count every pair in both directions, giving a symmetric matrix, as for the IBSI reference values. false counts each pair once.',
          'x-ibsi': { section: '3.6' },
        },
      },
      additionalProperties: false,
      'x-ibsi': { identifier: 'LFYI', section: '3.6', name: 'Grey level co-occurrence based features' },
    },
    ngtdm: {
      description: 'Neighbourhood grey tone difference matrix settings (IBSI 3.10).',
      type: 'object',
      default: { distance: 1 },
      properties: {
        distance: {
          type: 'integer',
          minimum: 1,
          default: 1,
          description: 'Chebyshev distance of the neighbourhood around each voxel (1 = the 8 in-plane or 26 3D neighbours, as in the IBSI reference values).',
          'x-ibsi': { section: '3.10' },
        },
      },
      additionalProperties: false,
      'x-ibsi': { identifier: 'IPET', section: '3.10', name: 'Neighbourhood grey tone difference based features' },
    },
    ngldm: {
      description: 'Neighbouring grey level dependence matrix settings (IBSI 3.11).',
      type: 'object',
      default: { distance: 1, alpha: 0 },
      properties: {
        distance: {
          type: 'integer',
          minimum: 1,
          default: 1,
          description: 'Chebyshev distance of the neighbourhood around each voxel (1 in the IBSI reference values).',
          'x-ibsi': { section: '3.11' },
        },
        alpha: {
          type: 'integer',
          minimum: 0,
          default: 0,
          description: 'Coarseness α (IBSI VXRR): a neighbour is dependent when its grey level differs from the centre\'s by at most α. 0 (the IBSI setting) requires equal grey levels.',
          'x-ibsi': { identifier: 'VXRR', section: '3.11' },
        },
      },
      additionalProperties: false,
      'x-ibsi': { identifier: 'REK0', section: '3.11', name: 'Neighbouring grey level dependence based features' },
    },
    ibsi_codes: {
      description:
        'Compute only these features, by IBSI identifier (e.g. [GYBY, RNU0]); their families must be in `families`. ' +
        'Empty (the default): every feature of the families.',
      type: 'array',
      items: { type: 'string', pattern: '^[0-9A-Z]{4}$', 'x-expected': 'a four-character IBSI identifier in capitals, e.g. `GYBY`' },
      uniqueItems: true,
      default: [],
    },
  },
  additionalProperties: false,
};

export const PRESET_SCHEMA: JsonSchema = {
  description:
    'Start from a named preset and override only what you write: ibsi-A … ibsi-E are the IBSI CT-phantom ' +
    'configurations, default is no preprocessing and no discretisation. A block you write replaces the preset\'s ' +
    'resampling, normalisation or discretisation as a whole; other keys are replaced one by one.',
  type: 'string',
  enum: [...PRESET_NAMES],
  enumDescriptions: PRESET_NAMES.map((n) => PRESET_DESCRIPTIONS[n]),
};

/** A settings file (`rgs extract --settings FILE.yaml`): an optional preset and the two sections. */
export const SETTINGS_FILE_SCHEMA: JsonSchema = {
  title: 'Radiogenomics Studio extraction settings',
  description: 'Preprocessing and feature settings for IBSI-compliant radiomics feature extraction.',
  type: 'object',
  properties: {
    preset: PRESET_SCHEMA,
    preprocessing: PREPROCESSING_SCHEMA,
    features: FEATURES_SCHEMA,
  },
  additionalProperties: false,
};
