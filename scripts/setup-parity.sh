#!/usr/bin/env bash
# Installs what the parity tests (test/parity/) need: R with glmnet, survival and pROC, and
# Python with scikit-learn and NumPy, all from Debian's packages. Idempotent: installs only the
# packages that are missing and runs `apt-get update` at most once, only when something is
# missing; waits for the dpkg lock when another install is running. Afterwards: `npx vitest run test/parity`.
set -euo pipefail

PACKAGES=(r-base-core r-cran-glmnet r-cran-survival r-cran-proc python3-sklearn python3-numpy)

missing=()
for pkg in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "setup-parity: all packages already installed (${PACKAGES[*]})"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi

echo "setup-parity: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# The package lists may be empty on a fresh machine; one update is enough for the install.
$SUDO apt-get -o DPkg::Lock::Timeout=900 update
$SUDO apt-get -o DPkg::Lock::Timeout=900 install -y --no-install-recommends "${missing[@]}"

# Check that R finds the packages the parity scripts load.
Rscript -e 'suppressPackageStartupMessages({library(glmnet); library(survival); library(pROC)}); cat("setup-parity: R", as.character(getRversion()), "glmnet", as.character(packageVersion("glmnet")), "survival", as.character(packageVersion("survival")), "\n")'
