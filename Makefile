VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test bench lint clean

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/steward run

test: $(STAMP)  ## one pytest-xdist worker per CPU (4 at most); PYTEST_ARGS="-n 0": serial
	$(VENV)/bin/pytest -n logical --maxprocesses 4 --dist loadfile $(PYTEST_ARGS)

bench: $(STAMP)  ## the benchmark table (benchmarks/results.json); QUICK=1: small sizes
	$(PY) -m tests.bench $(if $(filter-out 0,$(QUICK)),--quick)

lint: $(STAMP)
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) .pytest_cache steward.db steward.db-wal steward.db-shm steward.db.migrate.lock
