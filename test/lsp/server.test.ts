/**
 * The study-file language server as a client sees it: the built server (dist/language-server.js)
 * in its own process, spoken to over stdio with vscode-jsonrpc, on a real study on disk (study
 * file, manifest, clinical table and NIfTI images, test/lsp/study-fixture.ts) and on broken
 * variants of it. Every diagnostic is asserted with its exact range and message.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CodeAction, CompletionItem, Diagnostic, DocumentSymbol, Hover, MarkupContent, Range, TextEdit } from 'vscode-languageserver-protocol';
import { applyEdits, buildServer, LspClient, positionOf, uriOf } from './lsp-client';
import { writeStudyFixture, type StudyFixture } from './study-fixture';

// Written at collection time: the describe blocks name documents in its folder.
const fx: StudyFixture = writeStudyFixture();
let client: LspClient;

beforeAll(async () => {
  buildServer();
  client = await LspClient.start();
});

afterAll(async () => {
  await client?.stop();
});

/** A document URI in the fixture's folder (the file itself need not exist: relative paths start there). */
function docUri(name: string): string {
  return uriOf(join(fx.dir, name));
}

/** [startLine, startChar, endLine, endChar, severity, code, message] of each diagnostic. */
function summary(ds: Diagnostic[]): [number, number, number, number, number | undefined, string | number | undefined, string][] {
  return ds.map((d) => [d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character, d.severity, d.code, typeof d.message === 'string' ? d.message : d.message.value]);
}

function range(sl: number, sc: number, el: number, ec: number): Range {
  return { start: { line: sl, character: sc }, end: { line: el, character: ec } };
}

function hoverText(h: Hover | null): string {
  expect(h).not.toBeNull();
  return (h?.contents as MarkupContent).value;
}

function labels(items: CompletionItem[]): string[] {
  return items.map((i) => i.label);
}

function editOf(item: CompletionItem | undefined): TextEdit {
  expect(item?.textEdit).toBeDefined();
  return item?.textEdit as TextEdit;
}

const ERROR = 1;
const WARNING = 2;

describe('initialize', () => {
  it('announces every feature', () => {
    const caps = client.initialize?.capabilities;
    expect(caps?.textDocumentSync).toEqual({ openClose: true, change: 2, save: { includeText: false } });
    expect(caps?.completionProvider?.triggerCharacters).toContain(':');
    expect(caps?.hoverProvider).toBe(true);
    expect(caps?.definitionProvider).toBe(true);
    expect(caps?.referencesProvider).toBe(true);
    expect(caps?.documentSymbolProvider).toBe(true);
    expect(caps?.foldingRangeProvider).toBe(true);
    expect(caps?.documentFormattingProvider).toBe(true);
    expect(caps?.codeActionProvider).toEqual({ codeActionKinds: ['quickfix'] });
    expect(client.initialize?.serverInfo?.name).toBe('rgs-study-language-server');
  });

  it('reads the files a study names in a worker thread', async () => {
    await expect.poll(() => client.stderr).toContain('file checks in a worker thread');
  });
});

