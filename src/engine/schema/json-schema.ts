/**
 * The subset of JSON Schema (draft 2020-12) our settings schemas are written in.
 *
 * Schemas are plain data so that the same object drives the YAML validator (validate-yaml.ts),
 * the language server (completion, hover) and the exported `.schema.json` file other editors
 * read. Keywords outside the subset are not interpreted; the `x-…` keywords and
 * `enumDescriptions` are annotations that JSON Schema validators ignore.
 */

export type JsonType = 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean' | 'null';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Where a setting is defined in the IBSI reference manual (arXiv:1612.07003), for hovers. */
export interface IbsiAnnotation {
  /**
   * The IBSI identifier of the method or parameter, e.g. "VTM2" (interpolation). Not named `id`,
   * which draft-04 JSON Schema tools would take for a schema identifier.
   */
  identifier?: string;
  /** The section of the reference manual, e.g. "2.4". */
  section?: string;
  /** The name IBSI gives it, e.g. "Interpolation". */
  name?: string;
}

export interface JsonSchema {
  $schema?: string;
  $id?: string;
  title?: string;
  description?: string;
  type?: JsonType | JsonType[];
  enum?: JsonValue[];
  const?: JsonValue;
  /** Mapping keys and their schemas (YAML keys are snake_case). */
  properties?: Record<string, JsonSchema>;
  required?: string[];
  /** Only `false` is supported: every key must be listed in `properties`. */
  additionalProperties?: false;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  pattern?: string;
  /**
   * Alternatives. Either discriminated (every branch is an object whose `properties` give the
   * same key a `const`, e.g. `method`), or branches of different JSON types (e.g. a `const`
   * string or a mapping): the validator picks the branch and reports against it.
   */
  oneOf?: JsonSchema[];
  default?: JsonValue;
  /** Our annotation: the IBSI identifier and section a setting comes from. */
  'x-ibsi'?: IbsiAnnotation;
  /** Our annotation: how to phrase what is expected in messages (e.g. for a `pattern`). */
  'x-expected'?: string;
  /**
   * Our annotation: other names for `enum` values (e.g. IBSI's `trilinear` for `linear`), only
   * to suggest the accepted spelling in messages; the aliases themselves are not accepted.
   */
  'x-aliases'?: Record<string, string>;
  /** One description per `enum` value, in the same order (used by completion and hover). */
  enumDescriptions?: string[];
}

/** The types a schema admits, as a list (an absent `type` admits anything). */
export function schemaTypes(schema: JsonSchema): JsonType[] | null {
  if (schema.type === undefined) return null;
  return Array.isArray(schema.type) ? schema.type : [schema.type];
}

/**
 * The key whose `const` tells the branches of a discriminated `oneOf` apart (e.g. `method`),
 * or null when the branches are not all objects with such a key.
 */
export function discriminatorOf(branches: readonly JsonSchema[]): string | null {
  const first = branches[0]?.properties;
  if (first === undefined) return null;
  for (const key of Object.keys(first)) {
    if (branches.every((b) => b.properties?.[key]?.const !== undefined)) return key;
  }
  return null;
}
