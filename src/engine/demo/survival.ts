/**
 * Overall survival of the demo cohort: a Weibull proportional-hazards model with independent
 * censoring (docs/demo-cohort.md, "Survival").
 *
 *   S(t | x) = exp(-(t / b)^k * exp(eta)),  eta = sum of log hazard ratios,
 *   median(x) = b * (ln 2 * exp(-eta))^(1/k).
 *
 * The reference patient (60 years, IDH wildtype, MGMT unmethylated, average necrosis) has a
 * median of 12.5 months, as in the radiotherapy-plus-temozolomide arm of the EORTC/NCIC trial
 * for unmethylated tumours (Hegi et al. 2005, NEJM 352:997: 12.7 months). Hazard ratios: age
 * 1.35 per decade; IDH mutant 0.45 (Yan et al. 2009, NEJM 360:765: median 31 vs 15 months);
 * MGMT methylated 0.55 (Hegi 2005: 21.7 vs 12.7 months); the necrosis latent 1.22 per sd
 * (necrosis is an adverse imaging sign: Hammoud et al. 1996, J Neurooncol 27:65), which gives
 * the images prognostic value beyond the genotype. Shape k = 1.5: the hazard of death rises
 * over the first years, as in glioblastoma trial curves.
 *
 * Censoring: administrative (staggered accrual: follow-up uniform on 18..72 months: four years of accrual analysed 18 months after the last patient) and loss to
 * follow-up (exponential, mean 150 months), which censors about a quarter of the patients.
 */
import type { Rng } from './rng';

export const SURVIVAL_MODEL = {
  shape: 1.5,
  referenceMedianMonths: 12.5,
  logHazardRatio: {
    agePerDecade: Math.log(1.35),
    idhMutant: Math.log(0.45),
    mgmtMethylated: Math.log(0.55),
    necrosisLatentPerSd: Math.log(1.22),
  },
  referenceAge: 60,
  followUpMonths: { min: 18, max: 72 },
  lossToFollowUpMeanMonths: 150,
} as const;

/** Weibull scale b such that the reference patient's median is `referenceMedianMonths`. */
const WEIBULL_SCALE = SURVIVAL_MODEL.referenceMedianMonths / Math.pow(Math.LN2, 1 / SURVIVAL_MODEL.shape);

export interface SurvivalCovariates {
  age: number;
  idhMutant: boolean;
  mgmtMethylated: boolean;
  /** Standardised necrosis latent of the tumour phenotype. */
  necrosisLatent: number;
}

/** Linear predictor eta (log relative hazard against the reference patient). */
export function survivalLinearPredictor(c: SurvivalCovariates): number {
  const b = SURVIVAL_MODEL.logHazardRatio;
  return (
    (b.agePerDecade * (c.age - SURVIVAL_MODEL.referenceAge)) / 10 +
    (c.idhMutant ? b.idhMutant : 0) +
    (c.mgmtMethylated ? b.mgmtMethylated : 0) +
    b.necrosisLatentPerSd * c.necrosisLatent
  );
}

/** Median survival (months) of a patient with linear predictor eta, before censoring. */
export function medianSurvivalMonths(eta: number): number {
  return WEIBULL_SCALE * Math.pow(Math.LN2 * Math.exp(-eta), 1 / SURVIVAL_MODEL.shape);
}

export interface SurvivalOutcome {
  /** Observed time: death or censoring, months, one decimal. */
  months: number;
  /** 1 death observed, 0 censored. */
  event: 0 | 1;
}

/** Draw the event time by inversion, then censoring; three uniform draws, always. */
export function sampleSurvival(rng: Rng, eta: number): SurvivalOutcome {
  const k = SURVIVAL_MODEL.shape;
  const death = WEIBULL_SCALE * Math.pow(-Math.log(rng.uniformOpen()) * Math.exp(-eta), 1 / k);
  const f = SURVIVAL_MODEL.followUpMonths;
  const admin = rng.between(f.min, f.max);
  const loss = -Math.log(rng.uniformOpen()) * SURVIVAL_MODEL.lossToFollowUpMeanMonths;
  const censor = Math.min(admin, loss);
  const event = death <= censor ? 1 : 0;
  const t = event ? death : censor;
  return { months: Math.max(0.1, Math.round(t * 10) / 10), event };
}
