// `npm run studio [folder]`: the extension in a real VS Code in the browser, offline. Installs the
// packaged extension (out/radiogenomics-studio.vsix, built by `npm run package`, which the npm
// script runs first) into a project-local code-server (installed by `npm run setup:e2e`) and
// serves FOLDER (default: demo/ when it exists, else the repository) on
// http://127.0.0.1:$RGS_STUDIO_PORT (default 8080) without authentication, bound to loopback only.
// Every file code-server writes stays under .e2e/studio/. Ctrl+C stops it.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, '.e2e', 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const vsix = join(root, 'out', 'radiogenomics-studio.vsix');
if (!existsSync(entry)) {
  console.error('studio: code-server is not installed: run `npm run setup:e2e` first');
  process.exit(1);
}
if (!existsSync(vsix)) {
  console.error('studio: out/radiogenomics-studio.vsix is missing: run `npm run package`');
  process.exit(1);
}
const dir = join(root, '.e2e', 'studio');
const userData = join(dir, 'user-data');
const extensions = join(dir, 'extensions');
const config = join(dir, 'config.yaml');
mkdirSync(join(userData, 'User'), { recursive: true });
mkdirSync(extensions, { recursive: true });
writeFileSync(config, 'auth: none\ncert: false\n');
const settings = join(userData, 'User', 'settings.json');
if (!existsSync(settings)) {
  writeFileSync(settings, JSON.stringify({ 'workbench.startupEditor': 'none', 'telemetry.telemetryLevel': 'off', 'git.openRepositoryInParentFolders': 'never' }, null, 2));
}
const common = ['--config', config, '--user-data-dir', userData, '--extensions-dir', extensions];
const env = { ...process.env, EXTENSIONS_GALLERY: '{}' };
const install = spawnSync(process.execPath, [entry, ...common, '--install-extension', vsix, '--force'], { stdio: 'inherit', env });
if (install.status !== 0) process.exit(install.status ?? 1);

const folder = resolve(process.argv[2] ?? (existsSync(join(root, 'demo')) ? join(root, 'demo') : root));
const port = Number(process.env.RGS_STUDIO_PORT ?? 8080);
const args = [
  entry,
  ...common,
  '--auth', 'none',
  '--bind-addr', `127.0.0.1:${port}`,
  '--disable-telemetry',
  '--disable-update-check',
  '--disable-workspace-trust',
  '--disable-getting-started-override',
  folder,
];
console.log(`studio: serving ${folder} at http://127.0.0.1:${port}/ (Ctrl+C stops it)`);
const child = spawn(process.execPath, args, { stdio: 'inherit', env });
const stop = () => child.kill('SIGTERM');
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
child.on('exit', (code) => process.exit(code ?? 0));
