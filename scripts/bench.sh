#!/usr/bin/env bash
# Benchmarks: each prints its figures. None of them pass or fail.
set -euo pipefail
cd "$(dirname "$0")/.."
export TF_CPP_MIN_LOG_LEVEL=2
for bench in bench/*.py; do
  echo "== $bench"
  .venv/bin/python "$bench"
done
