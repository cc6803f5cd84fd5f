/**
 * Reporting checklists filled in from what the study file and the run determine, and only
 * that: every other item says "not determined by the study file" and is left to the authors.
 *
 * - RQS, the radiomics quality score (Lambin et al., Nat Rev Clin Oncol 2017; 16 items, total
 *   −8 to 36). Items scored here: 2 (no segmentation-robustness analysis is defined), 4 (one
 *   time point per subject), 5 (feature reduction), 6 (radiomic features only), 8 (cut-off
 *   analysis), 9 (discrimination), 10 (calibration), 12 (validation). The undetermined items'
 *   possible range is added to the determined points.
 * - TRIPOD+AI (Collins et al., BMJ 2024;385:e078378): the methods and results items the study
 *   file and the run answer (data, outcome, predictors, sample size, missing data, analysis,
 *   class imbalance, model output, training versus evaluation, participants, specification,
 *   performance).
 */
import type { AnalysisResults } from '../pipeline/results';

export interface ChecklistItem {
  item: string;
  topic: string;
  answer: string;
  /** RQS points given (null: not determined). */
  points: number | null;
  /** RQS: the points the item can give (for undetermined items), e.g. [0, 7]. */
  range?: [number, number];
  determined: boolean;
}

const NOT_DETERMINED = 'not determined by the study file';

function nd(item: string, topic: string, range?: [number, number]): ChecklistItem {
  return { item, topic, answer: NOT_DETERMINED, points: null, ...(range === undefined ? {} : { range }), determined: false };
}

const METHOD_WORDS: Record<string, string> = {
  nested_cv: 'nested cross-validation',
  repeated_cv: 'repeated k-fold cross-validation',
  holdout: 'a stratified hold-out test set',
  external: 'an external test cohort',
};

function hasExternalEvaluation(r: AnalysisResults): boolean {
  return r.analysis.validation.method === 'external' || r.outcomes.some((o) => o.cohort.external > 0);
}

export function rqsItems(r: AnalysisResults): { items: ChecklistItem[]; determinedPoints: number; lowest: number; highest: number } {
  const a = r.analysis;
  const cv = a.validation.method === 'nested_cv' || a.validation.method === 'repeated_cv';
  const penalised = (a.models ?? []).some((m) => m.type === 'logistic' || m.type === 'lasso_cox') || a.models === null;
  const reduction = a.selection !== null || a.filters.length > 0 || penalised;
  const binary = r.outcomes.some((o) => o.type === 'binary');
  const survival = r.outcomes.some((o) => o.type === 'survival');
  const external = hasExternalEvaluation(r);
  const items: ChecklistItem[] = [
    nd('1', 'Image protocol quality', [0, 2]),
    {
      item: '2',
      topic: 'Multiple segmentations',
      answer: 'No: the study file defines one segmentation per subject and no segmentation-robustness analysis of the features',
      points: 0,
      determined: true,
    },
    nd('3', 'Phantom study on all scanners', [0, 1]),
    { item: '4', topic: 'Imaging at multiple time points', answer: 'No: one image per sequence and subject', points: 0, determined: true },
    {
      item: '5',
      topic: 'Feature reduction or adjustment for multiple testing',
      answer: reduction
        ? `Yes: ${[a.filters.length > 0 ? 'filters' : '', a.selection !== null ? `${a.selection.method} selection` : '', penalised ? 'penalised models' : ''].filter((s) => s !== '').join(', ')}, inside the training folds`
        : 'No: every candidate feature enters the models',
      points: reduction ? 3 : -3,
      determined: true,
    },
    { item: '6', topic: 'Multivariable analysis with non-radiomics features', answer: 'No: the models use radiomic features only', points: 0, determined: true },
    r.enrichment
      ? {
          // Detection is in the report; the discussion is the authors' (so still undetermined).
          item: '7',
          topic: 'Detect and discuss biological correlates',
          answer: `Gene-set enrichment of ${r.enrichment.expression.file} between ${r.enrichment.up} and ${r.enrichment.down} is in the report (Enrichment); its discussion is not determined by the study file`,
          points: null,
          range: [0, 1],
          determined: false,
        }
      : nd('7', 'Detect and discuss biological correlates', [0, 1]),
    {
      item: '8',
      topic: 'Cut-off analyses',
      answer: survival
        ? 'Yes: risk groups split at the median risk score of the training data, fixed before testing'
        : 'Yes: continuous predicted probabilities are reported; the classification threshold is fixed in advance',
      points: 1,
      determined: true,
    },
    {
      item: '9',
      topic: 'Discrimination statistics',
      answer: `Yes: ${[binary ? 'AUC with DeLong intervals' : '', survival ? "Harrell's C with bootstrap intervals" : ''].filter((s) => s !== '').join('; ')}${cv ? '; resampling by cross-validation' : survival ? '; bootstrap resampling' : ''}`,
      points: 1 + (cv || survival ? 1 : 0),
      determined: true,
    },
    {
      item: '10',
      topic: 'Calibration statistics',
      answer: binary
        ? `Yes: calibration slope, calibration-in-the-large and calibration plot${cv ? ', on cross-validated predictions' : ''}`
        : 'No: calibration of survival predictions is not computed',
      points: binary ? 1 + (cv ? 1 : 0) : 0,
      determined: true,
    },
    nd('11', 'Prospective study registered in a trial database', [0, 7]),
    {
      item: '12',
      topic: 'Validation',
      answer: external
        ? 'External cohort (cohort.external): +3 for one external data set; whether it comes from another institute, and further data sets (+4, +5), are not determined by the study file'
        : `Internal validation only (${METHOD_WORDS[a.validation.method]})`,
      points: external ? 3 : 2,
      determined: true,
    },
    nd('13', "Comparison to 'gold standard'", [0, 2]),
    nd('14', 'Potential clinical utility', [0, 2]),
    nd('15', 'Cost-effectiveness analysis', [0, 1]),
    nd('16', 'Open science and data', [0, 4]),
  ];
  const determinedPoints = items.reduce((s, i) => s + (i.points ?? 0), 0);
  const open = items.filter((i) => !i.determined);
  return {
    items,
    determinedPoints,
    lowest: determinedPoints + open.reduce((s, i) => s + (i.range?.[0] ?? 0), 0),
    highest: determinedPoints + open.reduce((s, i) => s + (i.range?.[1] ?? 0), 0),
  };
}

