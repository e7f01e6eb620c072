# The README's two commands: `make run` (main job, embedded, no server) and
# `make test` (whole suite against a real Neo4j that it starts and stops).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install lab bench clean neo4j-jars

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test,notebooks]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/graphmodel run

test: $(STAMP)
	bash scripts/with-neo4j.sh $(BIN)/python -m pytest

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

clean:
	rm -rf out .pytest_cache

neo4j-jars:
	mvn -q -B -f neo4j/pom.xml dependency:copy-dependencies
