/**
 * The two ROI masks IBSI keeps apart (reference manual, section 2.3, "ROI masks"): the
 * morphological mask (shape: morphology features, and where local intensity is sought) and the
 * intensity mask (which voxels' intensities enter the statistics, histograms and texture).
 * Both start as the segmented ROI; re-segmentation later narrows only the intensity mask.
 */

export interface RoiMasks {
  morph: Uint8Array;
  intensity: Uint8Array;
}

/** Both masks equal to `mask`; they are separate arrays so narrowing one leaves the other. */
export function initialRoiMasks(mask: Uint8Array): RoiMasks {
  return { morph: mask.slice(), intensity: mask.slice() };
}
