# The two commands of the README: `make run` and `make test`. Both work on a fresh clone.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
# pyenv reads .python-version (3.12); elsewhere python3.12 must be on the PATH.
PYTHON ?= $(shell command -v python3.12 2>/dev/null || command -v python3)
PYTEST_WORKERS ?= 2

.PHONY: run test faults lint messages bench screenshots

$(VENV)/.python-ok:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 12) else 1)' || \
	  { echo "Python 3.12 is needed (found $$($(PYTHON) --version 2>&1) at $(PYTHON)); install it or set PYTHON=/path/to/python3.12" >&2; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --upgrade pip
	@touch $@

$(VENV)/.installed: $(VENV)/.python-ok pyproject.toml
	$(PY) -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.python-ok pyproject.toml
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(VENV)/.installed $@

$(VENV)/.installed-bench: $(VENV)/.python-ok pyproject.toml
	$(PY) -m pip install --quiet -e '.[bench]'
	@touch $(VENV)/.installed $@

run: $(VENV)/.installed
	@exec $(PY) -m osce_portal.runner

# The benchmark (bench/README.md): `make bench BENCH_ARGS="--scale 100"`; results in bench/results/.
bench: $(VENV)/.installed-bench
	@exec $(PY) -m bench $(BENCH_ARGS)

APPS := osce_portal core accounts states missions secondments elections webhooks bench

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	@# django-stubs imports the settings; with no URL set they would start the embedded servers, and
	@# mypy leaves by os._exit (no atexit: they would keep running). URLs that are never reached:
	DJANGO_SETTINGS_MODULE=osce_portal.settings.test DATABASE_URL=postgresql://mypy@127.0.0.1:1/none \
	  REDIS_URL=redis://127.0.0.1:1/0 $(VENV)/bin/mypy $(APPS)

test: lint
	DJANGO_SETTINGS_MODULE=osce_portal.settings.test $(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

# The fault tests alone (they also run in `make test`): Redis down, a worker killed, PostgreSQL
# restarted, fifty requests at once (tests/faults).
faults: $(VENV)/.installed-dev
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) --dist loadgroup -m faults $(PYTEST_ARGS) tests/faults

# After changing user-facing strings: refresh the catalogs, translate the new entries in
# locale/*/LC_MESSAGES/django.po, then compile (needs GNU gettext). The .mo files are committed.
messages: $(VENV)/.installed-dev
	DEBUG=1 $(PY) manage.py makemessages -l fr -l de -l it -l ru -l es --ignore=.venv --ignore=var --ignore=tests --ignore=bench --no-obsolete
	DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv

# The README's pictures: a portal of its own on a throwaway database (var/screenshots/), demo data,
# Playwright and Debian's Chromium; writes docs/screenshots/*.png.
screenshots: $(VENV)/.installed-dev
	$(PY) docs/screenshots/make.py
