/** The engine version, recorded in every output (it keys the feature cache too). */
export const ENGINE_VERSION = '0.1.0';
