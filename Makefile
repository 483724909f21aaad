# eban — the project's vocabulary. Everything runs inside .venv, created by `make install`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
EBAN := $(VENV)/bin/eban
PYTEST := $(VENV)/bin/pytest
TEST_ARGS ?=

.PHONY: install demo serve test e2e bench lint format messages clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

demo: install
	$(EBAN) demo

serve: install
	$(EBAN) serve

# pytest's exit code 5 ("no tests collected", e.g. a -m selection that matches nothing) is not a failure.
test: install
	$(PYTEST) -n 2 $(TEST_ARGS) || [ $$? -eq 5 ]

e2e: install
	$(PYTEST) -m browser $(TEST_ARGS) || [ $$? -eq 5 ]

# Benchmarks run on SQLite and, when it answers, on PostgreSQL (DATABASE_URL or the local server).
BENCH_DATABASE_URL ?= postgres://root@127.0.0.1:5432/test
bench: install
	@url="$${DATABASE_URL:-$(BENCH_DATABASE_URL)}"; \
	if $(PY) -c "import sys, psycopg; psycopg.connect(sys.argv[1], connect_timeout=3).close()" "$$url" 2>/dev/null; then \
		DATABASE_URL="$$url" $(PY) -m bench $(BENCH_ARGS); \
	else \
		echo "PostgreSQL does not answer at $$url: SQLite figures only"; $(PY) -m bench $(BENCH_ARGS); \
	fi

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

messages: install
	cd eban && ../$(EBAN) makemessages -l zh_Hans --no-obsolete --ignore "tests/*" --ignore "*/tests/*" && ../$(EBAN) compilemessages -l zh_Hans

clean:
	rm -rf $(VENV) var .pytest_cache
