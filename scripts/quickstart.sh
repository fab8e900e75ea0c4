#!/usr/bin/env bash
# Installs the Debian packages, builds augur and runs the digits study: a
# random search over a scikit-learn classifier on the digits data set, two
# trials at a time, ending with a table of trials and the best one.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "${root}/scripts/setup.sh"
# Only the programs the study needs; scripts/test.sh builds the rest.
bash "${root}/scripts/build.sh" augur augur-server

export PATH="${root}/.venv/bin:${root}/build/bin:${PATH}"
cd "${root}/examples/digits"
augur run polyaxonfile.yml --db "${root}/examples/digits/augur.db"
