# The README's two commands: `make run` (main job, embedded, no server) and
# `make test` (whole suite against a real Neo4j that it starts and stops).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Each command installs what it needs: `make run` the main job's dependencies only; `make test` adds the
# extraction, test and check tools and the notebooks' kernel; `make lab` adds JupyterLab.
MAIN := $(VENV)/.installed-main
TEST := $(VENV)/.installed-test
LAB := $(VENV)/.installed-lab

.PHONY: run test check install lab bench clean neo4j-jars system-deps

$(MAIN): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e .
	touch $@

$(TEST): $(MAIN)
	$(BIN)/python -m pip install -q -e '.[test,notebooks]'
	touch $@

$(LAB): $(MAIN)
	$(BIN)/python -m pip install -q -e '.[extract,notebooks]'
	touch $@

install: $(TEST)

run: $(MAIN)
	$(BIN)/graphmodel run

# the house rules, before the suite: ruff (style, numpy docstrings), mypy, and the layers' import contracts
check: $(TEST)
	$(BIN)/ruff check graphmodel tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

test: check system-deps
	bash scripts/with-neo4j.sh $(BIN)/python -m pytest

# Debian's chromium for the browser test of the HTML export (needs root; no-op when present)
system-deps:
	bash scripts/install-system-deps.sh

# Benchmarks (not part of `make test`): synthetic graphs of 10k, 100k and 500k nodes; see bench/
# BENCH_ARGS passes further options, e.g. BENCH_ARGS="--results bench/results-X.json" (python -m bench.run --help)
BENCH_ARGS ?=
bench: $(TEST)
	NEO4J_HEAP=$${NEO4J_HEAP:-4g} NEO4J_PAGECACHE=$${NEO4J_PAGECACHE:-4g} \
		bash scripts/with-neo4j.sh $(BIN)/python -m bench.run --scales 10000,100000,500000 $(BENCH_ARGS)

lab: $(LAB)
	$(BIN)/jupyter lab notebooks/

clean:
	rm -rf out .pytest_cache

neo4j-jars:
	mvn -q -B -f neo4j/pom.xml dependency:copy-dependencies