export function tripodItems(r: AnalysisResults): ChecklistItem[] {
  const a = r.analysis;
  const v = a.validation;
  const det = (item: string, topic: string, answer: string): ChecklistItem => ({ item, topic, answer, points: null, determined: true });
  const outcomes = r.outcomes;
  const sites = new Set(outcomes.flatMap((o) => o.cohort.sites.map((s) => s.site)).filter((s) => s !== '(unknown)'));
  const n = outcomes.map((o) => `${o.name}: ${o.cohort.subjects} subjects (${o.cohort.development} development, ${o.cohort.external} external)`).join('; ');
  const sizes = outcomes
    .map((o) => {
      const events = Math.min(o.cohort.positives, o.cohort.negatives);
      const what = o.type === 'binary' ? 'minority-class subjects' : 'events';
      return `${o.name}: ${o.type === 'binary' ? o.cohort.positives + ' positive, ' + o.cohort.negatives + ' negative' : o.cohort.positives + ' events'}; ${(o.type === 'binary' ? events : o.cohort.positives)} ${what} for ${o.candidateFeatures} candidate features`;
    })
    .join('; ');
  const stages = [
    a.imputation ? `${a.imputation.method} imputation` : '',
    a.harmonisation ? 'ComBat harmonisation by site' : '',
    a.scaling ? `${a.scaling.method} scaling` : '',
    ...a.filters.map((f) => `${f.method.replace(/_/g, ' ')} filter`),
    a.selection ? `${a.selection.method} selection` : '',
  ].filter((s) => s !== '');
  const modelNames = [...new Set(outcomes.flatMap((o) => o.models.map((m) => `${m.name} (${m.type})`)))];
  const tuning =
    v.method === 'repeated_cv'
      ? 'no tuning (fixed settings)'
      : `lambda and hyper-parameters tuned on ${v.innerFolds}-fold inner cross-validation of the training data${v.innerRepeats > 1 ? ` (${v.innerRepeats} repetitions)` : ''}`;
  const design =
    v.method === 'nested_cv' || v.method === 'repeated_cv'
      ? `${METHOD_WORDS[v.method]}: ${v.folds} outer folds x ${v.repeats} repetition(s), subject-level, stratified by ${v.stratify.replace(/_/g, ' ')}, seed ${a.seed}; every stage refit inside each training fold`
      : v.method === 'holdout'
        ? `hold-out: ${Math.round(v.testFraction * 100)}% test, stratified by ${v.stratify.replace(/_/g, ' ')}, seed ${a.seed}; the model fitted on the training part is the final model`
        : `trained and tuned on the internal cohort, tested once on the external cohort (seed ${a.seed})`;
  const external = hasExternalEvaluation(r);
  return [
    nd('1-4', 'Title, abstract, introduction, objectives'),
    det('5a', 'Data sources', `Cohort manifest of the study; ${n}`),
    nd('5b', 'Data dates'),
    sites.size > 0 ? det('6a', 'Setting (centres)', `${sites.size} acquisition site(s): ${[...sites].join(', ')}`) : nd('6a', 'Setting (centres)'),
    nd('6b-c', 'Eligibility, treatments'),
    det('7', 'Data preparation', `IBSI-standardised radiomic features from the study's preprocessing settings; ${stages.join(', ') || 'no preprocessing of the features'}, each fitted on training data only`),
    det(
      '8a',
      'Outcome',
      outcomes.map((o) => (o.type === 'binary' ? `${o.name}: binary, positive class "${o.positive}"` : `${o.name}: time to event in ${o.unit}`)).join('; '),
    ),
    det('9a', 'Predictors', `${outcomes[0]?.candidateFeatures ?? 0} candidate radiomic features from the feature table`),
    det('10', 'Sample size', `${sizes} (the rationale is not determined by the study file)`),
    det(
      '11',
      'Missing data',
      `${a.imputation ? `missing feature values: ${a.imputation.method} of the training rows` : 'no missing feature values allowed'}; subjects without a known outcome excluded (${outcomes.map((o) => `${o.name}: ${o.cohort.missingOutcome}`).join(', ')})`,
    ),
    det('12a', 'Data use (development and evaluation)', design),
    det('12b', 'Predictor handling', stages.join(', ') || 'features used as extracted'),
    det('12c', 'Model type, building and tuning', `${modelNames.join(', ')}; ${tuning}`),
    det(
      '12d',
      'Heterogeneity across clusters (sites)',
      a.harmonisation !== null || v.stratify === 'outcome_and_site'
        ? [a.harmonisation ? 'ComBat harmonisation by site (fitted on training folds)' : '', v.stratify === 'outcome_and_site' ? 'folds stratified by site' : ''].filter((s) => s !== '').join('; ')
        : 'not addressed by the analysis',
    ),
    det(
      '12e',
      'Performance measures',
      "AUC with DeLong intervals, Brier score, calibration slope and calibration-in-the-large, sensitivity, specificity, PPV and NPV with Wilson intervals (binary); Harrell's C with bootstrap intervals, Kaplan–Meier risk groups with the log-rank test (survival); corrected resampled t intervals over cross-validation folds",
    ),
    nd('12f-g', 'Model updating; external validation procedure'),
    det('13', 'Class imbalance', a.balancing ? `${a.balancing.method} (ratio ${a.balancing.ratio}) inside training folds only` : `no resampling; folds stratified by ${v.stratify.replace(/_/g, ' ')}`),
    nd('14', 'Fairness'),
    det('15', 'Model output', `predicted probabilities (binary), threshold ${a.threshold} fixed in advance; linear risk score and risk groups at the training median (survival)`),
    det('16', 'Training versus evaluation data', external ? 'an external cohort is evaluated with the final model' : 'no external evaluation: internal validation only'),
    nd('17-19', 'Ethics, open science, patient and public involvement'),
    det('20a', 'Participants (flow)', outcomes.map((o) => `${o.name}: ${o.cohort.subjects} analysed, ${o.cohort.missingOutcome} without outcome, ${o.cohort.missingFeatures} without features`).join('; ')),
    det('22', 'Model specification', 'final models with every fitted parameter in final-model.json and final-model-coefficients.csv'),
    det('23a', 'Model performance', 'given in this report with confidence intervals'),
    nd('23b', 'Performance in subgroups'),
    nd('24-27', 'Model updating, interpretation, limitations, usability'),
  ];
}
