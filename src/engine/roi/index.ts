/** ROI selection from label masks: selectors, label maps, binary ROI masks, bounding boxes. */
export { ALL_LABELS, ROI_NAME_PATTERN, formatRoiSelector, parseRoiSelector, type RoiSelector } from './selector';
export { LabelMap, parseLabelMap, readLabelMap } from './label-map';
export { labelsPresent, selectRoi, type SelectedRoi } from './select';
export { initialRoiMasks, type RoiMasks } from './masks';
export { boundingBox, cropMask, cropToBox, expandBox, type Box } from './bounding-box';
