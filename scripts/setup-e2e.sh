#!/usr/bin/env bash
# Installs what the end-to-end tests in a real VS Code need, offline except for the npm registry
# and Debian's packages (see docs/testing-in-a-real-vscode.md in the shared folder):
#   - Debian packages: a C toolchain and Kerberos headers (code-server's native modules build with
#     node-gyp; kerberos.node needs gssapi/gssapi.h), ripgrep (its binary stands in for the one
#     @vscode/ripgrep would download), Chromium (driven by playwright-core, never `playwright install`).
#   - code-server 4.100.3 (VS Code 1.100.3, the last one whose install accepts Node 20) into .e2e/.
# Idempotent: every step checks first and does nothing when its result is already there.
# Usage: npm run setup:e2e   (or bash scripts/setup-e2e.sh)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
E2E="$ROOT/.e2e"
CODE_SERVER_VERSION="4.100.3"
# @vscode/ripgrep's postinstall looks for this file before downloading (version pinned by code-server 4.100.3).
RIPGREP_PKG_VERSION="1.15.11"
RIPGREP_ASSET="ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
DEBIAN_PACKAGES=(build-essential python3 pkg-config libkrb5-dev ripgrep chromium)

log() { printf 'setup-e2e: %s\n' "$*"; }

mkdir -p "$E2E"
# The folder ignores itself, so nothing under it is ever committed.
[ -f "$E2E/.gitignore" ] || printf '*\n' >"$E2E/.gitignore"

# --- Debian packages ---------------------------------------------------------------------------
missing=()
for p in "${DEBIAN_PACKAGES[@]}"; do
  status="$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)"
  [ "$status" = "install ok installed" ] || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  SUDO=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { log "need root (or sudo) to install: ${missing[*]}"; exit 1; }
    SUDO=(sudo)
  fi
  log "installing Debian packages: ${missing[*]}"
  "${SUDO[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  log "Debian packages present"
fi
[ -x /usr/bin/chromium ] || { log "/usr/bin/chromium is missing after the install"; exit 1; }
[ -x /usr/bin/rg ] || { log "/usr/bin/rg is missing after the install"; exit 1; }

# --- code-server -------------------------------------------------------------------------------
CS_DIR="$E2E/code-server"
CS_PKG="$CS_DIR/node_modules/code-server/package.json"
installed_version() { node -p "require('$CS_PKG').version" 2>/dev/null || true; }
if [ "$(installed_version)" = "$CODE_SERVER_VERSION" ] && [ -x "$CS_DIR/node_modules/.bin/code-server" ]; then
  log "code-server $CODE_SERVER_VERSION present"
else
  log "installing code-server $CODE_SERVER_VERSION into .e2e/code-server (about a minute)"
  mkdir -p "$CS_DIR"
  # A package of its own, so the project's package.json and lock file are never touched.
  [ -f "$CS_DIR/package.json" ] || printf '{ "name": "rgs-e2e-code-server", "private": true }\n' >"$CS_DIR/package.json"
  # A private TMPDIR holding the ripgrep cache file: a tar.gz with Debian's rg as `rg`.
  TMP="$E2E/tmp"
  CACHE="$TMP/vscode-ripgrep-cache-$RIPGREP_PKG_VERSION"
  mkdir -p "$CACHE"
  if [ ! -s "$CACHE/$RIPGREP_ASSET" ]; then
    STAGE="$(mktemp -d "$TMP/rg-stage.XXXXXX")"
    cp /usr/bin/rg "$STAGE/rg"
    tar -czf "$CACHE/$RIPGREP_ASSET" -C "$STAGE" rg
    rm -rf "$STAGE"
  fi
  # npm_config_unsafe_perm: code-server's install script refuses root without it (npm 11 ignores the
  # flag but passes the variable through). npm_config_yes: node-pty runs `npx node-gyp`.
  (
    cd "$CS_DIR"
    TMPDIR="$TMP" npm_config_unsafe_perm=true npm_config_yes=true \
      npm install --no-audit --no-fund --save-exact "code-server@$CODE_SERVER_VERSION"
  )
  [ "$(installed_version)" = "$CODE_SERVER_VERSION" ] || { log "code-server did not install"; exit 1; }
fi

# --- the project's own devDependencies the harness drives --------------------------------------
for p in playwright-core mocha @vscode/vsce; do
  [ -f "$ROOT/node_modules/$p/package.json" ] || { log "node_modules/$p is missing: run npm ci first"; exit 1; }
done

# Every code-server run gets a project-local --config (a bare run, even `--version`, writes
# ~/.config/code-server/config.yaml); this one holds no password since the harness uses --auth none.
mkdir -p "$E2E/config"
[ -f "$E2E/config/config.yaml" ] || printf 'auth: none\ncert: false\n' >"$E2E/config/config.yaml"
cs_version="$("$CS_DIR/node_modules/.bin/code-server" --config "$E2E/config/config.yaml" --version 2>/dev/null | tail -1)"
log "ready: code-server $cs_version; $(/usr/bin/chromium --version 2>/dev/null)"