describe('diagnostics', () => {
  it('a valid study has none, also after the file checks', async () => {
    const uri = docUri('glioma.study.yaml');
    await client.open(uri, fx.studyText);
    expect(await client.diagnostics(uri, 1)).toEqual([]);
    await client.phaseDone(uri, 1, 'files');
    expect(client.latest(uri)).toEqual([]);
    await client.close(uri);
  });

  it('YAML syntax: an unclosed flow list, and the schema problem it causes', async () => {
    const text = fx.studyText.replace('  title: IDH1 status from MRI texture', '  title: [IDH1 status');
    const uri = docUri('syntax.study.yaml');
    await client.open(uri, text);
    // Line 5 (0-based 4) `  title: [IDH1 status`: the list runs from its `[` (column 9) to the next key.
    expect(summary(await client.diagnostics(uri, 1))).toEqual([
      [4, 9, 5, 2, ERROR, 'schema', 'study.title: expected a string, got a list'],
      [5, 2, 5, 3, ERROR, 'yaml-syntax', 'YAML syntax: flow sequence in block collection must be sufficiently indented and end with a ]'],
    ]);
  });

  it('schema: a misspelt key, with the suggestion as data for the quick fix', async () => {
    const uri = docUri('key.study.yaml');
    const ds = await client.openAndCheck(uri, fx.studyText.replace('  manifest: manifest.csv', '  manifets: manifest.csv'));
    // `manifets` is columns 2..10 of line 9 (0-based 8). Without a manifest no file is checked.
    expect(summary(ds)).toEqual([[8, 2, 8, 10, ERROR, 'unknown-key', 'unknown key `manifets` in cohort; did you mean `manifest`?']]);
    expect(ds[0].data).toEqual({ path: 'cohort', code: 'unknown-key', data: { replacement: 'manifest' } });
    expect(ds[0].source).toBe('rgs');
  });

  it('references: an unknown label in a union', async () => {
    const uri = docUri('label.study.yaml');
    const ds = await client.openAndCheck(uri, fx.studyText.replace('[necrosis, enhancing]', '[necrosys, enhancing]'));
    // `    tumour_core: [` is 18 characters: the member spans 18..26 of line 23 (0-based 22).
    expect(summary(ds)).toEqual([
      [22, 18, 22, 26, ERROR, 'unknown-label', 'cohort.unions.tumour_core[0]: unknown label `necrosys`; did you mean `necrosis`? (labels: `necrosis`, `oedema`, `enhancing`)'],
    ]);
  });

  it('IBSI consistency: fixed bin size on MR intensities without a normalisation (warnings)', async () => {
    const text = fx.studyText
      .replace('  normalisation:\n    method: zscore\n    reference: roi\n', '')
      .replace('method: fbn\n    bin_count: 32', 'method: fbs\n    bin_width: 25');
    const uri = docUri('fbs.study.yaml');
    const ds = await client.openAndCheck(uri, text);
    // The discretisation block: from its first key (line 39, 0-based 38, column 4) to the end of its last line.
    expect(summary(ds)).toEqual([
      [
        38, 4, 40, 0, WARNING, 'settings',
        "features.discretisation: fixed bin size without a lower re-segmentation bound: the bins start at each ROI's minimum intensity, so bin numbers are not comparable between images (IBSI Q3RU); set preprocessing.resegmentation.range",
      ],
      [38, 4, 40, 0, WARNING, 'ibsi-mr-fixed-bin-size', 'features.discretisation: fixed bin size (fbs) on MR intensities, which have no absolute scale: add preprocessing.normalisation or use fbn'],
    ]);
  });

  it('files: first the text checks, then the manifest that does not exist', async () => {
    const uri = docUri('nomanifest.study.yaml');
    await client.open(uri, fx.studyText.replace('manifest: manifest.csv', 'manifest: missing.csv'));
    expect(await client.diagnostics(uri, 1)).toEqual([]);
    await client.phaseDone(uri, 1, 'files');
    expect(summary(client.latest(uri))).toEqual([
      [8, 12, 8, 23, ERROR, 'missing-file', `cohort.manifest: file not found: missing.csv (${join(fx.dir, 'missing.csv')})`],
    ]);
  });

  it('files: a missing image is shown at its manifest cell and summarised at `manifest:`', async () => {
    const manifest = join(fx.dir, 'sub', 'manifest.csv');
    const { mkdirSync, readFileSync } = await import('node:fs');
    mkdirSync(join(fx.dir, 'sub'), { recursive: true });
    writeFileSync(manifest, readFileSync(join(fx.dir, 'manifest.csv'), 'utf8').replaceAll('images/', '../images/').replace('S03_flair', 'S03_flare'));
    const uri = docUri('noimage.study.yaml');
    const ds = await client.openAndCheck(uri, fx.studyText.replace('manifest: manifest.csv', 'manifest: sub/manifest.csv'));
    expect(summary(ds)).toEqual([
      [8, 12, 8, 28, ERROR, 'missing-file', `cohort.manifest: 1 image or mask file named in sub/manifest.csv is missing (relative paths start at ${join(fx.dir, 'sub')}) (line 4 of sub/manifest.csv)`],
    ]);
    // Line 4 of the manifest (0-based 3): `S03,../images/S03_t1ce.nii.gz,` is 30 characters.
    const other = client.published.filter((p) => p.uri === uriOf(manifest)).at(-1);
    expect(summary(other?.diagnostics ?? [])).toEqual([[3, 30, 3, 56, ERROR, 'missing-file', 'subject S03: FLAIR image not found: ../images/S03_flare.nii.gz']]);
    // Closing the study clears what it reported in the manifest too.
    await client.close(uri);
    await expect.poll(() => client.published.filter((p) => p.uri === uriOf(manifest)).at(-1)?.diagnostics).toEqual([]);
  });

  it('while typing, file findings move with the edit instead of disappearing until the file pass', async () => {
    const uri = docUri('carry.study.yaml');
    const text = fx.studyText.replace('manifest: manifest.csv', 'manifest: nowhere.csv');
    const message = `cohort.manifest: file not found: nowhere.csv (${join(fx.dir, 'nowhere.csv')})`;
    expect(summary(await client.openAndCheck(uri, text))).toEqual([[8, 12, 8, 23, ERROR, 'missing-file', message]]);
    // A new first line: the text pass (which reads no file) already shows the finding one line down.
    const v2 = await client.change(uri, range(0, 0, 0, 0), '# a new first line\n');
    expect(summary(await client.diagnostics(uri, v2))).toEqual([[9, 12, 9, 23, ERROR, 'missing-file', message]]);
    await client.phaseDone(uri, v2, 'files');
    expect(summary(client.latest(uri))).toEqual([[9, 12, 9, 23, ERROR, 'missing-file', message]]);
  });

  it('a file the study names appears on disk: the watched-files notification re-checks', async () => {
    const uri = docUri('watched.study.yaml');
    const text = fx.studyText.replace('manifest: manifest.csv', 'manifest: later/manifest.csv');
    expect(summary(await client.openAndCheck(uri, text))[0][5]).toBe('missing-file');
    const { mkdirSync, readFileSync } = await import('node:fs');
    mkdirSync(join(fx.dir, 'later'), { recursive: true });
    writeFileSync(join(fx.dir, 'later', 'manifest.csv'), readFileSync(join(fx.dir, 'manifest.csv'), 'utf8').replaceAll('images/', '../images/'));
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(join(fx.dir, 'later', 'manifest.csv')), type: 1 }] });
    await expect.poll(() => client.latest(uri), { timeout: 10_000 }).toEqual([]);
  });

  it('as you type: a one-character edit and its undo, versioned', async () => {
    const uri = docUri('typing.study.yaml');
    await client.open(uri, fx.studyText);
    expect(await client.diagnostics(uri, 1)).toEqual([]);
    const at = positionOf(fx.studyText, 'interpolation: linear', 'interpolation: linea'.length);
    const v2 = await client.change(uri, { start: at, end: { line: at.line, character: at.character + 1 } }, '');
    expect(summary(await client.diagnostics(uri, v2))).toEqual([
      [33, 19, 33, 24, ERROR, 'settings', 'preprocessing.resampling.interpolation: expected one of `nearest`, `linear`, `bspline`, got "linea"; did you mean `linear`?'],
    ]);
    const v3 = await client.change(uri, { start: at, end: at }, 'r');
    expect(await client.diagnostics(uri, v3)).toEqual([]);
  });

  it('a burst of edits: the newest version wins and no older version is published after it', async () => {
    const uri = docUri('burst.study.yaml');
    await client.open(uri, fx.studyText);
    await client.diagnostics(uri, 1);
    const at = positionOf(fx.studyText, 'bin_count: 32', 'bin_count: 3'.length);
    let version = 1;
    // 3 -> 30 -> 300 -> 3000 -> 30000 -> 300000: typing zeros after the 3 of `32`.
    for (let i = 0; i < 5; i++) version = await client.change(uri, { start: at, end: at }, '0');
    const final = await client.diagnostics(uri, version);
    expect(final).toEqual([]);
    await client.phaseDone(uri, version, 'files');
    const versions = client.published.filter((p) => p.uri === uri).map((p) => p.version ?? 0);
    for (let i = 1; i < versions.length; i++) expect(versions[i]).toBeGreaterThanOrEqual(versions[i - 1]);
    expect(versions.at(-1)).toBe(version);
  });
});

