# make run   – set up, load the demo archive, create an editor, serve on 127.0.0.1:$(PORT)
# make test  – set up, then lint and run the whole test suite
# make setup – virtualenv, dependencies, migrations (both commands start with it)

PYTHON ?= python3
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# `make run` is a development server: DEBUG on unless the caller says otherwise.
RUN_ENV := DEBUG=$${DEBUG:-1}

.PHONY: setup run test lint bench-import clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

setup: $(STAMP)
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput

run: setup
	$(RUN_ENV) $(BIN)/python manage.py import_legacy fixtures/legacy --images fixtures/images
	$(RUN_ENV) $(BIN)/python manage.py create_editor
	$(RUN_ENV) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

lint: $(STAMP)
	$(BIN)/ruff check .

test: setup lint
	$(BIN)/python -m pytest

bench-import: setup
	$(BIN)/python bench/import_bench.py

# e.g. make bench-site BENCH_ARGS="--stories 20000" (see bench/site_bench.py)
.PHONY: bench-site
bench-site: setup
	$(BIN)/python bench/site_bench.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* media staticfiles
