#!/usr/bin/env bash
# The whole suite, as `make test` runs it on a clean clone.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"
export TF_CPP_MIN_LOG_LEVEL=2
started=$(date +%s)
step() { printf '\n== %s (%ds)\n' "$1" "$(( $(date +%s) - started ))"; }

step "Lint and types (ruff, mypy)"
ruff check bot actions tests scripts bench deploy
mypy bot actions deploy

step "Rasa data validation"
rasa data validate --fail-on-warnings --quiet

step "Model (trained only when data, domain or config changed)"
model=$(scripts/model.sh)
export COACH_TEST_MODEL="$PWD/$model"

step "Conversation tests on the trained model"
rm -rf results
rasa test core --model "$model" --stories tests/conversations --fail-on-prediction-errors --out results --quiet

step "Python tests: core, actions, end-to-end servers and the browser"
set +e
python -m pytest -q -p no:cacheprovider "$@"
status=$?
set -e
[ $status -eq 5 ] && { echo "pytest collected no tests"; exit 1; }
step "Done"
exit $status