describe('completion', () => {
  const uri = (n: string) => docUri(`completion-${n}.study.yaml`);

  it('top-level sections not written yet', async () => {
    const text = `${fx.studyText}\n`;
    await client.open(uri('top'), text);
    const items = await client.completion(uri('top'), { line: text.split('\n').length - 1, character: 0 });
    expect(labels(items)).toEqual(['analysis', 'report']);
    expect(editOf(items[0]).newText).toBe('analysis:\n  ');
    expect((items[0].documentation as MarkupContent).value).toMatch(/^The radiogenomic analysis/);
  });

  it('a key being typed in a document that does not parse', async () => {
    const text = fx.studyText.replace('    reference: roi\n', '    reference: roi\n  resegm\n');
    await client.open(uri('broken-key'), text);
    const pos = positionOf(text, '  resegm', '  resegm'.length);
    const items = await client.completion(uri('broken-key'), pos);
    // preprocessing already has resampling and normalisation.
    expect(labels(items)).toEqual(['slice_wise', 'resegmentation']);
    expect(editOf(items[1])).toEqual({ range: range(pos.line, 2, pos.line, 8), newText: 'resegmentation:\n    ' });
    expect(items[1].detail).toBe('mapping');
    expect((items[1].documentation as MarkupContent).value).toContain('(IBSI 2.5, IF9H)');
  });

  it('enum values after an incomplete `key: `', async () => {
    const text = fx.studyText.replace('interpolation: linear', 'interpolation: ');
    await client.open(uri('enum'), text);
    const items = await client.completion(uri('enum'), positionOf(text, 'interpolation: ', 'interpolation: '.length));
    expect(labels(items)).toEqual(['nearest', 'linear', 'bspline']);
    expect((items[1].documentation as MarkupContent).value).toMatch(/^Linear: bilinear within a slice, trilinear in 3D/);
  });

  it('the alternatives of a discriminated setting, in a broken document', async () => {
    // An unclosed flow list elsewhere breaks the parse; the method line is incomplete.
    const text = fx.studyText.replace('families: [stat, cm, szm]', 'families: [stat, cm').replace('method: fbn', 'method: ');
    await client.open(uri('method'), text);
    const items = await client.completion(uri('method'), positionOf(text, 'method: \n', 'method: '.length));
    expect(labels(items)).toEqual(['none', 'fbs', 'fbn']);
    expect((items[2].documentation as MarkupContent).value).toMatch(/^Fixed bin number \(IBSI K15C\)/);
  });

  it('file paths relative to the study file (CSV files and folders for the manifest)', async () => {
    // A folder of its own: other tests add folders to the shared one.
    const own = writeStudyFixture('rgs-lsp-paths-');
    const pathUri = uriOf(join(own.dir, 'paths.study.yaml'));
    await client.open(pathUri, own.studyText);
    const items = await client.completion(pathUri, positionOf(own.studyText, 'manifest: manifest.csv', 'manifest: '.length));
    // The study file itself and the NIfTI files are not CSV; folders are offered to descend into.
    expect(labels(items).sort()).toEqual(['clinical.csv', 'images/', 'manifest.csv']);
    const images = items.find((i) => i.label === 'images/');
    expect(images?.kind).toBe(19); // Folder
    expect(editOf(images)).toEqual({ range: range(8, 12, 8, 24), newText: 'images/' });
    // Inside a folder: only what follows the last `/` is replaced, and only CSV files are offered.
    const text = own.studyText.replace('    - file: clinical.csv', '    - file: images/S0');
    await client.replaceAll(pathUri, text);
    expect(labels(await client.completion(pathUri, positionOf(text, 'images/S0', 'images/S0'.length)))).toEqual([]);
    const mask = own.studyText.replace('    reference: roi', '    reference:\n      mask: images/S01_s');
    await client.replaceAll(pathUri, mask);
    const pos = positionOf(mask, 'images/S01_s', 'images/S01_s'.length);
    const niftis = await client.completion(pathUri, pos);
    expect(labels(niftis).filter((l) => l.startsWith('S01')).sort()).toEqual(['S01_flair.nii.gz', 'S01_seg.nii.gz', 'S01_t1ce.nii.gz']);
    expect(editOf(niftis.find((i) => i.label === 'S01_seg.nii.gz'))).toEqual({ range: range(pos.line, 19, pos.line, 24), newText: 'S01_seg.nii.gz' });
  });

  it('manifest columns for a sequence', async () => {
    await client.open(uri('column'), fx.studyText);
    const items = await client.completion(uri('column'), positionOf(fx.studyText, 'column: t1ce', 'column: '.length));
    expect(labels(items)).toEqual(['subject_id', 't1ce', 'flair', 'mask', 'site']);
    expect(items[1].detail).toBe('column of manifest.csv');
    expect((items[1].documentation as MarkupContent).value).toBe('e.g. `images/S01_t1ce.nii.gz`, `images/S02_t1ce.nii.gz`, `images/S03_t1ce.nii.gz`, `images/S04_t1ce.nii.gz`');
  });

  it('clinical columns for an outcome, and the values of its column for `positive`', async () => {
    await client.open(uri('outcome'), fx.studyText);
    const columns = await client.completion(uri('outcome'), positionOf(fx.studyText, 'time: os_months', 'time: '.length));
    expect(labels(columns)).toEqual(['subject_id', 'age', 'idh1', 'os_months', 'death']);
    const values = await client.completion(uri('outcome'), positionOf(fx.studyText, 'positive: mutant', 'positive: '.length));
    expect(labels(values)).toEqual(['wildtype', 'mutant']);
    const types = await client.completion(uri('outcome'), positionOf(fx.studyText, 'type: binary', 'type: '.length));
    expect(labels(types)).toEqual(['binary', 'survival']);
  });

  it('label names in a union (flow list) and label or union names in `rois`', async () => {
    await client.open(uri('labels'), fx.studyText);
    const members = await client.completion(uri('labels'), positionOf(fx.studyText, '[necrosis, enhancing]', '[necrosis, '.length));
    expect(labels(members)).toEqual(['oedema', 'enhancing']);
    expect(members[0].detail).toBe('label 2');
    const text = fx.studyText.replace('    - tumour_core\n', '    - tumour_core\n    - \n');
    await client.replaceAll(uri('labels'), text);
    const rois = await client.completion(uri('labels'), positionOf(text, '    - \n', '    - '.length));
    expect(labels(rois)).toEqual(['necrosis', 'oedema']);
  });

  it('feature families, IBSI identifiers with their names, aggregation labels', async () => {
    const text = fx.studyText.replace('  families: [stat, cm, szm]\n', '  families: [stat, cm, szm]\n  ibsi_codes: [GYBY, \n  aggregations: [\n');
    await client.open(uri('features'), text);
    const families = await client.completion(uri('features'), positionOf(text, '[stat, cm, szm]', '[stat, cm, '.length));
    expect(labels(families)).toEqual(['morph', 'loc', 'ih', 'ivh', 'rlm', 'szm', 'dzm', 'ngt', 'ngl']);
    expect(families[4].detail).toBe('Grey level run length based features (GLRLM) (IBSI 3.7, TP0I)');

    const codes = await client.completion(uri('features'), positionOf(text, '[GYBY, ', '[GYBY, '.length));
    // Only the listed families' features (stat 18, cm 25, szm 16), GYBY already written.
    expect(codes).toHaveLength(18 + 25 + 16 - 1);
    const joint = codes.find((i) => i.label === '60VM');
    expect(joint?.labelDetails).toEqual({ description: 'cm · Joint average' });
    expect(joint?.filterText).toBe('60VM Joint average');
    expect(labels(codes)).not.toContain('GYBY');
    expect(labels(codes)).not.toContain('22OV'); // GLRLM is not in `families`

    const aggregations = await client.completion(uri('features'), positionOf(text, 'aggregations: [', 'aggregations: ['.length));
    expect(labels(aggregations)).toEqual(['2D, averaged', '2D, slice-merged', '2.5D, direction-merged', '2.5D, merged', '3D, averaged', '3D, merged', '2D', '2.5D', '3D']);
    // Inside `[...]` a label with a comma must be quoted.
    expect(editOf(aggregations[0]).newText).toBe('"2D, averaged"');
    expect(editOf(aggregations[8]).newText).toBe('3D');
  });

  it('nothing inside a comment', async () => {
    await client.open(uri('comment'), fx.studyText);
    expect(await client.completion(uri('comment'), positionOf(fx.studyText, '# the enhancing rim', 5))).toEqual([]);
  });
});

