#!/usr/bin/env bash
# Start the action server and the Rasa server (REST + web chat), print the chat page's URL.
# Ctrl-C stops everything this script started. The terminal gets a few short lines: training (when the
# model's inputs changed) prints one line per step, and the servers' own output goes to var/log/.
set -euo pipefail
cd "$(dirname "$0")/.."
RASA_PORT=${RASA_PORT:-5005}
ACTIONS_PORT=${ACTIONS_PORT:-5055}
model=$(scripts/model.sh)  # status lines on stderr, Rasa's output in var/log/train-*.log
# Everything under var/ (database, secrets, documents, logs) is private to the user running the coach.
umask 077
mkdir -p var/log
chmod 700 var
# Rasa Open Source sends usage and error reports to its maker by default: nothing leaves this machine.
export RASA_TELEMETRY_ENABLED=false
export COACH_PUBLIC_URL=${COACH_PUBLIC_URL:-http://localhost:$RASA_PORT}
# Web sessions are signed with this secret: made once per installation unless you set one.
# The coach has no default secret: without one the Rasa server refuses to start.
if [ -z "${COACH_TOKEN_SECRET:-}" ]; then
  [ -s var/token-secret ] || .venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(48))' > var/token-secret
  COACH_TOKEN_SECRET=$(cat var/token-secret)
  export COACH_TOKEN_SECRET
fi
# Rasa's HTTP API (?token=) and the REST channel (Authorization: Bearer) need this token: made once, like the secret.
if [ -z "${COACH_API_TOKEN:-}" ]; then
  [ -s var/api-token ] || .venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(32))' > var/api-token
  COACH_API_TOKEN=$(cat var/api-token)
  export COACH_API_TOKEN
fi
# Each person's words are sealed in the database with these keys (newest first): made once, like the secret.
# Without the file (or COACH_DATA_KEYS) the servers refuse to start; without a copy of it the data cannot be read.
if [ -z "${COACH_DATA_KEYS:-}" ] && [ -z "${COACH_DATA_KEYS_FILE:-}" ]; then
  [ -s var/data-keys ] || .venv/bin/python -c \
    'from cryptography.fernet import Fernet; print("k1:" + Fernet.generate_key().decode())' > var/data-keys
  COACH_DATA_KEYS_FILE="$PWD/var/data-keys"
  export COACH_DATA_KEYS_FILE
fi
# The coach's tables, brought up to date before either server starts: this stops here, with a clear message,
# when the data keys are missing or do not open the stored data.
.venv/bin/python -m bot.cli migrate > /dev/null

# The Rasa server calls the action server on ACTIONS_PORT: endpoints.yml names the default one.
sed "s#127.0.0.1:5055/#127.0.0.1:$ACTIONS_PORT/#" endpoints.yml > var/endpoints.yml

pids=()
stop() {
  local status=$?
  trap - INT TERM EXIT
  echo; echo "Stopping the coach..."
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "Stopped."
  exit "$status"
}
trap stop INT TERM EXIT

echo "Starting the coach (about a minute)..."
start=$(date +%s%N)
# The action server runs on the Rasa SDK alone: it never loads Rasa itself or TensorFlow. The Rasa server is
# `rasa run` with its check of the action server's replies made cheaper (bot/channels/server.py).
SANIC_HOST=127.0.0.1 .venv/bin/python -m actions -p "$ACTIONS_PORT" > var/log/actions.log 2>&1 &
pids+=($!)
.venv/bin/python -m bot.channels.server run --model "$model" --enable-api -i 127.0.0.1 -p "$RASA_PORT" \
  --credentials credentials.yml --endpoints var/endpoints.yml --auth-token="$COACH_API_TOKEN" > var/log/rasa.log 2>&1 &
pids+=($!)

# Loading TensorFlow and the model takes about a minute, several on a busy machine.
wait_for() {  # url, name, pid, log (the URL goes to curl on stdin, so the token never shows in `ps`)
  local deadline=$(( SECONDS + 300 ))
  while [ $SECONDS -lt $deadline ]; do
    if printf 'url = "%s"\n' "$1" | curl -fs -K - > /dev/null 2>&1; then return 0; fi
    if ! kill -0 "$3" 2>/dev/null; then echo "The $2 stopped while starting; see $4." >&2; exit 1; fi
    sleep 0.2
  done
  echo "The $2 did not start within 5 min; see $4." >&2; exit 1
}
wait_for "http://127.0.0.1:$ACTIONS_PORT/health" "action server" "${pids[0]}" var/log/actions.log
wait_for "http://127.0.0.1:$RASA_PORT/status?token=$COACH_API_TOKEN" "Rasa server" "${pids[1]}" var/log/rasa.log
tenths=$(( ($(date +%s%N) - start) / 100000000 ))
printf '\nThe coach is ready (started in %d.%d s).\n' $(( tenths / 10 )) $(( tenths % 10 ))
echo "  Chat in your browser:  http://localhost:$RASA_PORT/webhooks/web/"
echo "  REST:                  POST http://localhost:$RASA_PORT/webhooks/rest/webhook"
echo "                         with the header \"Authorization: Bearer \$COACH_API_TOKEN\""
echo "  HTTP API:              http://localhost:$RASA_PORT/status?token=\$COACH_API_TOKEN"
if [ -s var/api-token ] && [ "$(cat var/api-token)" = "$COACH_API_TOKEN" ]; then
  echo "                         (in another shell: export COACH_API_TOKEN=\$(cat var/api-token))"
fi
echo "  Logs:                  var/log/"
echo "Press Ctrl-C to stop."
wait -n "${pids[@]}" || true
echo "The coach stopped by itself; see var/log/rasa.log and var/log/actions.log." >&2
exit 1
