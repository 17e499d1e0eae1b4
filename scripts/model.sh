#!/usr/bin/env bash
# Train the Rasa model only when its inputs changed; print the model's path.
# The model is named by a hash of data/, domain.yml, config.yml and the NLU components,
# and cached under models/ (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
hash=$(find data domain.yml config.yml bot/nlu -type f \( -name '*.yml' -o -name '*.py' \) -print0 \
  | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)
model="models/coach-$hash.tar.gz"
if [ ! -f "$model" ]; then
  echo "Training the model (inputs changed: $hash)..." >&2
  start=$(date +%s)
  .venv/bin/rasa train --fixed-model-name "coach-$hash" --out models >&2
  echo "Trained in $(( $(date +%s) - start )) s" >&2
fi
echo "$model"