describe('hover', () => {
  const uri = docUri('hover.study.yaml');
  const text = () => fx.studyText.replace('    reference: roi', '    reference:\n      mask: images/S01_seg.nii.gz\n      label: 2').replace('  families: [stat, cm, szm]', '  families: [stat, cm, szm]\n  ibsi_codes: [GYBY]');

  beforeAll(async () => {
    await client.open(uri, text());
  });

  it('a setting: description, IBSI section and identifier, allowed values', async () => {
    const value = hoverText(await client.hover(uri, positionOf(text(), 'interpolation: linear', 2)));
    expect(value).toMatch(/^\*\*preprocessing\.resampling\.interpolation\*\* — nearest \| linear \| bspline\n\nHow image intensities are interpolated onto the new grid \(IBSI 2\.4\)/);
    expect(value).toContain('*IBSI:* Interpolation algorithms (IBSI 2.4, VTM2).');
    expect(value).toContain('- `bspline`: Cubic B-spline');
  });

  it('a processing step: the IBSI concept and what it does to the numbers', async () => {
    const h = await client.hover(uri, positionOf(text(), '  discretisation:', 4));
    const value = hoverText(h);
    expect(value).toContain('*Intensity discretisation* (IBSI 2.7, 4R0B): Discretisation groups intensities into grey-level bins');
    expect(value).toContain('- `fbn`: Fixed bin number (IBSI K15C)');
    // Two lines of reference mask and one of ibsi_codes above it: line 44 (0-based 43).
    expect(h?.range).toEqual(range(43, 2, 43, 16));
  });

  it('a chosen value: what it means, then its setting', async () => {
    const value = hoverText(await client.hover(uri, positionOf(text(), 'interpolation: linear', 'interpolation: '.length + 1)));
    expect(value).toMatch(/^`linear`: Linear: bilinear within a slice, trilinear in 3D/);
  });

  it('a feature family and an IBSI feature identifier', async () => {
    const family = hoverText(await client.hover(uri, positionOf(text(), '[stat, cm, szm]', '[stat, '.length)));
    expect(family).toMatch(/^\*\*Grey level co-occurrence based features \(GLCM\)\*\* \(`cm`, IBSI 3\.6, LFYI\)\n\nThe co-occurrence matrix counts/);
    const code = hoverText(await client.hover(uri, positionOf(text(), '[GYBY]', 2)));
    expect(code).toMatch(/^\*\*Joint maximum\*\* — IBSI identifier `GYBY`\n\nFamily: Grey level co-occurrence based features \(GLCM\) \(`cm`, IBSI 3\.6, LFYI\)/);
    expect(code).toContain('IBSI publishes reference values for it. PyRadiomics computes the same quantity.');
  });

  it('the manifest and a clinical table: rows and columns', async () => {
    const manifest = hoverText(await client.hover(uri, positionOf(text(), 'manifest: manifest.csv', 'manifest: '.length)));
    expect(manifest).toBe(`**cohort.manifest**: \`manifest.csv\`\n\n4 subjects, 5 columns: \`subject_id\`, \`t1ce\`, \`flair\`, \`mask\`, \`site\`\n\n${join(fx.dir, 'manifest.csv')}`);
    const clinical = hoverText(await client.hover(uri, positionOf(text(), 'file: clinical.csv', 'file: '.length)));
    expect(clinical).toContain('4 rows, 5 columns: `subject_id`, `age`, `idh1`, `os_months`, `death`');
  });

  it('an image path: the NIfTI header', async () => {
    const value = hoverText(await client.hover(uri, positionOf(text(), 'mask: images/S01_seg.nii.gz', 'mask: '.length)));
    expect(value).toBe(
      `**preprocessing.normalisation.reference.mask**: \`images/S01_seg.nii.gz\`\n\nNIfTI-1 image, **uint8**\n- dimensions: 6 × 6 × 4 voxels\n- spacing: 1 × 1 × 1 mm\n- orientation from the sform\n\n${join(fx.dir, 'images', 'S01_seg.nii.gz')}`,
    );
  });

  it("a sequence's column: the column and its first subject's image", async () => {
    const value = hoverText(await client.hover(uri, positionOf(text(), 'column: t1ce', 'column: '.length)));
    expect(value).toContain('**cohort.sequences.T1CE.column**: column `t1ce` of manifest.csv: 4 of 4 rows filled');
    expect(value).toContain("First subject's image (`images/S01_t1ce.nii.gz`):\n\nNIfTI-1 image, **int16**\n- dimensions: 6 × 6 × 4 voxels");
  });

  it('a label and a union: what they are and how often they are used', async () => {
    const label = hoverText(await client.hover(uri, positionOf(text(), '    necrosis: 1', 4)));
    expect(label).toBe('**cohort.labels.necrosis**: label `necrosis`, mask value 1\n\nUsed once in this file (Find All References).');
    const union = hoverText(await client.hover(uri, positionOf(text(), '- tumour_core', 2)));
    expect(union).toBe('**cohort.rois[1]**: union `tumour_core` of the labels `necrosis`, `enhancing`\n\nUsed once in this file (Find All References).');
  });
});

