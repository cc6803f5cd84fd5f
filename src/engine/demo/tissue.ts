/**
 * Tissue classes of the demo head phantom. The tissue map (one Uint8 per voxel) is the ground
 * truth the MR contrast model turns into intensities; the BraTS segmentation is derived from its
 * tumour classes.
 */
export const Tissue = {
  Air: 0,
  Skin: 1, // skin and scalp muscle
  Fat: 2, // subcutaneous scalp fat
  Bone: 3, // cortical bone of the skull tables
  Marrow: 4, // diploe between the tables
  Csf: 5,
  GreyMatter: 6,
  WhiteMatter: 7,
  DeepGrey: 8, // thalamus and basal ganglia
  Oedema: 9,
  Enhancing: 10,
  Necrosis: 11,
} as const;

export type TissueClass = (typeof Tissue)[keyof typeof Tissue];

export const TISSUE_COUNT = 12;

export const TISSUE_NAMES: readonly string[] = [
  'air',
  'skin',
  'fat',
  'bone',
  'marrow',
  'csf',
  'grey matter',
  'white matter',
  'deep grey',
  'oedema',
  'enhancing tumour',
  'necrosis',
];

/** BraTS label values (Menze et al. 2015; Bakas et al. 2017). */
export const BratsLabel = { Background: 0, Necrosis: 1, Oedema: 2, Enhancing: 4 } as const;

/** Intracranial classes: everything inside the inner table of the skull. */
export function isIntracranial(t: number): boolean {
  return t >= Tissue.Csf;
}

/** Brain parenchyma that vasogenic oedema can occupy. */
export function isParenchyma(t: number): boolean {
  return t === Tissue.GreyMatter || t === Tissue.WhiteMatter || t === Tissue.DeepGrey;
}
