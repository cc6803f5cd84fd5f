/**
 * The schema of a study file (`*.study.yaml`): one object drives the study loader (load.ts), the
 * language server (completion, hover: hence the descriptions) and the exported JSON Schema
 * (schemas/study.schema.json, written by scripts/export-schema.mjs). The `preprocessing` and
 * `features` sections are exactly those of a settings file (settings/schema.ts).
 *
 * Mappings whose keys the user chooses (sequence, label, union and outcome names) are written in
 * standard JSON Schema as `additionalProperties: {schema}` with `propertyNames`. The validator
 * of schema/validate-yaml.ts only interprets `additionalProperties: false` and skips such keys,
 * so the loader validates their values itself (`freeKeysOf`, `validateFreeKeys` in load.ts) and
 * `studySchemaAt` follows them for completion and hover.
 */
import { ANALYSIS_SCHEMA, REPORT_SCHEMA } from '../analysis/schema';
import { isMap, isScalar, type Node } from 'yaml';
import type { JsonSchema } from '../schema/json-schema';
import { nodeAt, schemaAt, type PathSegment } from '../schema/validate-yaml';
import { FEATURES_SCHEMA, PREPROCESSING_SCHEMA } from '../settings/schema';

/** Names of sequences, labels, unions and outcomes: the ROI-name rule of roi/selector.ts. */
export const NAME_PATTERN = '^[A-Za-z][A-Za-z0-9_-]*$';
const NAME_EXPECTED = 'a name of letters, digits, _ and -, starting with a letter';

/** A mapping with keys the user chooses, as standard JSON Schema. */
interface FreeKeysSchema {
  /** The schema of every value. */
  additionalProperties: JsonSchema;
  /** The rule for the keys. */
  propertyNames: JsonSchema;
}

/**
 * A mapping from names the user chooses to values of one schema. The JsonSchema type only
 * allows `additionalProperties: false`; the standard object form is kept as data (it is valid
 * draft 2020-12 for the exported file) and read back by `freeKeysOf`.
 */
function mapOf(values: JsonSchema, annotations: Partial<JsonSchema>, minProperties?: number): JsonSchema {
  const schema: Omit<JsonSchema, 'additionalProperties'> & FreeKeysSchema & { minProperties?: number } = {
    ...annotations,
    type: 'object',
    ...(minProperties === undefined ? {} : { minProperties }),
    additionalProperties: values,
    propertyNames: { type: 'string', pattern: NAME_PATTERN, 'x-expected': NAME_EXPECTED },
  };
  return schema as unknown as JsonSchema;
}

/** The value and key schemas of a mapping with free keys, or null for any other schema. */
export function freeKeysOf(schema: JsonSchema): { values: JsonSchema; keys: JsonSchema; minProperties: number } | null {
  const s = schema as JsonSchema & Partial<Record<'additionalProperties' | 'propertyNames' | 'minProperties', unknown>>;
  const values = s.additionalProperties;
  if (values === null || typeof values !== 'object') return null;
  const keys = s.propertyNames;
  return {
    values: values as JsonSchema,
    keys: keys !== null && typeof keys === 'object' ? (keys as JsonSchema) : {},
    minProperties: typeof s.minProperties === 'number' ? s.minProperties : 0,
  };
}

const path = (description: string): JsonSchema => ({ type: 'string', description, 'x-expected': 'a file path' });

const COLUMN = (description: string): JsonSchema => ({ type: 'string', description, 'x-expected': 'a column name' });

const STUDY_INFO: JsonSchema = {
  description: 'What the study is: an identifier used in output file names and provenance, a title and the research question.',
  type: 'object',
  properties: {
    id: {
      type: 'string',
      pattern: '^[a-z0-9][a-z0-9-]*$',
      'x-expected': 'lower-case letters, digits and hyphens, e.g. `demo-gbm`',
      description: 'Identifier of the study: lower-case letters, digits and hyphens (e.g. `demo-gbm`). Used in output file names and provenance.',
    },
    title: { type: 'string', description: 'Human-readable title, shown in reports.' },
    question: {
      type: 'string',
      description: 'The research question, in one sentence (e.g. "IDH1 mutation status and overall survival from pre-operative MRI"). Shown in reports.',
    },
  },
  required: ['id', 'title'],
  additionalProperties: false,
};