describe('definition and references', () => {
  const uri = docUri('refs.study.yaml');
  const text = `${fx.studyText}analysis:\n  outcomes: [idh1]\n`;

  beforeAll(async () => {
    await client.open(uri, text);
  });

  it('a ROI in `rois` goes to its union, a union member to its label', async () => {
    expect(await client.definition(uri, positionOf(text, '- tumour_core', 4))).toEqual([{ uri, range: range(22, 4, 22, 15) }]);
    expect(await client.definition(uri, positionOf(text, '[necrosis, enhancing]', 3))).toEqual([{ uri, range: range(18, 4, 18, 12) }]);
  });

  it('every use of a label', async () => {
    const all = await client.references(uri, positionOf(text, '    enhancing: 4', 6));
    expect(all).toEqual([
      { uri, range: range(20, 4, 20, 13) },
      { uri, range: range(22, 28, 22, 37) },
      { uri, range: range(24, 6, 24, 15) },
    ]);
    expect(await client.references(uri, positionOf(text, '    enhancing: 4', 6), false)).toEqual(all.slice(1));
  });

  it('an outcome and its use in the analysis', async () => {
    const lines = text.split('\n').length;
    const use = range(lines - 2, 13, lines - 2, 17);
    expect(await client.references(uri, positionOf(text, '  idh1:', 3))).toEqual([{ uri, range: range(45, 2, 45, 6) }, { uri, range: use }]);
    expect(await client.definition(uri, use.start)).toEqual([{ uri, range: range(45, 2, 45, 6) }]);
  });

  it('nothing on a setting that is not a name', async () => {
    expect(await client.definition(uri, positionOf(text, 'interpolation: linear', 2))).toEqual([]);
  });
});

