#!/usr/bin/env bash
# Builds the polyaxonfile fuzzer with clang (libFuzzer + AddressSanitizer) in
# its own build directory and runs it for SECONDS seconds (default 60),
# starting from the seed corpus in fuzz/corpus/.
#
# Usage: fuzz/run.sh [SECONDS]
# Environment: AUGUR_FUZZ_BUILD_DIR overrides the build directory
# (default: build-fuzz at the repository root).
#
# The build uses one job at low priority so that it leaves the machine's
# cores to other work. Inputs that crash are written to
# $AUGUR_FUZZ_BUILD_DIR/crashes/; turn each into a regression test in
# tests/core/spec/ before fixing it.
set -euo pipefail

seconds="${1:-60}"
if ! [[ "${seconds}" =~ ^[0-9]+$ ]] || ((seconds < 1)); then
  echo "run.sh: SECONDS must be a positive integer, got '${seconds}'" >&2
  exit 2
fi

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${AUGUR_FUZZ_BUILD_DIR:-${repo}/build-fuzz}"

if ! command -v clang++ >/dev/null; then
  echo "run.sh: clang++ not found; install clang and libclang-rt-14-dev" >&2
  exit 1
fi
if ! grep -q "AUGUR_BUILD_FUZZERS" "${repo}/CMakeLists.txt"; then
  echo "run.sh: ${repo}/CMakeLists.txt has no AUGUR_BUILD_FUZZERS option; add" >&2
  echo "  option(AUGUR_BUILD_FUZZERS ...) and add_subdirectory(fuzz) under it" >&2
  exit 1
fi

# fuzzer-no-link instruments every library for coverage; only the fuzz target
# links the libFuzzer main.
cmake -S "${repo}" -B "${build}" -G Ninja \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_CXX_FLAGS="-fsanitize=fuzzer-no-link,address" \
  -DAUGUR_BUILD_FUZZERS=ON \
  -DAUGUR_BUILD_TESTS=OFF \
  -DAUGUR_BUILD_BENCHMARKS=OFF >/dev/null
nice -n 19 cmake --build "${build}" -j1 --target polyaxonfile_fuzzer

fuzzer="$(find "${build}" -name polyaxonfile_fuzzer -type f -perm -u+x | head -n 1)"
if [[ -z "${fuzzer}" ]]; then
  echo "run.sh: the build produced no polyaxonfile_fuzzer binary in ${build}" >&2
  exit 1
fi

# The working corpus grows as libFuzzer finds new coverage; the seed corpus
# in the repository stays as it is.
corpus="${build}/corpus"
crashes="${build}/crashes"
mkdir -p "${corpus}" "${crashes}"
cp -n "${repo}"/fuzz/corpus/* "${corpus}/"

nice -n 19 "${fuzzer}" "${corpus}" \
  -dict="${repo}/fuzz/polyaxonfile.dict" \
  -max_total_time="${seconds}" \
  -max_len=4096 \
  -timeout=10 \
  -rss_limit_mb=2048 \
  -artifact_prefix="${crashes}/" \
  -print_final_stats=1
