#!/usr/bin/env bash
# Runs one example study end to end with `augur run` on a new SQLite file,
# then checks with `augur show --format json` that the study COMPLETED with
# the expected number of SUCCEEDED trials and names a best trial with the
# objective metric.
#
# Usage: run_example.sh AUGUR EXAMPLE_DIR EXPECTED_TRIALS
# The trial scripts import scikit-learn and augur_client: the caller puts a
# python3 that imports Debian's python3-sklearn first on PATH and the
# augur_client package on PYTHONPATH.
set -euo pipefail

augur="$1"
example="$2"
expected_trials="$3"

work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT

"${augur}" run "${example}/polyaxonfile.yml" --db "${work}/augur.db" \
  --runs-dir "${work}/runs" > "${work}/run.out"
cat "${work}/run.out"

study="$(/usr/bin/python3 - "${example}/polyaxonfile.yml" <<'PY'
import sys, yaml
print(yaml.safe_load(open(sys.argv[1]))["name"])
PY
)"
"${augur}" show "${study}" --db "${work}/augur.db" --format json > "${work}/show.json"

/usr/bin/python3 - "${work}/show.json" "${expected_trials}" <<'PY'
import json, sys

shown = json.load(open(sys.argv[1]))
expected = int(sys.argv[2])
study = shown["study"]
trials = shown["trials"]
succeeded = [t for t in trials if t["state"] == "SUCCEEDED"]
errors = []
if study["state"] != "COMPLETED":
    errors.append(f"study state is {study['state']}, expected COMPLETED")
if len(succeeded) != expected:
    errors.append(f"{len(succeeded)} trials SUCCEEDED, expected {expected}")
best = [t for t in trials if t["id"] == study.get("best_trial_id")]
if not best or best[0].get("objective_value") is None:
    errors.append("the study names no best trial with an objective value")
if errors:
    sys.exit("; ".join(errors))
print(f"{study['name']}: {len(succeeded)} trials, best trial {best[0]['id']} "
      f"with objective {best[0]['objective_value']}")
PY