describe('outline, folding, formatting', () => {
  it('document symbols by section', async () => {
    const uri = docUri('symbols.study.yaml');
    await client.open(uri, fx.studyText);
    const symbols = await client.symbols(uri);
    expect(symbols.map((s) => s.name)).toEqual(['study', 'cohort', 'preprocessing', 'features', 'outcomes']);
    const cohort = symbols[1];
    expect(cohort.selectionRange).toEqual(range(7, 0, 7, 6));
    expect(cohort.range.start).toEqual({ line: 7, character: 0 });
    expect(cohort.range.end.line).toBe(29);
    expect(cohort.children?.map((c) => c.name)).toEqual(['manifest', 'subject_column', 'modality', 'sequences', 'mask_column', 'labels', 'unions', 'rois', 'site_column', 'clinical']);
    const find = (list: DocumentSymbol[] | undefined, name: string) => list?.find((s) => s.name === name);
    expect(find(cohort.children, 'labels')?.children?.map((c) => [c.name, c.detail])).toEqual([['necrosis', '1'], ['oedema', '2'], ['enhancing', '4']]);
    expect(find(cohort.children, 'unions')?.children?.map((c) => [c.name, c.detail])).toEqual([['tumour_core', 'necrosis, enhancing']]);
    expect(find(cohort.children, 'clinical')?.children?.map((c) => c.name)).toEqual(['clinical.csv']);
    expect(symbols[4].children?.map((c) => [c.name, c.detail])).toEqual([['idh1', 'binary'], ['os', 'survival']]);
  });

  it('folding ranges by indentation, comments folded as comments', async () => {
    const uri = docUri('folding.study.yaml');
    await client.open(uri, fx.studyText);
    const ranges = await client.folding(uri);
    expect(ranges).toContainEqual({ startLine: 0, endLine: 1, kind: 'comment' });
    expect(ranges).toContainEqual({ startLine: 2, endLine: 5 }); // study
    expect(ranges).toContainEqual({ startLine: 7, endLine: 28 }); // cohort
    expect(ranges).toContainEqual({ startLine: 23, endLine: 25 }); // rois and its items
    expect(ranges).toContainEqual({ startLine: 45, endLine: 48 }); // outcomes.idh1
  });

  it('formatting re-indents and keeps every comment; formatting again changes nothing', async () => {
    const messy = [
      '# header comment',
      'study:',
      '    id: glioma-lsp      # trailing comment   ',
      '    title: IDH1 status from MRI texture',
      '    # a comment inside study',
      '    question: >',
      '        Does FLAIR texture',
      '          predict IDH1?',
      'cohort:',
      '   manifest: manifest.csv',
      '   sequences:',
      '         T1CE: { column: t1ce }',
      '   labels:',
      '         enhancing: 4',
      '   rois:',
      '   -   enhancing   # compact list',
      '',
      '',
    ].join('\n');
    const expected = [
      '# header comment',
      'study:',
      '  id: glioma-lsp      # trailing comment',
      '  title: IDH1 status from MRI texture',
      '  # a comment inside study',
      '  question: >',
      '      Does FLAIR texture',
      '        predict IDH1?',
      'cohort:',
      '  manifest: manifest.csv',
      '  sequences:',
      '    T1CE: { column: t1ce }',
      '  labels:',
      '    enhancing: 4',
      '  rois:',
      '  - enhancing   # compact list',
      '',
    ].join('\n');
    const uri = docUri('format.study.yaml');
    await client.open(uri, messy);
    const edits = await client.format(uri);
    const formatted = applyEdits(messy, edits);
    expect(formatted).toBe(expected);
    await client.replaceAll(uri, formatted);
    expect(await client.format(uri)).toEqual([]);
  });

  it('a document with YAML errors is not formatted', async () => {
    const uri = docUri('format-broken.study.yaml');
    await client.open(uri, 'study:\n    id: [x\n');
    expect(await client.format(uri)).toEqual([]);
  });
});

