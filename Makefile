# Scope for Growth coach. `make run` to chat, `make test` to test. Both set everything up.
SHELL := /bin/bash
export TF_CPP_MIN_LOG_LEVEL := 2
# Rasa sends usage and error reports to its maker unless told not to: nothing leaves the machine (docs/dpia.md).
export RASA_TELEMETRY_ENABLED := false
.DEFAULT_GOAL := run
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.deps-stamp
WEB_STAMP := bot/web/node_modules/.stamp
# The SBOM and advisory tools live in a venv of their own, so their dependencies never move the coach's pins.
TOOLS := var/tools
TOOLS_STAMP := $(TOOLS)/.stamp
SBOM := var/sbom/coach.cdx.json

.PHONY: run prod test lint bench model setup clean teams-package sbom audit

$(STAMP): pyproject.toml requirements.lock scripts/install_spacy_model.py
	@test -x $(PY) || { python=$$(scripts/find-python.sh) && echo "Creating $(VENV) with $$python" && $$python -m venv $(VENV); }
	@$(PY) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 10) else 1)' || { echo "$(VENV) is not Python 3.10: remove it and run make again"; exit 1; }
	$(PY) -m pip install -q "pip==24.3.1" "setuptools==70.3.0" "wheel==0.45.1"
	$(PY) -m pip install -q -c requirements.lock -e '.[dev]'
	$(PY) scripts/install_spacy_model.py
	@touch $@

$(WEB_STAMP): bot/web/package.json bot/web/package-lock.json
	@command -v npm > /dev/null || scripts/system-packages.sh
	cd bot/web && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

setup: $(STAMP) $(WEB_STAMP)

model: setup
	@scripts/model.sh > /dev/null

run: setup
	@scripts/run.sh

# The production profile on this machine: nginx (TLS) in front of two Rasa replicas and two action servers, with
# PostgreSQL and Redis, none of them as root (deploy/profile.py, docs/deploy.md).
prod: setup
	@scripts/system-packages.sh servers
	@$(PY) -m deploy.profile --model "$$(scripts/model.sh)"

test: setup
	@scripts/system-packages.sh
	@scripts/test.sh

lint: setup
	$(VENV)/bin/ruff check bot actions tests scripts bench deploy
	$(VENV)/bin/mypy bot actions deploy

bench: setup model
	@scripts/bench.sh $(BENCH)

$(TOOLS_STAMP): Makefile
	@(umask 077 && mkdir -p var) && chmod 700 var
	@test -x $(TOOLS)/bin/python || $(PY) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install -q "cyclonedx-bom==7.5.0" "pip-audit==2.10.1"
	@touch $@

# A CycloneDX SBOM (JSON) of what `make setup` installed from the pins: every package in .venv, its version,
# licence and package URL, with the project itself as the root component (docs/security.md).
sbom: setup $(TOOLS_STAMP)
	@(umask 077 && mkdir -p $(dir $(SBOM)))
	umask 077 && $(TOOLS)/bin/cyclonedx-py environment --pyproject pyproject.toml --of JSON --output-reproducible \
		-o $(SBOM) $(PY)
	@echo "CycloneDX SBOM of the installed dependencies: $(SBOM)"

# Known advisories against every pinned package (requirements.lock pins the whole tree, dev tools included).
# Needs PyPI's advisory data over the network, so `make test` never runs it; --strict fails the audit when a
# package could not be checked (a mirror without advisory data), rather than reporting "no known vulnerabilities".
audit: setup $(TOOLS_STAMP)
	$(TOOLS)/bin/pip-audit --strict --requirement requirements.lock --no-deps --disable-pip --progress-spinner off

teams-package: setup
	$(PY) -m bot.channels.teams_package

clean:
	rm -rf models var .pytest_cache
