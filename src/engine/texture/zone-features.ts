/**
 * The features the GLSZM (IBSI 3.6), GLDZM (3.7) and NGLDM (3.9) share, computed from a
 * ZoneMatrix s_ij with grey level VALUES x_i in the rows and column values j (zone size, zone
 * distance or dependence count), N_s = sum s_ij, p_ij = s_ij / N_s:
 *
 *   small / large emphasis     sum s_ij / j^2 / N_s,              sum s_ij j^2 / N_s
 *   low / high grey emphasis   sum s_ij / x_i^2 / N_s,            sum s_ij x_i^2 / N_s
 *   the four joint emphases    sum s_ij x_i^{-+2} j^{-+2} / N_s
 *   grey level non-uniformity  sum_i s_i.^2 / N_s (normalised: / N_s^2)
 *   column non-uniformity      sum_j s_.j^2 / N_s (normalised: / N_s^2)
 *   percentage                 N_s / N_v
 *   grey level variance        sum (x_i - mu)^2 p_ij,   mu = sum x_i p_ij
 *   column variance            sum (j - mu)^2 p_ij,     mu = sum j p_ij
 *   column entropy             -sum p_ij log2 p_ij
 *   column energy              sum p_ij^2 (NGLDM only)
 *
 * Each family names them (e.g. "Zone size entropy", "Dependence count entropy").
 */
import type { ZoneMatrix } from './zone-matrix';

export interface ZoneStatistics {
  smallEmphasis: number;
  largeEmphasis: number;
  lowGreyLevelEmphasis: number;
  highGreyLevelEmphasis: number;
  smallLowGreyLevelEmphasis: number;
  smallHighGreyLevelEmphasis: number;
  largeLowGreyLevelEmphasis: number;
  largeHighGreyLevelEmphasis: number;
  greyLevelNonUniformity: number;
  normalisedGreyLevelNonUniformity: number;
  columnNonUniformity: number;
  normalisedColumnNonUniformity: number;
  percentage: number;
  greyLevelVariance: number;
  columnVariance: number;
  columnEntropy: number;
  columnEnergy: number;
}

export type ZoneStatistic = keyof ZoneStatistics;

/**
 * All statistics of `m`. Undefined ones are NaN: every one for an empty matrix, and the
 * low-grey-level emphases when a grey level value is 0 (division by zero).
 */
export function zoneStatistics(m: ZoneMatrix): ZoneStatistics {
  const { levelValues, level, column, count, total } = m;
  const size = count.length;
  if (total <= 0) {
    return {
      smallEmphasis: NaN,
      largeEmphasis: NaN,
      lowGreyLevelEmphasis: NaN,
      highGreyLevelEmphasis: NaN,
      smallLowGreyLevelEmphasis: NaN,
      smallHighGreyLevelEmphasis: NaN,
      largeLowGreyLevelEmphasis: NaN,
      largeHighGreyLevelEmphasis: NaN,
      greyLevelNonUniformity: NaN,
      normalisedGreyLevelNonUniformity: NaN,
      columnNonUniformity: NaN,
      normalisedColumnNonUniformity: NaN,
      percentage: NaN,
      greyLevelVariance: NaN,
      columnVariance: NaN,
      columnEntropy: NaN,
      columnEnergy: NaN,
    };
  }

  let small = 0, large = 0, low = 0, high = 0, smallLow = 0, smallHigh = 0, largeLow = 0, largeHigh = 0;
  let meanX = 0, meanJ = 0, entropy = 0, energy = 0, columnSquares = 0;
  const rowSums = new Float64Array(levelValues.length);
  let columnSum = 0;
  for (let e = 0; e < size; e++) {
    const s = count[e];
    const x2 = levelValues[level[e]] ** 2;
    const j = column[e];
    const j2 = j * j;
    small += s / j2;
    large += s * j2;
    low += s / x2;
    high += s * x2;
    smallLow += s / (x2 * j2);
    smallHigh += (s * x2) / j2;
    largeLow += (s * j2) / x2;
    largeHigh += s * x2 * j2;
    rowSums[level[e]] += s;
    // Entries are sorted by column: a column's entries are contiguous.
    columnSum += s;
    if (e + 1 === size || column[e + 1] !== j) {
      columnSquares += columnSum * columnSum;
      columnSum = 0;
    }
    const p = s / total;
    meanX += levelValues[level[e]] * p;
    meanJ += j * p;
    entropy -= p * Math.log2(p);
    energy += p * p;
  }
  let rowSquares = 0;
  for (let l = 0; l < rowSums.length; l++) rowSquares += rowSums[l] * rowSums[l];
  let varX = 0, varJ = 0;
  for (let e = 0; e < size; e++) {
    const p = count[e] / total;
    varX += (levelValues[level[e]] - meanX) ** 2 * p;
    varJ += (column[e] - meanJ) ** 2 * p;
  }
  const finite = (x: number) => (Number.isFinite(x) ? x : NaN);
  return {
    smallEmphasis: small / total,
    largeEmphasis: large / total,
    lowGreyLevelEmphasis: finite(low / total),
    highGreyLevelEmphasis: high / total,
    smallLowGreyLevelEmphasis: finite(smallLow / total),
    smallHighGreyLevelEmphasis: smallHigh / total,
    largeLowGreyLevelEmphasis: finite(largeLow / total),
    largeHighGreyLevelEmphasis: largeHigh / total,
    greyLevelNonUniformity: rowSquares / total,
    normalisedGreyLevelNonUniformity: rowSquares / (total * total),
    columnNonUniformity: columnSquares / total,
    normalisedColumnNonUniformity: columnSquares / (total * total),
    percentage: m.voxelCount > 0 ? total / m.voxelCount : NaN,
    greyLevelVariance: varX,
    columnVariance: varJ,
    columnEntropy: entropy,
    columnEnergy: energy,
  };
}