const SEQUENCE: JsonSchema = {
  description:
    'One image sequence (e.g. T1CE): the manifest column holding its image paths, and optionally preprocessing settings ' +
    'for this sequence only.',
  type: 'object',
  properties: {
    column: COLUMN('Manifest column holding this sequence\'s image path (NIfTI), relative to the manifest file or absolute.'),
    preprocessing: {
      ...PREPROCESSING_SCHEMA,
      title: 'Preprocessing of this sequence',
      description:
        'Preprocessing for this sequence only, merged over the study\'s `preprocessing`: a block written here (resampling, ' +
        'normalisation, resegmentation.range) replaces the study\'s block as a whole; keys not written keep the study\'s value. ' +
        'E.g. `normalisation: { method: zscore, reference: roi }` for a T2 image while the other sequences use the study\'s.',
    },
  },
  required: ['column'],
  additionalProperties: false,
};

const CLINICAL_TABLE: JsonSchema = {
  description: 'A clinical or genomic table (CSV) with one row per subject: outcomes and covariates are read from its columns.',
  type: 'object',
  properties: {
    file: path('The CSV file, relative to the study file or absolute. RFC 4180: comma-separated, a header row, quoted fields for commas or line breaks.'),
    subject_column: COLUMN('Column holding the subject identifiers, matched exactly to the manifest\'s. Default: the cohort\'s `subject_column`.'),
  },
  required: ['file'],
  additionalProperties: false,
};

const COHORT: JsonSchema = {
  description:
    'The subjects: a manifest (CSV, one row per subject) with the image and mask paths of every subject, the sequences and ' +
    'mask labels, and the clinical tables.',
  type: 'object',
  properties: {
    manifest: path(
      'The manifest CSV: one row per subject, with a column per sequence holding image paths and a column holding the ' +
        'mask path (paths relative to the manifest file or absolute). Relative to the study file.',
    ),
    subject_column: { ...COLUMN('Manifest column holding the subject identifiers (unique). Default: `subject_id`.'), default: 'subject_id' },
    modality: {
      type: 'string',
      enum: ['MR', 'CT'],
      enumDescriptions: [
        'Magnetic resonance: intensities have no absolute scale, so fixed-bin-size discretisation needs a normalisation.',
        'Computed tomography: intensities are Hounsfield units, an absolute scale.',
      ],
      'x-aliases': { mri: 'MR', mr: 'MR', ct: 'CT' },
      default: 'MR',
      description:
        'Imaging modality of the cohort (MR, the default, or CT). It drives the IBSI consistency checks, e.g. a warning for ' +
        'fixed-bin-size discretisation of MR intensities without normalisation.',
    },
    sequences: mapOf(SEQUENCE, {
      description:
        'The image sequences, by name (e.g. T1, T1CE, T2, FLAIR): `NAME: { column: MANIFEST_COLUMN }`. Features are computed ' +
        'for every sequence and ROI.',
    }, 1),
    mask_column: { ...COLUMN('Manifest column holding each subject\'s mask (label map, NIfTI) path. Default: `mask`.'), default: 'mask' },
    labels: mapOf(
      {
        type: 'integer',
        minimum: 1,
        description: 'The mask value of this label (a positive integer; 0 is the background).',
      },
      {
        description: 'Names of the mask\'s labels: `NAME: VALUE`, e.g. `{ necrosis: 1, oedema: 2, enhancing: 4 }`. Every value once.',
      },
      1,
    ),
    unions: mapOf(
      {
        type: 'array',
        items: { type: 'string', description: 'The name of a label (from `labels`).', 'x-expected': 'a label name' },
        minItems: 1,
        uniqueItems: true,
        description: 'The labels whose union is this ROI.',
      },
      {
        description:
          'ROIs made of several labels: `NAME: [LABEL, ...]`, e.g. `{ tumour_core: [necrosis, enhancing] }`. The members are ' +
          'names from `labels`.',
      },
    ),
    rois: {
      type: 'array',
      items: { type: 'string', description: 'A label or union name.', 'x-expected': 'a label or union name' },
      minItems: 1,
      uniqueItems: true,
      description: 'The ROIs to compute features for, by label or union name. Default: every label, then every union.',
    },
    site_column: COLUMN('Manifest column holding the acquisition site of each subject (for harmonisation and stratification). Optional.'),
    clinical: {
      type: 'array',
      items: CLINICAL_TABLE,
      description: 'Clinical and genomic tables (CSV), matched to the manifest by subject identifier. Outcomes name columns of these tables.',
    },
    external: {
      type: 'object',
      description:
        'An external test cohort: a second manifest with the same columns. Its subjects are never used for fitting or ' +
        'tuning, only for the final test. Their clinical rows are read from the same clinical tables.',
      properties: {
        manifest: path('The external manifest CSV, relative to the study file, with the same columns as the main manifest.'),
      },
      required: ['manifest'],
      additionalProperties: false,
    },
  },
  required: ['manifest', 'sequences', 'labels'],
  additionalProperties: false,
};

