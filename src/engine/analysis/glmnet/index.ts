/** Elastic-net (glmnet-compatible) paths, prediction and cross-validation. */
export { fitGlmnet, type GlmnetFamily, type GlmnetFit, type GlmnetOptions, type GlmnetResponse } from './fit';
export { coefficientsAt, linearPredictor, predictGlmnet, type Coefficients, type GlmnetPredictType, type PathPoint } from './predict';
export { cvGlmnet, type CvGlmnetOptions, type CvGlmnetResult, type CvTypeMeasure } from './cv';
