# BESA: the two commands a newcomer needs are `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# Settings for test runs only: production settings come from the environment (docs/operations.md).
# One pytest worker per core; each test module stays on one worker (module-scoped demo loads).
PYTEST_ARGS ?= -n auto --dist loadscope
TEST_ENV := BESA_SECRET_KEY=test-only-secret-never-use-in-production-0123456789 BESA_ALLOWED_HOSTS=testserver,127.0.0.1,localhost

.PHONY: demo test lint typecheck pytest install clean messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Reinstall whenever pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

demo: install
	mkdir -p var
	$(BIN)/besa demo

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: install
	$(TEST_ENV) $(BIN)/mypy src

pytest: install
	mkdir -p var
	$(TEST_ENV) $(BIN)/besa makemigrations --check --dry-run
	$(TEST_ENV) $(BIN)/pytest $(PYTEST_ARGS)

test: lint typecheck pytest

messages: install
	cd src/besa && BESA_DEBUG=1 ../../$(BIN)/besa makemessages -l en --no-obsolete && BESA_DEBUG=1 ../../$(BIN)/besa compilemessages

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
