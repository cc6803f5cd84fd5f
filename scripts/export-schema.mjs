// Writes the JSON Schemas of the study file and the settings file to schemas/ from the schema
// objects in src/ (one source of truth): bundles a tiny entry with esbuild into a temporary
// CommonJS file, requires it and writes the documents. `--check` writes nothing and exits 1
// when a committed file differs from the generated one.
import { build } from 'esbuild';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');

const tmp = mkdtempSync(join(tmpdir(), 'rgs-schema-'));
const bundle = join(tmp, 'schemas.cjs');
try {
  await build({
    absWorkingDir: root,
    stdin: {
      contents:
        "export { studyJsonSchema } from './src/engine/study/schema';\n" +
        "export { settingsJsonSchema } from './src/engine/settings/json-schema-export';\n",
      resolveDir: root,
      loader: 'ts',
      sourcefile: 'export-schema-entry.ts',
    },
    outfile: bundle,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'warning',
  });
  const { studyJsonSchema, settingsJsonSchema } = createRequire(import.meta.url)(bundle);
  const outputs = {
    'schemas/study.schema.json': studyJsonSchema(),
    'schemas/settings.schema.json': settingsJsonSchema(),
  };
  let stale = 0;
  for (const [rel, doc] of Object.entries(outputs)) {
    const path = join(root, rel);
    const text = `${JSON.stringify(doc, null, 2)}\n`;
    if (check) {
      let old = null;
      try {
        old = readFileSync(path, 'utf8');
      } catch {
        // missing: stale
      }
      if (old !== text) {
        console.error(`${rel} is out of date: run node scripts/export-schema.mjs`);
        stale++;
      }
    } else {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
      console.log(`wrote ${rel}`);
    }
  }
  if (stale > 0) process.exitCode = 1;
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
