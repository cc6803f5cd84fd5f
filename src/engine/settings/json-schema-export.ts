/**
 * The settings schema as a standalone JSON Schema (draft 2020-12) document, for editors and
 * tools outside Radiogenomics Studio (e.g. a `# yaml-language-server: $schema=` line). The
 * lead writes it to schemas/; the schema objects themselves live in schema.ts.
 */
import type { JsonSchema } from '../schema/json-schema';
import { SETTINGS_FILE_SCHEMA } from './schema';

export function settingsJsonSchema(): JsonSchema {
  // A deep copy, so that writers cannot alter the shared schema objects.
  const copy = JSON.parse(JSON.stringify(SETTINGS_FILE_SCHEMA)) as JsonSchema;
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    ...copy,
  };
}