const OUTCOME: JsonSchema = {
  description: 'One outcome to model: `type: binary` (a class) or `type: survival` (time to event).',
  oneOf: [
    {
      type: 'object',
      description: 'A binary outcome: a clinical column with exactly two distinct values, one of which is the positive class.',
      properties: {
        type: { const: 'binary', description: 'Binary classification (e.g. IDH1 mutant vs wild type).' },
        column: COLUMN('Clinical column holding the class of each subject; empty cells (or NA) are missing.'),
        positive: {
          type: ['string', 'integer'],
          description: 'The value of `column` that is the positive class (e.g. `mutant`); the other value is the negative class.',
          'x-expected': 'a value of the column',
        },
      },
      required: ['type', 'column', 'positive'],
      additionalProperties: false,
    },
    {
      type: 'object',
      description: 'A survival outcome: follow-up time and whether the event (e.g. death) was observed.',
      properties: {
        type: { const: 'survival', description: 'Time-to-event (e.g. overall survival), right-censored.' },
        time: COLUMN('Clinical column holding the follow-up time (a number >= 0): to the event, or to the last contact when censored.'),
        event: COLUMN('Clinical column holding 1 when the event was observed and 0 when the subject was censored.'),
        unit: {
          type: 'string',
          enum: ['days', 'months', 'years'],
          description: 'The unit of `time`, for reports and time points of time-dependent metrics.',
        },
      },
      required: ['type', 'time', 'event', 'unit'],
      additionalProperties: false,
    },
  ],
};

export const STUDY_SCHEMA: JsonSchema = {
  title: 'Radiogenomics Studio study',
  description:
    'A radiogenomics study: the cohort (images, masks, clinical tables), the IBSI preprocessing and feature settings, the ' +
    'outcomes and the analysis. Paths are relative to this file. The file is data: nothing in it is executed.',
  type: 'object',
  properties: {
    study: STUDY_INFO,
    cohort: COHORT,
    preprocessing: PREPROCESSING_SCHEMA,
    features: FEATURES_SCHEMA,
    outcomes: mapOf(OUTCOME, {
      description:
        'The outcomes to model, by name: `NAME: { type: binary, column, positive }` or ' +
        '`NAME: { type: survival, time, event, unit }`. Columns are those of the clinical tables.',
    }),
    analysis: ANALYSIS_SCHEMA,
    report: REPORT_SCHEMA,
  },
  required: ['study', 'cohort'],
  additionalProperties: false,
};

/** The study schema as a standalone JSON Schema (draft 2020-12) document, e.g. for schemas/study.schema.json. */
export function studyJsonSchema(): JsonSchema {
  // A deep copy, so that writers cannot alter the shared schema objects.
  const copy = JSON.parse(JSON.stringify(STUDY_SCHEMA)) as JsonSchema;
  return { $schema: 'https://json-schema.org/draft/2020-12/schema', ...copy };
}

/**
 * The schema that applies at `path` of a study document (completion, hover), like schemaAt of
 * the settings machinery, also following the mappings with free keys (a sequence, label, union
 * or outcome by its name) and picking the `oneOf` branch the document selects (an outcome's `type`).
 */
export function studySchemaAt(root: unknown, at: readonly PathSegment[]): JsonSchema | undefined {
  let s = branchAt(STUDY_SCHEMA, root);
  for (let i = 0; i < at.length; i++) {
    const seg = at[i];
    let next: JsonSchema | undefined = typeof seg === 'number' ? s.items : (s.properties?.[seg] ?? freeKeysOf(s)?.values);
    if (next === undefined && typeof seg === 'string' && s.oneOf !== undefined) {
      // No branch selected yet (e.g. `type` not written): any branch that has the key.
      next = s.oneOf.find((b) => b.properties?.[seg] !== undefined)?.properties?.[seg];
    }
    if (next === undefined) return undefined;
    s = branchAt(next, nodeAt(root, at.slice(0, i + 1)));
  }
  return s;
}

function branchAt(s: JsonSchema, node: unknown): JsonSchema {
  return s.oneOf === undefined ? s : (schemaAt(s, node, []) ?? s);
}

/** The names written under a mapping of the document (e.g. the label names), in order. */
export function keysAt(root: unknown, at: readonly PathSegment[]): string[] {
  const node: Node | undefined = at.length === 0 && isMap(root) ? root : nodeAt(root, at);
  if (!isMap(node)) return [];
  const out: string[] = [];
  for (const pair of node.items) if (isScalar(pair.key) && pair.key.value !== null) out.push(String(pair.key.value));
  return out;
}
