/**
 * Settings files: the exact message and line:column of every kind of problem (schema and
 * cross-field), the bad settings named in the issue, defaults, presets as a starting point,
 * reference-mask paths, and loadSettingsFile's one-line error.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RgsError } from '../../src/engine/util/errors';
import { analyseSettingsText, loadSettingsFile, parseSettingsYaml, settingsFromNode, type SettingsProblem } from '../../src/engine/settings/load';
import { nodeAt, parseYamlText, rangeOf } from '../../src/engine/schema/validate-yaml';
import { PRESETS } from '../../src/engine/settings/presets';
import type { ExtractionSettings } from '../../src/engine/settings/types';

const FILE = 'study/settings.yaml';

function problems(text: string): string[] {
  return parseSettingsYaml(text, FILE).problems.map((p) => `${p.line}:${p.column} ${p.severity === 'warning' ? 'warning: ' : ''}${p.message}`);
}

function settingsOf(text: string, file = FILE): ExtractionSettings {
  const r = parseSettingsYaml(text, file);
  expect(r.problems.filter((p) => p.severity === 'error')).toEqual([]);
  expect(r.settings).not.toBeNull();
  return r.settings as ExtractionSettings;
}

describe('the bad settings named in the issue are rejected with a message naming the setting', () => {
  it('negative spacing', () => {
    const text = ['preprocessing:', '  resampling:', '    spacing: [-2, 2, 2]', '    interpolation: linear', ''].join('\n');
    // "    spacing: [" is 14 characters: -2 starts in column 15.
    expect(problems(text)).toEqual(['3:15 preprocessing.resampling.spacing[0]: expected a number > 0, got -2']);
    expect(parseSettingsYaml(text, FILE).settings).toBeNull();
  });

  it('zero bins', () => {
    const text = ['features:', '  discretisation:', '    method: fbn', '    bin_count: 0', ''].join('\n');
    expect(problems(text)).toEqual(['4:16 features.discretisation.bin_count: expected an integer >= 1, got 0']);
  });

  it('an inverted re-segmentation range (a cross-field check, underlining the range)', () => {
    const text = ['preprocessing:', '  resegmentation:', '    range: [400, -500]', ''].join('\n');
    expect(problems(text)).toEqual(['3:12 preprocessing.resegmentation.range: lower bound 400 is not below upper bound -500']);
    const equal = ['preprocessing:', '  resegmentation:', '    range: [400, 400]', ''].join('\n');
    expect(problems(equal)).toEqual(['3:12 preprocessing.resegmentation.range: lower bound 400 is not below upper bound 400']);
  });

  it('normalisation without its reference mask: at the `reference` key', () => {
    const text = ['preprocessing:', '  normalisation:', '    method: zscore', '    reference: { label: 2 }', ''].join('\n');
    expect(problems(text)).toEqual(['4:5 missing required key `mask` in preprocessing.normalisation.reference']);
  });

  it('a preset that does not exist', () => {
    expect(problems('preset: ibsi-F\n')).toEqual([
      '1:9 preset: expected one of `ibsi-A`, `ibsi-B`, `ibsi-C`, `ibsi-D`, `ibsi-E`, `default`, got "ibsi-F"',
    ]);
    expect(problems('preset: IBSI-C\n')).toEqual([
      '1:9 preset: expected one of `ibsi-A`, `ibsi-B`, `ibsi-C`, `ibsi-D`, `ibsi-E`, `default`, got "IBSI-C"; did you mean `ibsi-C`?',
    ]);
  });
});

describe('every kind of problem, with its exact message and position', () => {
  it('unknown keys, with a suggestion and a fix for the language server', () => {
    const text = ['preprocessing:', '  resampling:', '    spacng: [2, 2, 2]', '    interpolation: linear', ''].join('\n');
    expect(problems(text)).toEqual(['3:5 unknown key `spacng` in preprocessing.resampling; did you mean `spacing`?']);
    const schemaProblem = analyseSettingsText(text).problems[0];
    expect(schemaProblem.fix).toEqual({ kind: 'replace-key', replacement: 'spacing' });
    expect(schemaProblem.path).toBe('preprocessing.resampling');
    expect(problems('preprocessing:\n  sliceWise: true\n')).toEqual([
      '2:3 unknown key `sliceWise` in preprocessing; did you mean `slice_wise`?',
    ]);
    expect(problems('features:\n  bin_count: 32\n')).toEqual([
      '2:3 unknown key `bin_count` in features; it belongs in features.discretisation',
    ]);
    expect(problems('prepocessing: {}\n')).toEqual(['1:1 unknown key `prepocessing` at the top level; did you mean `preprocessing`?']);
  });

  it('values outside the allowed set list the allowed values', () => {
    const text = ['preprocessing:', '  resampling:', '    spacing: [2, 2, 2]', '    interpolation: cubic-convolution', ''].join('\n');
    expect(problems(text)).toEqual([
      '4:20 preprocessing.resampling.interpolation: expected one of `nearest`, `linear`, `bspline`, got "cubic-convolution"',
    ]);
    expect(problems(text.replace('cubic-convolution', 'trilinear'))).toEqual([
      '4:20 preprocessing.resampling.interpolation: expected one of `nearest`, `linear`, `bspline`, got "trilinear"; did you mean `linear`?',
    ]);
    expect(problems('features:\n  families: [morph, glcm]\n')).toEqual([
      '2:21 features.families[1]: expected one of `morph`, `loc`, `stat`, `ih`, `ivh`, `cm`, `rlm`, `szm`, `dzm`, `ngt`, `ngl`, got "glcm"; did you mean `cm`?',
    ]);
    // IBSI's names for interpolation and the matrices are recognised as likely meanings.
    expect(problems('preprocessing:\n  resampling: {spacing: [2, 2, 2], interpolation: tricubic}\n')).toEqual([
      '2:51 preprocessing.resampling.interpolation: expected one of `nearest`, `linear`, `bspline`, got "tricubic"; did you mean `bspline`?',
    ]);
    expect(problems('features:\n  families: [GLRLM]\n')).toEqual([
      '2:14 features.families[0]: expected one of `morph`, `loc`, `stat`, `ih`, `ivh`, `cm`, `rlm`, `szm`, `dzm`, `ngt`, `ngl`, got "GLRLM"; did you mean `rlm`?',
    ]);
    expect(problems('features:\n  aggregations: ["3D merged"]\n')).toEqual([
      '2:18 features.aggregations[0]: expected one of `2D, averaged`, `2D, slice-merged`, `2.5D, direction-merged`, `2.5D, merged`, `3D, averaged`, `3D, merged`, `2D`, `2.5D`, `3D`, got "3D merged"; did you mean `3D, merged`?',
    ]);
  });

  it('unknown methods list the methods', () => {
    expect(problems('preprocessing:\n  normalisation:\n    method: z-score\n')).toEqual([
      '3:13 preprocessing.normalisation.method: unknown method `z-score`; methods: none, zscore, percentile, range; did you mean `zscore`?',
    ]);
    expect(problems('features:\n  ivh_discretisation: {method: fixed}\n')).toEqual([
      '2:32 features.ivh_discretisation.method: unknown method `fixed`; methods: none, fbs, fbn',
    ]);
    expect(problems('features:\n  discretisation: {bin_count: 32}\n')).toEqual([
      '2:3 missing required key `method` in features.discretisation (one of `none`, `fbs`, `fbn`)',
    ]);
    // A key of another method's branch.
    expect(problems('features:\n  discretisation: {method: fbs, bin_count: 32}\n')).toEqual([
      '2:3 missing required key `bin_width` in features.discretisation',
      '2:33 unknown key `bin_count` in features.discretisation; keys: method, bin_width',
    ]);
  });

  it('wrong types and bounds', () => {
    expect(problems('preprocessing:\n  slice_wise: yes\n')).toEqual([
      '2:15 preprocessing.slice_wise: expected true or false, got "yes" (YAML 1.2 reads `yes` as text; write true or false)',
    ]);
    expect(problems('preprocessing:\n  resampling: {spacing: [1, 1], interpolation: linear}\n')).toEqual([
      '2:25 preprocessing.resampling.spacing: expected exactly 3 items, got 2',
    ]);
    expect(problems('preprocessing:\n  resampling: {spacing: [1, 1, 1], interpolation: linear, mask_threshold: 1.5}\n')).toEqual([
      '2:75 preprocessing.resampling.mask_threshold: expected a number > 0 and <= 1, got 1.5',
    ]);
    expect(problems('preprocessing:\n  normalisation: {method: percentile, lower: -1, upper: 99}\n')).toEqual([
      '2:46 preprocessing.normalisation.lower: expected a number from 0 to 100, got -1',
    ]);
    expect(problems('preprocessing:\n  resegmentation: {outlier_sigma: 0}\n')).toEqual([
      '2:35 preprocessing.resegmentation.outlier_sigma: expected a number > 0, got 0',
    ]);
    expect(problems('features:\n  glcm: {distance: 1.5}\n')).toEqual(['2:20 features.glcm.distance: expected an integer >= 1, got 1.5']);
    expect(problems('features:\n  ngldm: {alpha: -1}\n')).toEqual(['2:18 features.ngldm.alpha: expected an integer >= 0, got -1']);
    expect(problems('features:\n  discretisation: {method: fbs, bin_width: 0}\n')).toEqual([
      '2:44 features.discretisation.bin_width: expected a number > 0, got 0',
    ]);
    expect(problems('features:\n  ibsi_codes: [gyby]\n')).toEqual([
      '2:16 features.ibsi_codes[0]: expected a four-character IBSI identifier in capitals, e.g. `GYBY`, got "gyby"',
    ]);
    expect(problems('features:\n  families: [cm, rlm, cm]\n')).toEqual(['2:23 features.families[2]: `cm` is listed more than once']);
    expect(problems('features:\n  discretisation:\n')).toEqual([
      '2:3 features.discretisation: expected a mapping with `method` (`none`, `fbs`, `fbn`), got nothing',
    ]);
    expect(problems('- preprocessing\n')).toEqual(['1:1 top level: expected a mapping, got a list']);
  });

  it('cross-field checks: percentile and range normalisation, slice-wise resampling', () => {
    expect(problems('preprocessing:\n  normalisation: {method: percentile, lower: 99, upper: 1}\n')).toEqual([
      '2:46 preprocessing.normalisation: lower percentile 99 is not below upper percentile 1',
    ]);
    expect(problems('preprocessing:\n  normalisation: {method: range, min: 500, max: -500}\n')).toEqual([
      '2:39 preprocessing.normalisation: min 500 is not below max -500',
    ]);
    const text = ['preprocessing:', '  slice_wise: true', '  resampling: {spacing: [2, 2, 2], interpolation: linear}', ''].join('\n');
    expect(problems(text)).toEqual([
      '3:32 preprocessing.resampling.spacing[2]: slice_wise resamples within slices only; set the slice spacing to null, got 2',
    ]);
    const rounded = [
      'preprocessing:',
      '  resampling: {spacing: [1, 1, 1], interpolation: linear, round_intensities: true}',
      '  normalisation: {method: zscore}',
      '',
    ].join('\n');
    expect(problems(rounded)).toEqual([
      '2:78 preprocessing.resampling.round_intensities: rounding to integers after interpolation would destroy normalised intensities; set it to false when preprocessing.normalisation is used',
    ]);
    // A 2D aggregation without slice_wise is allowed: IBSI computes 2D aggregations from 3D volumes too.
    expect(problems('features:\n  aggregations: ["2D, averaged", "2D"]\n')).toEqual([]);
  });

  it('IBSI identifiers are checked against the feature catalogue', () => {
    expect(problems('features:\n  ibsi_codes: [RNU0, GYBZ]\n')).toEqual([
      '2:22 features.ibsi_codes[1]: unknown IBSI identifier `GYBZ`; did you mean `GYBY`?',
    ]);
    expect(problems('features:\n  families: [morph]\n  ibsi_codes: [RNU0, GYBY]\n')).toEqual([
      '3:22 warning: features.ibsi_codes[1]: `GYBY` (Joint maximum) is a cm feature, but cm is not in features.families, so it is not computed',
    ]);
  });

  it('warnings keep the settings', () => {
    const text = 'features:\n  discretisation: {method: fbs, bin_width: 25}\n';
    const r = parseSettingsYaml(text, FILE);
    expect(r.problems.map((p) => `${p.line}:${p.column} ${p.severity} ${p.message}`)).toEqual([
      "2:19 warning features.discretisation: fixed bin size without a lower re-segmentation bound: the bins start at each ROI's minimum intensity, so bin numbers are not comparable between images (IBSI Q3RU); set preprocessing.resegmentation.range",
    ]);
    expect(r.settings?.features.discretisation).toEqual({ method: 'fbs', binWidth: 25 });
    expect(problems('preprocessing:\n  resampling: {spacing: [1, 1, 1], interpolation: linear, mask_interpolation: bspline}\n')).toEqual([
      '2:79 warning: preprocessing.resampling.mask_interpolation: IBSI recommends nearest or linear interpolation for the ROI mask (E8H9); a spline can overshoot and shift the ROI border',
    ]);
    expect(problems('preprocessing:\n  resampling: {spacing: [null, null, null], interpolation: linear}\n')).toEqual([
      '2:25 warning: preprocessing.resampling.spacing: every axis is null, so nothing is resampled; use `resampling: null`',
    ]);
  });

  it('custom tags are refused: the file is data', () => {
    expect(problems('features:\n  glcm: {distance: !!python/object:os.system 1}\n')).toEqual([
      '2:46 features.glcm.distance: the tag `!!python/object:os.system` is not allowed; settings are plain YAML data without tags',
    ]);
    expect(problems('preprocessing:\n  slice_wise: !bool true\n')).toEqual([
      '2:21 preprocessing.slice_wise: the tag `!bool` is not allowed; settings are plain YAML data without tags',
    ]);
  });

  it('end positions are reported too', () => {
    const [p] = parseSettingsYaml('features:\n  glcm: {distance: 0}\n', FILE).problems as [SettingsProblem];
    expect(p).toEqual({
      file: FILE,
      line: 2,
      column: 20,
      endLine: 2,
      endColumn: 21,
      severity: 'error',
      message: 'features.glcm.distance: expected an integer >= 1, got 0',
      path: 'features.glcm.distance',
    });
  });
});

describe('broken YAML still yields every problem with its range', () => {
  it('an unclosed flow list, and a schema problem further down', () => {
    const text = [
      'preprocessing:',
      '  slice_wise: true',
      '  resampling:',
      '    spacing: [2, 2, null',
      '    interpolation: linear',
      'features:',
      '  discretisation:',
      '    method: fbn',
      '    bin_count: 0',
      '',
    ].join('\n');
    expect(problems(text)).toEqual([
      '5:5 YAML syntax: flow sequence in block collection must be sufficiently indented and end with a ]',
      '9:16 features.discretisation.bin_count: expected an integer >= 1, got 0',
    ]);
    expect(parseSettingsYaml(text, FILE).settings).toBeNull();
  });

  it('duplicate keys, bad indentation and an unterminated string', () => {
    expect(problems('features: {}\nfeatures: {}\n')).toEqual(['2:1 duplicate key `features`']);
    expect(problems('preprocessing:\n    slice_wise: true\n  resampling: null\n')).toEqual([
      '3:1 YAML syntax: all mapping items must start at the same column',
      '3:3 unknown key `resampling` at the top level; it belongs in preprocessing',
    ]);
    const unterminated = problems('features:\n  glcm:\n    distance: "1\n');
    expect(unterminated).toContain('4:1 YAML syntax: missing closing "quote');
  });
});

describe('defaults fill what the file leaves out', () => {
  it('an empty file (or only comments) is the default preset', () => {
    expect(settingsOf('')).toEqual(PRESETS.default);
    expect(settingsOf('# nothing here\n')).toEqual(PRESETS.default);
    expect(settingsOf('preprocessing: {}\nfeatures: {}\n')).toEqual(PRESETS.default);
  });

  it('resampling: only spacing and interpolation are required', () => {
    const s = settingsOf('preprocessing:\n  resampling: {spacing: [1, 1, null], interpolation: bspline}\n');
    expect(s.preprocessing.resampling).toEqual({
      spacing: [1, 1, null],
      interpolation: 'bspline',
      roundIntensities: false,
      maskInterpolation: 'linear',
      maskThreshold: 0.5,
    });
  });

  it('normalisation reference defaults to the ROI', () => {
    expect(settingsOf('preprocessing:\n  normalisation: {method: zscore}\n').preprocessing.normalisation).toEqual({
      method: 'zscore',
      reference: 'roi',
    });
  });

  it('aggregations follow slice_wise when not given', () => {
    const slice = settingsOf('preprocessing:\n  slice_wise: true\n').features;
    expect(slice.directionalAggregations).toEqual(['2D, averaged', '2D, slice-merged', '2.5D, direction-merged', '2.5D, merged']);
    expect(slice.zoneAggregations).toEqual(['2D', '2.5D']);
    const volume = settingsOf('preprocessing:\n  slice_wise: false\n').features;
    expect(volume.directionalAggregations).toEqual(['3D, averaged', '3D, merged']);
    expect(volume.zoneAggregations).toEqual(['3D']);
  });

  it('one list of aggregations is split into the GLCM/GLRLM and zone ones', () => {
    const f = settingsOf('features:\n  aggregations: ["2.5D, merged", "3D", "3D, averaged"]\n').features;
    expect(f.directionalAggregations).toEqual(['2.5D, merged', '3D, averaged']);
    expect(f.zoneAggregations).toEqual(['3D']);
  });

  it('texture settings merge key by key', () => {
    const f = settingsOf('features:\n  glcm: {distance: 2}\n  ngldm: {alpha: 1}\n').features;
    expect(f.glcm).toEqual({ distance: 2, symmetric: true });
    expect(f.ngldm).toEqual({ distance: 1, alpha: 1 });
    expect(f.ngtdm).toEqual({ distance: 1 });
  });

  it('aliases are resolved', () => {
    const f = settingsOf('features:\n  glcm: {distance: &d 2}\n  ngtdm: {distance: *d}\n').features;
    expect(f.ngtdm.distance).toBe(2);
  });
});

describe('a preset as the starting point', () => {
  it('keeps everything the file does not override', () => {
    const s = settingsOf('preset: ibsi-C\nfeatures:\n  discretisation: {method: fbn, bin_count: 16}\n');
    expect(s).toEqual({ ...PRESETS['ibsi-C'], features: { ...PRESETS['ibsi-C'].features, discretisation: { method: 'fbn', binCount: 16 } } });
  });

  it('resegmentation merges key by key; aggregations stay the preset\'s', () => {
    const s = settingsOf('preset: ibsi-A\npreprocessing:\n  resegmentation: {outlier_sigma: 3}\n');
    expect(s.preprocessing.resegmentation).toEqual({ range: { lower: -500, upper: 400 }, outlierSigma: 3 });
    expect(s.features.zoneAggregations).toEqual(['2D', '2.5D']);
    const off = settingsOf('preset: ibsi-E\npreprocessing:\n  resegmentation: {range: null}\n');
    expect(off.preprocessing.resegmentation).toEqual({ range: null, outlierSigma: 3 });
  });

  it('cross-field checks see the merged settings and point at the preset when the file has nothing closer', () => {
    // ibsi-A is slice-wise: 3D resampling contradicts it.
    expect(problems('preset: ibsi-A\npreprocessing:\n  resampling: {spacing: [1, 1, 1], interpolation: linear}\n')).toEqual([
      '3:32 preprocessing.resampling.spacing[2]: slice_wise resamples within slices only; set the slice spacing to null, got 1',
    ]);
    // Removing ibsi-C's range leaves its FBS discretisations without a lower bound: both warned, at `preset`'s value.
    expect(problems('preset: ibsi-C\npreprocessing:\n  resegmentation: {range: null}\n')).toEqual([
      "1:9 warning: features.discretisation: fixed bin size without a lower re-segmentation bound: the bins start at each ROI's minimum intensity, so bin numbers are not comparable between images (IBSI Q3RU); set preprocessing.resegmentation.range",
      "1:9 warning: features.ivh_discretisation: fixed bin size without a lower re-segmentation bound: the bins start at each ROI's minimum intensity, so bin numbers are not comparable between images (IBSI Q3RU); set preprocessing.resegmentation.range",
    ]);
  });
});

describe('settings as a section of a larger file (the study file)', () => {
  function section(text: string) {
    const parsed = parseYamlText(text);
    const root = parsed.doc.contents;
    const node = nodeAt(root, ['settings']) ?? null;
    const key = (root as { items: { key: unknown }[] }).items.find((p) => (p.key as { value?: unknown }).value === 'settings')?.key;
    const r = settingsFromNode(node, { doc: parsed.doc, prefix: ['settings'], file: '/study/study.yaml', anchor: rangeOf(key) ?? undefined });
    return {
      settings: r.settings,
      problems: r.problems.map((p) => {
        const { line, col } = parsed.lineCounter.linePos(p.range[0]);
        return `${line}:${col} ${p.message}`;
      }),
    };
  }

  it('messages carry the section path; positions are in the whole file', () => {
    const text = ['study: glioma', 'settings:', '  preset: ibsi-B', '  features:', '    discretisation: {method: fbn, bin_count: 0}', ''].join('\n');
    expect(section(text).problems).toEqual(['5:46 settings.features.discretisation.bin_count: expected an integer >= 1, got 0']);
    const inverted = ['study: glioma', 'settings:', '  preprocessing:', '    resegmentation: {range: [10, 0]}', ''].join('\n');
    expect(section(inverted).problems).toEqual(['4:29 settings.preprocessing.resegmentation.range: lower bound 10 is not below upper bound 0']);
    const missing = ['study: glioma', 'settings:', '  preprocessing:', '    normalisation: {method: zscore, reference: {label: 1}}', ''].join('\n');
    expect(section(missing).problems).toEqual(['4:37 missing required key `mask` in settings.preprocessing.normalisation.reference']);
  });

  it('valid sections give the settings, with mask paths relative to that file', () => {
    const text = [
      'settings:',
      '  preset: ibsi-D',
      '  preprocessing:',
      '    resampling: {spacing: [1, 1, 1], interpolation: linear}',
      '    normalisation: {method: zscore, reference: {mask: masks/brain.nii.gz}}',
      '',
    ].join('\n');
    const r = section(text);
    expect(r.problems).toEqual([]);
    const d = PRESETS['ibsi-D'];
    expect(r.settings).toEqual({
      ...d,
      preprocessing: {
        ...d.preprocessing,
        resampling: { spacing: [1, 1, 1], interpolation: 'linear', roundIntensities: false, maskInterpolation: 'linear', maskThreshold: 0.5 },
        normalisation: { method: 'zscore', reference: { mask: '/study/masks/brain.nii.gz' } },
      },
    });
    // Keeping ibsi-D's rounding would contradict the normalisation.
    expect(section(text.replace('    resampling: {spacing: [1, 1, 1], interpolation: linear}\n', '')).problems).toEqual([
      '2:11 settings.preprocessing.resampling.round_intensities: rounding to integers after interpolation would destroy normalised intensities; set it to false when preprocessing.normalisation is used',
    ]);
  });
});

describe('files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rgs-settings-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a relative reference mask is resolved against the settings file', () => {
    mkdirSync(join(dir, 'sub'), { recursive: true });
    const file = join(dir, 'sub', 'settings.yaml');
    writeFileSync(file, 'preprocessing:\n  normalisation:\n    method: zscore\n    reference: {mask: ../brain.nii.gz, label: 2}\n');
    expect(loadSettingsFile(file).preprocessing.normalisation).toEqual({
      method: 'zscore',
      reference: { mask: join(dir, 'brain.nii.gz'), label: 2 },
    });
    writeFileSync(file, 'preprocessing:\n  normalisation:\n    method: percentile\n    lower: 1\n    upper: 99\n    reference: {mask: /data/wm.nii.gz}\n');
    expect(loadSettingsFile(file).preprocessing.normalisation).toEqual({
      method: 'percentile',
      lower: 1,
      upper: 99,
      reference: { mask: '/data/wm.nii.gz' },
    });
  });

  it('the first error as file:line:col message, and how many more', () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'preprocessing:\n  resampling:\n    spacing: [-2, 2, 0]\n    interpolation: linear\n');
    let error: unknown;
    try {
      loadSettingsFile(file);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RgsError);
    expect((error as RgsError).message).toBe(`${file}:3:15 preprocessing.resampling.spacing[0]: expected a number > 0, got -2 (and 1 more error)`);
    expect((error as RgsError).field).toBe('preprocessing.resampling.spacing[0]');
    expect((error as RgsError).file).toBe(file);

    writeFileSync(file, 'features:\n  discretisation: {method: fbn, bin_count: 0}\n');
    expect(() => loadSettingsFile(file)).toThrow(`${file}:2:44 features.discretisation.bin_count: expected an integer >= 1, got 0`);
  });

  it('warnings go to onWarning and do not stop loading', () => {
    const file = join(dir, 'warn.yaml');
    writeFileSync(file, 'features:\n  discretisation: {method: fbs, bin_width: 10}\n');
    const warnings: string[] = [];
    const s = loadSettingsFile(file, { onWarning: (p) => warnings.push(`${p.line}:${p.column} ${p.path}`) });
    expect(s.features.discretisation).toEqual({ method: 'fbs', binWidth: 10 });
    expect(warnings).toEqual(['2:19 features.discretisation']);
  });

  it('a missing file is an RgsError naming it', () => {
    const file = join(dir, 'nope.yaml');
    expect(() => loadSettingsFile(file)).toThrow(RgsError);
    expect(() => loadSettingsFile(file)).toThrow(`cannot read settings file ${file}: no such file`);
  });
});
