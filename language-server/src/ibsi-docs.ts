/**
 * Short definitions for hovers: each IBSI feature family and each image-processing step a study
 * file sets, with the section of the IBSI reference manual (Zwanenburg et al., arXiv:1612.07003;
 * Radiology 2020;295:328-338) and the IBSI identifier. Written for a researcher reading a study
 * file: what is computed and what the setting does to the numbers, not the formulas.
 */
import type { Family } from '../../src/engine/features/types';

export const IBSI_MANUAL = 'IBSI reference manual, arXiv:1612.07003';

export interface IbsiDoc {
  /** The name IBSI uses. */
  name: string;
  /** Section of the reference manual, e.g. "3.6". */
  section: string;
  /** The IBSI identifier, e.g. "LFYI". */
  identifier?: string;
  /** What it is, in a few sentences (markdown). */
  text: string;
}

export const FAMILY_DOCS: Readonly<Record<Family, IbsiDoc & { abbreviation: string }>> = {
  morph: {
    name: 'Morphological features',
    abbreviation: 'morph',
    section: '3.1',
    identifier: 'HCUG',
    text:
      'Size and shape of the ROI: volume and surface area of a triangle mesh of the morphological mask, volume by voxel ' +
      'counting, compactness and sphericity, the maximum 3D diameter, axis lengths from the principal components of the ' +
      'voxel positions, densities against enclosing boxes, ellipsoids and the convex hull, and the spatial ' +
      "autocorrelation of intensities (Moran's I, Geary's C). In mm, mm² and mm³; computed on the morphological mask, " +
      'which re-segmentation does not change, so resampling changes these values but intensity settings do not (except ' +
      'for the intensity-weighted ones).',
  },
  loc: {
    name: 'Local intensity features',
    abbreviation: 'loc',
    section: '3.2',
    identifier: '9ST6',
    text:
      'The mean intensity in a 1 cm³ sphere (radius 6.2 mm) around a voxel: the local intensity peak is that mean ' +
      'around the ROI voxel(s) of highest intensity, the global intensity peak the highest such mean over all ROI ' +
      'voxels. Uses the intensities before discretisation; voxels of the sphere outside the ROI count.',
  },
  stat: {
    name: 'Intensity-based statistical features',
    abbreviation: 'stat',
    section: '3.3',
    identifier: 'UHIW',
    text:
      'First-order statistics of the intensities of the voxels in the intensity mask (after re-segmentation), not ' +
      'discretised: mean, variance (dividing by N), skewness, excess kurtosis, median, minimum, 10th and 90th ' +
      'percentiles, maximum, interquartile range, range, mean, robust-mean and median absolute deviations, coefficient ' +
      'of variation, quartile coefficient of dispersion, energy and root mean square. In the units of the image (or of ' +
      'the normalisation).',
  },
  ih: {
    name: 'Intensity histogram features',
    abbreviation: 'ih',
    section: '3.4',
    identifier: 'ZVCW',
    text:
      'The same first-order statistics, but of the discretised grey levels (IBSI 2.7), plus the histogram mode, ' +
      'entropy, uniformity and the largest and smallest histogram gradients. The values are in bins, so they change ' +
      'with the discretisation method and bin width or number.',
  },
  ivh: {
    name: 'Intensity-volume histogram features',
    abbreviation: 'ivh',
    section: '3.5',
    identifier: 'P88C',
    text:
      'The cumulative intensity-volume histogram: the fraction of the ROI volume whose intensity is at least a given ' +
      'fraction of the intensity range (V10, V90), the lowest intensity of the hottest 10 % and 90 % of the volume ' +
      '(I10, I90), their differences and the area under the curve. It has its own discretisation ' +
      '(`ivh_discretisation`), separate from the texture one.',
  },
  cm: {
    name: 'Grey level co-occurrence based features (GLCM)',
    abbreviation: 'cm',
    section: '3.6',
    identifier: 'LFYI',
    text:
      'The co-occurrence matrix counts how often grey levels i and j are found in two voxels at Chebyshev distance ' +
      '`glcm.distance` along a direction (13 directions in 3D, 4 within a slice). Features of its normalised ' +
      'probabilities: joint, sum and difference statistics, contrast and dissimilarity, inverse differences ' +
      '(homogeneity), correlation, cluster tendency, shade and prominence, information correlations. Depends on the ' +
      'discretisation and on the aggregation over slices and directions.',
  },
  rlm: {
    name: 'Grey level run length based features (GLRLM)',
    abbreviation: 'rlm',
    section: '3.7',
    identifier: 'TP0I',
    text:
      'The run length matrix counts runs (consecutive voxels of equal grey level along a direction) by grey level and ' +
      'length. Features emphasise short or long runs and low or high grey levels, and measure the (non-)uniformity of ' +
      'grey levels and run lengths, the run percentage, variances and entropy. Depends on the discretisation and the ' +
      'aggregation over slices and directions.',
  },
  szm: {
    name: 'Grey level size zone based features (GLSZM)',
    abbreviation: 'szm',
    section: '3.8',
    identifier: '9SAK',
    text:
      'The size zone matrix counts zones (groups of connected voxels of equal grey level: 26-connected in 3D, ' +
      '8-connected within a slice) by grey level and zone size, without any direction. Features emphasise small or ' +
      'large zones and low or high grey levels, plus non-uniformities, zone percentage, variances and entropy.',
  },
  dzm: {
    name: 'Grey level distance zone based features (GLDZM)',
    abbreviation: 'dzm',
    section: '3.9',
    identifier: 'VMDZ',
    text:
      'The distance zone matrix counts the same zones as the GLSZM by grey level and by their distance to the ROI ' +
      'edge: the smallest number of face-connected steps from a zone voxel to the outside of the morphological mask ' +
      '(1 on the edge). Features emphasise zones near or far from the edge and low or high grey levels.',
  },
  ngt: {
    name: 'Neighbourhood grey tone difference based features (NGTDM)',
    abbreviation: 'ngt',
    section: '3.10',
    identifier: 'IPET',
    text:
      'For each grey level, the sum of the absolute differences between a voxel\'s grey level and the mean grey level ' +
      'of its neighbourhood (Chebyshev distance `ngtdm.distance`, the centre excluded, only neighbours in the ROI). ' +
      'Features: coarseness, contrast, busyness, complexity and strength.',
  },
  ngl: {
    name: 'Neighbouring grey level dependence based features (NGLDM)',
    abbreviation: 'ngl',
    section: '3.11',
    identifier: 'REK0',
    text:
      'For each voxel, its dependence count: 1 plus the number of ROI neighbours (within `ngldm.distance`) whose grey ' +
      'level differs from its own by at most α (`ngldm.alpha`). The matrix counts voxels by grey level and dependence ' +
      'count; features emphasise low or high dependence and low or high grey levels, plus non-uniformities, variances, ' +
      'entropy and energy.',
  },
};

