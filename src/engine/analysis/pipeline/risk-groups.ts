/**
 * Risk groups of a survival model: the cut-off is the median risk score of the TRAINING rows
 * (the rows the model was fitted on), fixed before any test row is scored, and applied
 * unchanged to the test rows. Splitting at the median of the test rows themselves (or of all
 * subjects) would use the test data to define the groups and guarantee two equal halves
 * whatever the model's calibration.
 *
 * A row is `high` risk when its score is strictly above the cut-off, otherwise `low` (a training
 * score equal to the median therefore counts as low, as `>` in most published code).
 */
import { medianOf } from './data';

export type RiskGroup = 'high' | 'low';

export interface RiskGrouping {
  /** The training median of the risk score. */
  cutoff: number;
  groups: RiskGroup[];
}

export function trainingMedianCutoff(trainScores: ArrayLike<number>): number {
  return medianOf(trainScores);
}

export function assignRiskGroups(scores: ArrayLike<number>, cutoff: number): RiskGroup[] {
  const out: RiskGroup[] = [];
  for (let i = 0; i < scores.length; i++) out.push(scores[i] > cutoff ? 'high' : 'low');
  return out;
}

/** Groups `testScores` at the median of `trainScores`. */
export function riskGroupsAtTrainingMedian(trainScores: ArrayLike<number>, testScores: ArrayLike<number>): RiskGrouping {
  const cutoff = trainingMedianCutoff(trainScores);
  return { cutoff, groups: assignRiskGroups(testScores, cutoff) };
}
