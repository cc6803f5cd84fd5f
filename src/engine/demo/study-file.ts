/**
 * The demo cohort's study file: what a researcher would write for this cohort, and what
 * `npm start` runs. Written next to manifest.csv and clinical.csv (paths are relative to it).
 */
import { join } from 'node:path';
import { writeFileAtomic } from '../util/atomic-write';

export const DEMO_STUDY_FILE = 'demo.study.yaml';

export const DEMO_STUDY_YAML = `# Radiogenomics Studio demo study over the synthetic glioblastoma cohort written by \`rgs demo\`.
# Run it with: rgs run ${DEMO_STUDY_FILE}
study:
  id: demo-gbm
  title: Radiogenomics of glioblastoma (synthetic demo cohort)
  question: IDH1 mutation status and overall survival from pre-operative MRI

cohort:
  manifest: manifest.csv
  subject_column: subject_id
  modality: MR
  sequences:
    T1: { column: t1 }
    T1CE: { column: t1ce }
    T2: { column: t2 }
    FLAIR: { column: flair }
  mask_column: mask
  labels: { necrosis: 1, oedema: 2, enhancing: 4 }
  unions:
    tumour_core: [necrosis, enhancing]
    whole_tumour: [necrosis, oedema, enhancing]
  rois: [necrosis, oedema, enhancing, tumour_core, whole_tumour]
  site_column: site
  clinical:
    - { file: clinical.csv, subject_column: subject_id }

# The demo images are 1.2 x 1.2 x 4 mm: resample to 2 mm isotropic so that 3D texture sees the
# same neighbourhood in every direction. MR intensities have no absolute scale, so texture uses
# a fixed bin number (relative to each ROI's range), not a fixed bin size; the scanner and site
# differences that remain in the intensity features are what harmonisation is for.
preprocessing:
  resampling:
    spacing: [2, 2, 2]
    interpolation: linear
    round_intensities: true
    mask_interpolation: linear
    mask_threshold: 0.5

features:
  discretisation: { method: fbn, bin_count: 32 }
  ivh_discretisation: { method: none }

outcomes:
  idh1: { type: binary, column: idh1, positive: mutant }
  mgmt: { type: binary, column: mgmt, positive: methylated }
  survival: { type: survival, time: survival_months, event: death, unit: months }
`;

/** The analysis section: needs enough subjects for nested CV on a 20% minority class. */
export const DEMO_ANALYSIS_YAML = `
# Every step below that is fitted from data (imputation, ComBat, scaling, the filters, LASSO and
# its lambda) is refit inside each training fold of the nested cross-validation: nothing from a
# test fold reaches the model. Risk groups split at the training median.
analysis:
  seed: 2026
  outcomes: [idh1, survival]
  features:
    sequences: [T1CE, FLAIR]
    rois: [necrosis, enhancing, oedema, whole_tumour]
    families: [morph, stat]
  validation: { method: nested_cv, folds: 5, repeats: 2, inner_folds: 5, stratify: outcome }
  imputation: { method: median }
  harmonisation: { method: combat }
  scaling: { method: zscore }
  filters:
    - { method: near_zero_variance }
    - { method: correlation, threshold: 0.9 }
  models:
    - { type: logistic, alpha: 1, lambda: min }
    - { type: random_forest, trees: 500 }
    - { type: lasso_cox, lambda: min }
  bootstrap_replicates: 500
  # Preranked GSEA of the synthetic expression matrix (expression.csv: one gene per row, one
  # column per subject) between the out-of-fold radiomic risk groups of the LASSO-Cox model:
  # each subject is grouped by a model that was not fitted on it.
  enrichment:
    expression: expression.csv
    gene_sets: gene_sets.gmt
    groups: risk_groups
    outcome: survival
    model: lasso_cox
    permutations: 1000

report:
  title: IDH1 status and overall survival from pre-operative MRI (synthetic demo)
  at_risk_times: [0, 12, 24, 36, 48]
`;

/** Fewest subjects for the analysis: 5 outer x 5 inner folds need about 10 IDH-mutant subjects. */
export const DEMO_ANALYSIS_MIN_SUBJECTS = 60;

/**
 * Writes demo.study.yaml into the demo folder and returns its path. A small demo cohort (for
 * tests and quick looks) gets the feature sections only: nested CV on a handful of subjects
 * would be refused by the design checks, rightly.
 */
export function writeDemoStudy(dir: string, subjects: number): string {
  const path = join(dir, DEMO_STUDY_FILE);
  writeFileAtomic(path, subjects >= DEMO_ANALYSIS_MIN_SUBJECTS ? DEMO_STUDY_YAML + DEMO_ANALYSIS_YAML : DEMO_STUDY_YAML);
  return path;
}
