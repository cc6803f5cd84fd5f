'use strict';
/**
 * Loading a bundle (CommonJS) with V8's code cache, as `node` does not for user code before
 * Node 22: the bytecode of the functions a previous run compiled is kept next to the bundle
 * (`<bundle>.v8-cache`) and given back to V8, so that a short command such as `rgs extract`
 * neither parses the 0.5 MB bundle again nor compiles the functions it runs.
 *
 * The cache is only an accelerator: a missing, stale, rejected or unwritable cache means a
 * normal compile (and, when the directory is writable, a new cache written at exit). V8 checks
 * only the source's length and its own version/flags, so the file starts with a SHA-1 of the
 * bundle's text: a rebuilt bundle of the same length never runs old bytecode. Written
 * atomically (temporary file + rename); concurrent first runs just write it twice.
 * RGS_CODE_CACHE=0 turns it off.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const vm = require('node:vm');

const MAGIC = 'rgs-v8-cache 1\n';

/** The cached bytecode in `cacheFile` if it was made from this exact source, else null. */
function readCache(cacheFile, sourceHash) {
  let bytes;
  try {
    bytes = fs.readFileSync(cacheFile);
  } catch {
    return null;
  }
  const header = `${MAGIC}${sourceHash}\n`;
  if (bytes.length <= header.length || bytes.toString('latin1', 0, header.length) !== header) return null;
  return bytes.subarray(header.length);
}

function writeCache(cacheFile, sourceHash, data) {
  const tmp = `${cacheFile}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(tmp, Buffer.concat([Buffer.from(`${MAGIC}${sourceHash}\n`, 'latin1'), data]));
    fs.renameSync(tmp, cacheFile);
  } catch {
    // A read-only installation: run without a cache.
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // nothing to clean up
    }
  }
}

/** require(file), through the code cache when it can be used. */
function requireWithCodeCache(file) {
  if (process.env.RGS_CODE_CACHE === '0') return require(file);
  let source;
  try {
    source = fs.readFileSync(file, 'utf8');
  } catch {
    return require(file); // let require report the problem
  }
  const cacheFile = `${file}.v8-cache`;
  const sourceHash = crypto.createHash('sha1').update(source).digest('hex');
  const cached = readCache(cacheFile, sourceHash);
  const script = new vm.Script(Module.wrap(source), { filename: file, cachedData: cached ?? undefined });
  if (cached === null || script.cachedDataRejected) {
    // Written at exit, after the command ran: the cache then holds the functions it compiled.
    process.once('exit', (code) => {
      if (code === 0) writeCache(cacheFile, sourceHash, script.createCachedData());
    });
  }
  const mod = new Module(file, module);
  mod.filename = file;
  mod.paths = Module._nodeModulePaths(path.dirname(file));
  Module._cache[file] = mod;
  const wrapper = script.runInThisContext();
  wrapper.call(mod.exports, mod.exports, Module.createRequire(file), mod, file, path.dirname(file));
  mod.loaded = true;
  return mod.exports;
}

module.exports = { requireWithCodeCache };
