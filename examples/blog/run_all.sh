#!/usr/bin/env bash
# Runs the five blog examples end to end with `augur run`, each on a new
# SQLite file in a temporary directory, and checks how each study ended:
#
#   grid            COMPLETED, 4 trials, lr values above 1 (logspace exponents)
#   random          COMPLETED, 40 trials
#   hyperband       COMPLETED, 206 trials, num_steps from 1 to 81
#   bo              COMPLETED, 45 trials
#   early_stopping  STOPPED by a trial that reached accuracy >= 0.9 or
#                   loss <= 0.05, before its 40 trials
#
# Usage: examples/blog/run_all.sh [AUGUR]
#   AUGUR is the augur binary (default: build/bin/augur under the repository
#   root, else augur on PATH). Set KEEP=1 to keep the temporary directory.
#
# The trials need only python3 on PATH. On a 2-core machine the whole run
# takes about a minute and a half, most of it in the 206 Hyperband trials.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "${here}/../.." && pwd)"

augur="${1:-}"
if [[ -z "${augur}" ]]; then
  if [[ -x "${repo}/build/bin/augur" ]]; then
    augur="${repo}/build/bin/augur"
  else
    augur="$(command -v augur || true)"
  fi
fi
if [[ -z "${augur}" || ! -x "${augur}" ]]; then
  echo "run_all.sh: no augur binary; build it (cmake --build build --target augur)" \
       "or pass its path as the first argument" >&2
  exit 2
fi
if ! command -v python3 >/dev/null; then
  echo "run_all.sh: python3 is not on PATH; the trials and the checks need it" >&2
  exit 2
fi

work="$(mktemp -d)"
if [[ "${KEEP:-0}" == 1 ]]; then
  echo "run_all.sh: keeping ${work}"
else
  trap 'rm -rf "${work}"' EXIT
fi

failed=0
for example in grid random hyperband bo early_stopping; do
  file="${here}/${example}/polyaxonfile.yml"
  db="${work}/${example}.db"
  log="${work}/${example}.log"
  study="$(sed -n 's/^name: *//p' "${file}")"

  start="$(date +%s)"
  if ! "${augur}" run --db "${db}" --runs-dir "${work}/runs" "${file}" \
       >"${log}" 2>&1; then
    echo "${example}: augur run failed; the last lines of its output:" >&2
    tail -n 20 "${log}" >&2
    failed=1
    continue
  fi
  seconds=$(($(date +%s) - start))

  if ! "${augur}" show --db "${db}" --format json "${study}" \
       | python3 "${here}/check_study.py" "${example}"; then
    failed=1
    continue
  fi
  echo "${example}: augur run took ${seconds} s"
done

if ((failed)); then
  echo "run_all.sh: some examples failed" >&2
  exit 1
fi
echo "run_all.sh: all five blog examples ran as expected"