/**
 * The image-processing steps and feature settings of a study file, by their path (dotted, from
 * the section: `preprocessing.resampling`, `features.discretisation`…). The schema's description
 * says what each key does; these add the IBSI concept behind it.
 */
export const SETTING_DOCS: Readonly<Record<string, IbsiDoc>> = {
  preprocessing: {
    name: 'Image processing',
    section: '2',
    text:
      'IBSI chapter 2: the image is (optionally) interpolated to a new grid, the ROI is re-segmented by intensity, and ' +
      'for the histogram and texture families the intensities are discretised. Every step changes feature values, so ' +
      'the same settings must be used for every image of a study and reported with the results.',
  },
  'preprocessing.slice_wise': {
    name: '2D (slice-wise) processing',
    section: '2.4',
    identifier: 'VTM2',
    text:
      'With slice-wise processing, interpolation stays within slices and textures are computed per slice (the "2D" and ' +
      '"2.5D" aggregations): the choice when slices are much thicker than the in-plane voxel size, where 3D ' +
      'neighbourhoods would mix very different distances.',
  },
  'preprocessing.resampling': {
    name: 'Interpolation',
    section: '2.4',
    identifier: 'VTM2',
    text:
      'Interpolation puts the image and its mask on a grid of the chosen voxel spacing, so that texture features, ' +
      'which count voxel neighbours, describe the same physical scale in every scan. IBSI aligns the centres of the old ' +
      'and new grids. Image intensities are interpolated with `interpolation` (and may be rounded, 68QD); the mask is ' +
      'interpolated separately and thresholded for partial volumes (E8H9).',
  },
  'preprocessing.normalisation': {
    name: 'Intensity normalisation',
    section: '2.2',
    text:
      'Not part of the IBSI standardised processing (image post-acquisition processing, IBSI 2.2, is left to the ' +
      'user), so report it. MRI intensities have no absolute unit: normalising to a reference region makes them ' +
      'comparable between scans and scanners; fixed-bin-size discretisation and re-segmentation ranges are then in ' +
      'normalised units.',
  },
  'preprocessing.resegmentation': {
    name: 'Re-segmentation',
    section: '2.5',
    identifier: 'IF9H',
    text:
      'Re-segmentation removes voxels from the intensity mask by their intensity: outside a range (USB3), e.g. to ' +
      'exclude air and bone from a CT soft-tissue ROI, or outside mean ± k·SD (outlier filtering, 7ACA). The ' +
      'morphological mask is kept whole, so shape features do not change; every intensity and texture feature does.',
  },
  features: {
    name: 'Feature calculation',
    section: '3',
    text:
      'IBSI chapter 3 defines eleven feature families. Which are computed, how the intensities are discretised for ' +
      'the histogram and texture families, and how texture matrices are aggregated over slices and directions are ' +
      'set here.',
  },
  'features.families': {
    name: 'Feature families',
    section: '3',
    text:
      'morph (3.1), loc (3.2), stat (3.3), ih (3.4), ivh (3.5), cm/GLCM (3.6), rlm/GLRLM (3.7), szm/GLSZM (3.8), ' +
      'dzm/GLDZM (3.9), ngt/NGTDM (3.10), ngl/NGLDM (3.11).',
  },
  'features.discretisation': {
    name: 'Intensity discretisation',
    section: '2.7',
    identifier: '4R0B',
    text:
      'Discretisation groups intensities into grey-level bins so that histograms and texture matrices have a ' +
      'manageable size. Fixed bin size (Q3RU) keeps a fixed relation to the intensity scale (bins of `bin_width` from ' +
      'the lower re-segmentation bound): for calibrated units such as CT HU. Fixed bin number (K15C) spreads each ' +
      "ROI's own range over `bin_count` bins: contrast is normalised per ROI, suited to arbitrary units, but bin " +
      'values of different ROIs are not comparable. Texture values depend strongly on this choice.',
  },
  'features.ivh_discretisation': {
    name: 'Intensity-volume histogram discretisation',
    section: '3.5',
    identifier: 'P88C',
    text:
      'The IVH is computed on its own grid of intensities: the intensities themselves (integer data), fixed-size ' +
      'bins (their centres) or a fixed number of bins. A finer grid gives smoother V10/V90 and I10/I90 values.',
  },
  'features.aggregations': {
    name: 'Feature aggregation',
    section: '3.6',
    text:
      'Texture matrices can be computed per slice or for the volume, and per direction or merged. IBSI names each ' +
      'combination: for GLCM/GLRLM 2D averaged (BTW3), 2D slice-merged (SUJT), 2.5D direction-merged (JJUI), 2.5D ' +
      'merged (ZW7Z), 3D averaged (ITBB), 3D merged (IAZD); for GLSZM/GLDZM/NGTDM/NGLDM 2D (8QNN), 2.5D (62GR) and ' +
      '3D (KOBO). Each gives a different value of the same feature: report which one you use.',
  },
  'features.glcm': {
    name: 'Grey level co-occurrence matrix',
    section: '3.6',
    identifier: 'LFYI',
    text: 'Settings of the co-occurrence matrix: the Chebyshev distance between the voxel pairs counted, and whether each pair is counted in both directions.',
  },
  'features.ngtdm': {
    name: 'Neighbourhood grey tone difference matrix',
    section: '3.10',
    identifier: 'IPET',
    text: 'The size of the neighbourhood whose mean grey level each voxel is compared with.',
  },
  'features.ngldm': {
    name: 'Neighbouring grey level dependence matrix',
    section: '3.11',
    identifier: 'REK0',
    text: 'The neighbourhood size and the coarseness α that decide which neighbours count as dependent.',
  },
  'features.ibsi_codes': {
    name: 'Feature identifiers',
    section: '3',
    text: 'Every IBSI feature has a four-character identifier (e.g. GYBY, GLCM joint maximum), the same in the manual and in its reference-value tables.',
  },
};

/** The IBSI documentation of a setting path such as ['preprocessing', 'resampling'], also inside a sequence's preprocessing. */
export function settingDoc(path: readonly (string | number)[]): IbsiDoc | undefined {
  const segs = path.filter((s): s is string => typeof s === 'string');
  // cohort.sequences.NAME.preprocessing.X -> preprocessing.X
  const at = segs.lastIndexOf('preprocessing');
  const key = (at > 0 ? segs.slice(at) : segs).join('.');
  return SETTING_DOCS[key];
}

/** "IBSI 3.6, LFYI" */
export function ibsiReference(doc: { section?: string; identifier?: string }): string {
  const parts: string[] = [];
  if (doc.section !== undefined) parts.push(`IBSI ${doc.section}`);
  if (doc.identifier !== undefined) parts.push(doc.identifier);
  return parts.join(', ');
}
