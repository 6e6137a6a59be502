# make run     – set up, load the demo archive, create an editor, serve on 127.0.0.1:$(PORT)
# make test    – install, lint and run the whole test suite (test databases only)
# make lint    – ruff, django-upgrade, makemigrations --check, import layers and mypy, changing nothing
# make setup   – virtualenv, locked dependencies, .env.local, migrations (make run starts with it)
# make editor-password – a new password for the editor account that make run created
# make lock    – recompile requirements*.txt from requirements*.in, upgrading nothing
# make upgrade – recompile them with every package at its newest allowed version
# make messages – recompile locale/*/LC_MESSAGES/django.mo after editing a .po (needs gettext)

PYTHON ?= python3
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Development settings that the settings module reads (see newsroom/settings.py).
ENV_FILE := .env.local

# One lock for every platform and every Python from 3.11 on (the project's
# minimum, and the Docker image's), each file pinned with its hashes.
COMPILE := $(BIN)/uv pip compile --quiet --universal --python-version 3.11 \
	--generate-hashes --custom-compile-command "make lock"

.PHONY: setup run editor-password test lint lock upgrade bench-import clean messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# requirements-dev.txt holds every package, the production ones included.
$(STAMP): requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.txt
	touch $(STAMP)

# Written once: a developer's own file (and key) is never replaced. The key is
# this checkout's alone, so sessions survive restarts and no key is shared.
$(ENV_FILE): | $(BIN)/python
	@key=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))') \
	&& (umask 077 && printf '%s\n' \
		'# Development settings for this checkout, written by make setup; git-ignored.' \
		'# Variables set in the environment win over these.' \
		'DEBUG=1' "SECRET_KEY=$$key" > $@.tmp) \
	&& mv $@.tmp $@
	@echo "Wrote $@: DEBUG=1 and a SECRET_KEY of this checkout's own."

setup: $(STAMP) $(ENV_FILE)
	$(BIN)/python manage.py migrate --noinput

run: setup
	$(BIN)/python manage.py import_legacy fixtures/legacy --images fixtures/images
	$(BIN)/python manage.py create_editor
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Also signs out whoever is logged in as the editor.
editor-password: setup
	$(BIN)/python manage.py create_editor --reset-password

# Checks only, never rewrites: django-upgrade --check lists the files it would
# change, makemigrations --check fails on a model change without a migration
# (in an in-memory database, so db.sqlite3 is never opened), lint-imports
# keeps the apps' dependencies pointing one way, and mypy reads its settings
# from pyproject.toml.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	git ls-files -z --cached --others --exclude-standard '*.py' \
		| xargs -0r $(BIN)/django-upgrade --target-version 5.2 --check
	DJANGO_SETTINGS_MODULE=newsroom.test_settings DATABASE_URL=sqlite://:memory: \
		$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy

# Not `setup`: the tests make their own databases and never need db.sqlite3
# or .env.local.
test: $(STAMP) lint
	$(BIN)/python -m pytest

# The development lock is compiled second, against the production one, so
# both pin the same version of every package they share.
# LOCK_ARGS="--upgrade-package django" moves one package on.
lock: $(STAMP)
	$(COMPILE) $(LOCK_ARGS) requirements.in -o requirements.txt
	$(COMPILE) $(LOCK_ARGS) requirements-dev.in -o requirements-dev.txt

upgrade: $(STAMP)
	$(COMPILE) --upgrade requirements.in -o requirements.txt
	$(COMPILE) --upgrade requirements-dev.in -o requirements-dev.txt

# The compiled catalogues are committed, so setup, test, CI and the image need
# no gettext; after editing a .po, run this and commit both files.
messages: $(STAMP)
	$(BIN)/python manage.py compilemessages --ignore '$(VENV)/*'

bench-import: setup
	$(BIN)/python bench/import_bench.py

# The site under gunicorn with the shared HTTP harness (bench/site_http.py):
# N stories (100,000), SQLite unless DATABASE_URL says otherwise; the archive
# is kept in .bench/ (or the PostgreSQL database) and reused. BENCH_ARGS adds
# options, e.g. BENCH_ARGS="--duration 5".
N ?= 100000
.PHONY: bench
bench: $(STAMP)
	N=$(N) $(BIN)/python bench/site_http.py $(BENCH_ARGS)

# Ours, the Wagtail peer and the ceilings at the same N, on the peer's archive
# (bench/compare.py): 20,000 stories unless N= says otherwise.
.PHONY: bench-compare
bench-compare: N = 20000
bench-compare: $(STAMP)
	N=$(N) $(BIN)/python bench/compare.py $(BENCH_ARGS)

# e.g. make bench-site BENCH_ARGS="--stories 20000" (see bench/site_bench.py)
.PHONY: bench-site
bench-site: setup
	$(BIN)/python bench/site_bench.py $(BENCH_ARGS)

# 100 connections for 60 s against the home, story and topic pages under
# gunicorn (needs wrk); e.g. make bench-load BENCH_ARGS="--duration 20".
.PHONY: bench-load
bench-load: setup
	$(BIN)/python bench/load_faults.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* media staticfiles
