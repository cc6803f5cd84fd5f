/** Survival analysis: Cox regression, Kaplan-Meier, log-rank test, Harrell's C. */
export { fitCox, predictCox, cumulativeBaselineHazard, type CoxFit, type CoxOptions, type CoxTies, type ChiSquareTest } from './cox';
export { kaplanMeier, kaplanMeierByGroup, numberAtRisk, survivalAt, survivalQuantile, groupLevels } from './km';
export type { KaplanMeierCurve, KaplanMeierOptions, KmConfType, SurvivalQuantile, GroupLabel } from './km';
export { logRankTest, type LogRankResult } from './logrank';
export { concordanceIndex, type ConcordanceResult } from './concordance';
export { chiSquareUpperTail, normalCdf, normalQuantile, normalTwoSidedP, normalUpperTail } from './distributions';
export type { DesignMatrix, SurvivalOutcome } from './input';