describe('quick fixes', () => {
  async function fixesFor(name: string, text: string): Promise<{ uri: string; ds: Diagnostic[]; actions: CodeAction[] }> {
    const uri = docUri(name);
    await client.open(uri, text);
    const ds = await client.diagnostics(uri, 1);
    const actions: CodeAction[] = [];
    for (const d of ds) actions.push(...(await client.codeActions(uri, d.range, [d])));
    return { uri, ds, actions };
  }

  async function applyAndCheck(uri: string, text: string, action: CodeAction | undefined): Promise<{ text: string; ds: Diagnostic[] }> {
    expect(action?.edit?.changes?.[uri]).toBeDefined();
    const fixed = applyEdits(text, action?.edit?.changes?.[uri] ?? []);
    const v = await client.replaceAll(uri, fixed);
    return { text: fixed, ds: await client.diagnostics(uri, v) };
  }

  it('did you mean: a ROI name, replaced where it is written', async () => {
    const text = fx.studyText.replace('    - tumour_core', '    - tumor_core');
    const { uri, ds, actions } = await fixesFor('fix-roi.study.yaml', text);
    expect(summary(ds)).toEqual([
      [25, 6, 25, 16, ERROR, 'unknown-roi', 'cohort.rois[1]: unknown ROI `tumor_core`; did you mean `tumour_core`? (labels and unions: `necrosis`, `oedema`, `enhancing`, `tumour_core`)'],
    ]);
    const fix = actions.find((a) => a.title === 'Change to `tumour_core`');
    expect(fix?.isPreferred).toBe(true);
    expect(fix?.edit?.changes?.[uri]).toEqual([{ range: range(25, 6, 25, 16), newText: 'tumour_core' }]);
    expect((await applyAndCheck(uri, text, fix)).ds).toEqual([]);
  });

  it('did you mean: a key and an allowed value', async () => {
    const text = fx.studyText.replace('  manifest: manifest.csv', '  manifets: manifest.csv').replace('interpolation: linear', 'interpolation: trilinear');
    const { uri, actions } = await fixesFor('fix-key.study.yaml', text);
    expect(actions.map((a) => [a.title, a.edit?.changes?.[uri]])).toEqual([
      ['Change to `manifest`', [{ range: range(8, 2, 8, 10), newText: 'manifest' }]],
      ['Change to `linear`', [{ range: range(33, 19, 33, 28), newText: 'linear' }]],
    ]);
  });

  it('a missing required section gets a skeleton', async () => {
    const text = fx.studyText.replace(/study:\n {2}id: glioma-lsp\n.*\n.*\n/, '');
    const { uri, ds, actions } = await fixesFor('fix-section.study.yaml', text);
    // At the start of the root mapping: `cohort:` is now line 4 (0-based 3).
    expect(summary(ds)).toEqual([[3, 0, 3, 0, ERROR, 'schema', 'missing required key `study` at the top level']]);
    expect(actions.map((a) => a.title)).toEqual(['Add `study`']);
    const after = await applyAndCheck(uri, text, actions[0]);
    expect(after.text.endsWith('    unit: months\n\nstudy:\n  id: fix-section\n  title: ""\n  question: ""\n')).toBe(true);
    expect(after.ds).toEqual([]);
  });

  it('a missing discriminator: one fix per alternative, with its required keys', async () => {
    const text = fx.studyText.replace('    method: fbn\n    bin_count: 32', '    bin_count: 32');
    const { uri, ds, actions } = await fixesFor('fix-method.study.yaml', text);
    expect(summary(ds)).toEqual([[40, 2, 40, 16, ERROR, 'settings', 'missing required key `method` in features.discretisation (one of `none`, `fbs`, `fbn`)']]);
    expect(actions.map((a) => [a.title, a.edit?.changes?.[uri]?.[0].newText])).toEqual([
      ['Add `method: none`', '    method: none\n'],
      ['Add `method: fbs`', '    method: fbs\n    bin_width: 0\n'],
      ['Add `method: fbn`', '    method: fbn\n'],
    ]);
    expect((await applyAndCheck(uri, text, actions[2])).ds).toEqual([]);
  });

  it('an unknown label in a union: add it to cohort.labels with the next free value', async () => {
    const text = fx.studyText.replace('[necrosis, enhancing]', '[necrosis, enhancing, cyst]');
    const { uri, ds, actions } = await fixesFor('fix-label.study.yaml', text);
    expect(summary(ds)).toEqual([[22, 39, 22, 43, ERROR, 'unknown-label', 'cohort.unions.tumour_core[2]: unknown label `cyst` (labels: `necrosis`, `oedema`, `enhancing`)']]);
    expect(actions.map((a) => [a.title, a.edit?.changes?.[uri]])).toEqual([
      ['Add label `cyst` to cohort.labels (value 5)', [{ range: range(21, 0, 21, 0), newText: '    cyst: 5\n' }]],
    ]);
    expect((await applyAndCheck(uri, text, actions[0])).ds).toEqual([]);
  });
});

