# OctaSIP Desktop. `make test` installs what it needs (Debian packages as root, the venv) and runs
# ruff and pytest; the tests start and stop their own servers (Kamailio, baresip, SIPp,
# gnome-keyring-daemon on a private D-Bus, PulseAudio, Xvfb).

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
# Python >= 3.11 used to create the venv (override: make PYTHON=python3.12 venv).
PYTHON ?= $(shell scripts/find-python.sh 2>/dev/null || echo python3)
PYTEST_ARGS ?=

# Tests never touch the developer's own keyring or data: without the `secret_service` fixture the
# keyring is keyring's "fail" backend (refused by OctaSIP), and OCTASIP_HOME is a scratch directory.
# The fixtures point both at the private test services instead.
TEST_ENV := PYTHON_KEYRING_BACKEND=keyring.backends.fail.Keyring OCTASIP_HOME=$(CURDIR)/tmp/test-home \
	QT_QPA_PLATFORM=offscreen

.PHONY: help deps venv lint test run bench dist translations install-desktop uninstall-desktop clean distclean

help:
	@echo "make deps    install the Debian packages in scripts/debian-packages.txt (root; else prints the command)"
	@echo "make venv    create/update .venv (Python >= 3.11) with octasip[test,lint]"
	@echo "make lint    ruff check"
	@echo "make test    deps + venv + lint + pytest against real local servers"
	@echo "make run     start the app (without a display: how to use the CLI)"
	@echo "make bench   run benchmarks/*.py"
	@echo "make dist    build the one-folder bundle in dist/octasip and smoke-test it"
	@echo "make install-desktop   add OctaSIP to the desktop menu and make it the sip:/tel: link handler"
	@echo "make clean   remove caches and scratch files; make distclean also removes .venv"

deps:
	@scripts/deps.sh "$(PYTHON)"

venv:
	@scripts/venv.sh "$(PYTHON)"

lint: venv
	$(VENV)/bin/ruff check .

test: deps venv
	$(VENV)/bin/ruff check .
	@rm -rf tmp/test-home && mkdir -p tmp/test-home
	$(TEST_ENV) $(PY) -m pytest -ra $(PYTEST_ARGS)

run: venv
	@scripts/run-app.sh

bench: deps venv
	@set -e; for script in benchmarks/[!_]*.py; do \
		echo "== $$script"; \
		$(PY) "$$script"; \
	done

# The self-contained one-folder bundle (dist/octasip/), built with PyInstaller, then smoke-tested
# as a user would run it (not the source tree): --version, doctor, a headless echo test, and a launch
# under Xvfb that paints the main window.
dist: deps
	@OCTASIP_EXTRAS=test,lint,dist scripts/venv.sh "$(PYTHON)"
	$(VENV)/bin/pyinstaller --noconfirm --clean --log-level WARN --distpath dist --workpath build/pyinstaller \
		packaging/octasip.spec
	$(PY) scripts/dist_smoke.py dist/octasip/octasip

# Launcher, icons and sip:/sips:/tel: link handling for the current user (no root needed).
install-desktop: venv
	@scripts/install-desktop.sh

uninstall-desktop:
	@scripts/install-desktop.sh --uninstall

# The translation template: every self.tr() string of the UI. Translate a copy (octasip_de.ts, ...)
# with pyside6-linguist, then: .venv/bin/pyside6-lrelease resources/translations/octasip_de.ts
translations: venv
	$(VENV)/bin/pyside6-lupdate octasip/ui/*.py octasip/app.py -ts resources/translations/octasip.ts

clean:
	rm -rf .pytest_cache .ruff_cache build dist tmp .stamps *.egg-info
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)
