#!/usr/bin/env bash
# Train the Rasa model only when its inputs changed; print the model's path (and only that) on stdout.
# The model is named by a hash of data/, domain.yml, config.yml and the NLU components,
# and cached under models/ (git-ignored). Training prints one line per step on stderr; Rasa's whole
# output goes to var/log/train-<hash>.log, and each training's time to var/log/training.jsonl.
set -euo pipefail
cd "$(dirname "$0")/.."
hash=$(find data domain.yml config.yml bot/nlu -type f \( -name '*.yml' -o -name '*.py' \) -print0 \
  | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)
model="models/coach-$hash.tar.gz"
if [ ! -f "$model" ]; then
  # var/ (database, secrets, documents, logs) is private to the user running the coach.
  (umask 077 && mkdir -p var/log) && chmod 700 var
  .venv/bin/python scripts/train_model.py --model "$model" --log "var/log/train-$hash.log" -- \
    .venv/bin/rasa train --fixed-model-name "coach-$hash" --out models >&2
fi
echo "$model"
