// `npm run test:electron` (after scripts/build.mjs): bundles the integration suite of
// test/vscode/suite (as test/vscode/extension-host.e2e.ts does for code-server) and this runner
// (main.ts) into out/vscode-electron-tests/, then runs the suite in the desktop VS Code through
// @vscode/test-electron. Needs the internet once, to download VS Code into .vscode-test/; offline
// it stops with a one-line message and exit code 1.
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const outdir = join(root, 'out', 'vscode-electron-tests');
mkdirSync(outdir, { recursive: true });

const common = { absWorkingDir: root, outdir, bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning' };
// The suite runs in the extension host as CommonJS; vscode and mocha come from the host and from
// the repository's node_modules at run time (exactly the code-server bundle's options).
await build({ ...common, entryPoints: { suite: 'test/vscode/suite/index.ts' }, sourcemap: 'inline', external: ['vscode', 'mocha'] });
await build({ ...common, entryPoints: { main: 'test/vscode/electron/main.ts' }, external: ['@vscode/test-electron'] });

const { main } = createRequire(import.meta.url)(join(outdir, 'main.js'));
process.exitCode = await main(root);
