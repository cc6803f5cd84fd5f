/**
 * Values built once per preprocessed ROI and key, shared by the families that read them (the
 * padded level grid of GLCM and GLRLM, the neighbourhood grid of GLSZM/GLDZM/NGTDM/NGLDM). A
 * FeatureInput must not be modified after a family has read it (a modified copy is a new object
 * and gets its own values); entries go when the input is no longer referenced.
 */
import type { FeatureInput } from '../features/types';

export function perInputCache<T>(build: (input: FeatureInput, key: number) => T): (input: FeatureInput, key: number) => T {
  const cache = new WeakMap<FeatureInput, Map<number, T>>();
  return (input, key) => {
    let byKey = cache.get(input);
    if (byKey === undefined) {
      byKey = new Map();
      cache.set(input, byKey);
    }
    let value = byKey.get(key);
    if (value === undefined) {
      value = build(input, key);
      byKey.set(key, value);
    }
    return value;
  };
}