describe('the analysis section (src/engine/analysis/schema.ts)', () => {
  const uri = docUri('analysis.study.yaml');
  const analysis = [
    'analysis:',
    '  outcomes: [idh1, ]',
    '  features:',
    '    rois: [tumour_core, ]',
    '  validation:',
    '    method: nested_cv',
    '  selection:',
    '    method: lasso',
    '    scope: cohort',
    '  ',
    '',
  ].join('\n');
  const text = fx.studyText + analysis;

  beforeAll(async () => {
    await client.open(uri, text);
  });

  it('keys and values from the analysis schema', async () => {
    const keys = await client.completion(uri, positionOf(text, '    scope: cohort\n  ', '    scope: cohort\n  '.length));
    expect(labels(keys)).toEqual(['seed', 'imputation', 'harmonisation', 'scaling', 'filters', 'balancing', 'models', 'threshold', 'confidence_level', 'bootstrap_replicates', 'enrichment']);
    const methods = await client.completion(uri, positionOf(text, 'method: nested_cv', 'method: '.length));
    expect(labels(methods)).toEqual(['nested_cv', 'repeated_cv', 'holdout', 'external']);
    const selection = await client.completion(uri, positionOf(text, 'method: lasso', 'method: '.length));
    expect(labels(selection)).toEqual(['lasso', 'mrmr', 'boruta']);
  });

  it('hover on an analysis setting and on a chosen value', async () => {
    const scope = hoverText(await client.hover(uri, positionOf(text, 'scope: cohort', 1)));
    expect(scope).toMatch(/^\*\*analysis\.selection\.scope\*\* — fold \| cohort\n\nWhere this stage is fitted\./);
    const cohort = hoverText(await client.hover(uri, positionOf(text, 'scope: cohort', 'scope: '.length + 1)));
    expect(cohort).toMatch(/^`cohort`: Fitted once on all subjects before the split\. Leaks the test folds into the model/);
  });

  it('outcome and ROI names where the analysis names them', async () => {
    expect(labels(await client.completion(uri, positionOf(text, '[idh1, ]', '[idh1, '.length)))).toEqual(['os']);
    expect(labels(await client.completion(uri, positionOf(text, '[tumour_core, ]', '[tumour_core, '.length)))).toEqual(['necrosis', 'oedema', 'enhancing']);
  });

  it('references reach into the analysis', async () => {
    const use = positionOf(text, '[tumour_core, ]', 1);
    expect(await client.definition(uri, use)).toEqual([{ uri, range: range(22, 4, 22, 15) }]);
    const refs = await client.references(uri, positionOf(text, '    tumour_core: [', 4));
    expect(refs.map((r) => r.range.start.line)).toEqual([22, 25, use.line]);
  });

  it('a selection fitted on the whole cohort: the quick fix moves it inside the cross-validation', async () => {
    const at = positionOf(text, 'scope: cohort', 'scope: '.length);
    const actions = await client.codeActions(uri, { start: at, end: at }, []);
    expect(actions.map((a) => [a.title, a.edit?.changes?.[uri]])).toEqual([
      ['Move the feature selection inside the cross-validation (scope: fold): fit it on the training folds only', [{ range: range(at.line, 11, at.line, 17), newText: 'fold' }]],
    ]);
    // Elsewhere nothing is offered.
    expect(await client.codeActions(uri, range(33, 0, 33, 0), [])).toEqual([]);
  });
});
