#!/usr/bin/env bash
# Print the path of a working Python 3.10, or explain how to get one and fail.
for candidate in "${PYTHON:-}" python3.10 "$HOME"/.pyenv/versions/3.10.*/bin/python /usr/local/bin/python3.10 /usr/bin/python3.10; do
  [ -n "$candidate" ] || continue
  path=$(command -v "$candidate" 2>/dev/null) || continue
  if "$path" -c 'import sys, venv; sys.exit(0 if sys.version_info[:2] == (3, 10) else 1)' 2>/dev/null; then
    echo "$path"; exit 0
  fi
done
cat >&2 <<'MSG'
The coach needs Python 3.10 (Rasa 3.6 supports Python 3.8 to 3.10), and none was found.
Install it, then run make again, for example:
  - Debian/Ubuntu:  sudo apt-get install python3.10 python3.10-venv
  - pyenv:          pyenv install 3.10.13
  - macOS:          brew install python@3.10
Or point make at one: make run PYTHON=/path/to/python3.10
MSG
exit 1
