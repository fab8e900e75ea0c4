#!/usr/bin/env bash
# Configures and builds augur into build/ (or $AUGUR_BUILD_DIR), then
# installs the Python client into the virtual environment .venv, made from
# Debian's /usr/bin/python3 so that it imports python3-grpcio and python3-sklearn.
#
# Usage: build.sh [TARGET...]   (no target builds everything, tests included)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${AUGUR_BUILD_DIR:-${root}/build}"
jobs="${AUGUR_JOBS:-2}"

cmake -S "${root}" -B "${build_dir}" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
if (($# > 0)); then
  cmake --build "${build_dir}" -j "${jobs}" --target "$@"
else
  cmake --build "${build_dir}" -j "${jobs}"
fi

venv="${root}/.venv"
if [[ ! -x "${venv}/bin/python" ]]; then
  /usr/bin/python3 -m venv --system-site-packages "${venv}"
fi
"${venv}/bin/python" -m pip install --quiet --no-index --no-build-isolation \
  --no-deps "${root}/client/python"
