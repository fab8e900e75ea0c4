#!/usr/bin/env bash
# Installs what is missing, builds augur and runs the whole test suite: the
# Kubernetes manifest check (Node.js), a short fuzzing run of the study-file
# parser, the blog examples end to end, then every GoogleTest suite and the
# Python client's pytest suite through ctest.
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${AUGUR_BUILD_DIR:-${root}/build}"

bash "${root}/scripts/setup.sh" || exit 1
AUGUR_BUILD_DIR="${build_dir}" bash "${root}/scripts/build.sh" || exit 1

status=0
(cd "${root}/tests/deploy" && npm ci --no-audit --no-fund --silent && npm test) || status=1
bash "${root}/fuzz/run.sh" 30 || status=1
bash "${root}/examples/blog/run_all.sh" "${build_dir}/bin/augur" || status=1
ctest --test-dir "${build_dir}" --output-on-failure -j 2 --timeout 600 || status=1
exit "${status}"
