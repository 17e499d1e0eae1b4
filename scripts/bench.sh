#!/usr/bin/env bash
# Benchmarks: each prints its figures. None of them pass or fail.
#
#   scripts/bench.sh                  the comparison with the stock Rasa bot first, then every other bench
#   scripts/bench.sh compare          only the comparison (bench/compare.py; make bench BENCH=compare)
#   scripts/bench.sh latency web_sessions   only the benches named
#
# bench/compare.py is driven by its parts bench/coach.py, stock.py, load.py and crowd.py; a part has no
# `if __name__ == "__main__":` block, and only files with one are run.
set -euo pipefail
cd "$(dirname "$0")/.."
export TF_CPP_MIN_LOG_LEVEL=2
if [ $# -gt 0 ]; then
  benches=()
  for name in "$@"; do benches+=("bench/${name%.py}.py"); done
else
  benches=(bench/compare.py)
  for bench in bench/*.py; do
    [ "$bench" = bench/compare.py ] && continue
    grep -q '^if __name__ == "__main__":' "$bench" && benches+=("$bench")
  done
fi
for bench in "${benches[@]}"; do
  echo "== $bench"
  started=$SECONDS
  .venv/bin/python "$bench"
  echo "($bench took $(( SECONDS - started )) s)"
done
