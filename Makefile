# Two commands set everything up: `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-latest lock lint bench eval train train-derivation train-static \
	train-cleaner clean \
	install browser notebook java \
	spark-cluster-test bench-scale

# Everything `make demo` and `make test` install, and the versions they were tested with.
# pyproject.toml keeps lower-bound ranges for `pip install newstrace`; the constraints file pins
# what the two commands (and .ci/run) install, so a green run here is a green run anywhere.
# `make lock` refreshes it from a fresh resolve; `make test-latest` tries the newest versions.
EXTRAS := dev,bench,paraphrase,static,nlp,web,frames,notebook,spark
CONSTRAINTS := requirements/constraints.txt

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip -c $(CONSTRAINTS)

$(STAMP): pyproject.toml $(CONSTRAINTS) | $(BIN)/python
	$(BIN)/pip install --quiet -c $(CONSTRAINTS) -e '.[$(EXTRAS)]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	rm -f examples/demo.db examples/demo.db-wal examples/demo.db-shm
	$(BIN)/newstrace analyze examples/articles --db examples/demo.db --out examples/out
	@echo "report: examples/out/index.html"
	$(BIN)/newstrace relations --db examples/demo.db --table
	$(BIN)/newstrace trace alpinepress-original.html --db examples/demo.db
	$(BIN)/newstrace compare --db examples/demo.db trendwire-spin.html alpinepress-original.html

# The browser tests drive Debian's chromium through Playwright (Playwright's own browser
# download is not used). Installed here when missing and running as root (CI runs as root on a
# fresh machine); otherwise the tests fail with a message saying how to install it, unless
# NEWSTRACE_SKIP_BROWSER=1 opts out of them.
CHROMIUM ?= /usr/bin/chromium
browser:
	@if [ ! -x $(CHROMIUM) ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "installing chromium (Debian package) for the browser tests"; \
	  (apt-get install -y chromium >/dev/null 2>&1 \
	   || (apt-get update >/dev/null && apt-get install -y chromium >/dev/null)); \
	fi

# The Spark test (tests/test_spark.py) needs a Java runtime: Debian's headless JRE is installed
# when `java` is missing and running as root (CI), as chromium is for the browser tests.
java:
	@if ! command -v java >/dev/null && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "installing openjdk-17-jre-headless (Debian package) for the Spark test"; \
	  (apt-get install -y openjdk-17-jre-headless >/dev/null 2>&1 \
	   || (apt-get update >/dev/null && apt-get install -y openjdk-17-jre-headless >/dev/null)); \
	fi

# A real standalone cluster (a master and two workers on loopback) runs the Spark job on the
# example collection and must give the tables a local[2] run gives (docs/spark.md).
spark-cluster-test: $(STAMP) java
	$(BIN)/python -m bench.spark_cluster

# pytest exits 5 when it collects no test; that fails the target like any other failure.
test: $(STAMP) browser java
	@$(BIN)/python -m pytest -q || { status=$$?; \
	  if [ $$status -eq 5 ]; then echo "make test: pytest collected no tests" >&2; fi; \
	  exit $$status; }

# The suite on the newest versions pip resolves within pyproject.toml's ranges, in a venv of
# its own; run it before `make lock` and when a dependency releases.
LATEST := .venv-latest
test-latest: browser java
	rm -rf $(LATEST)
	$(PYTHON) -m venv $(LATEST)
	$(LATEST)/bin/python -m pip install --quiet --upgrade pip
	$(LATEST)/bin/pip install --quiet --upgrade -e '.[$(EXTRAS)]'
	$(LATEST)/bin/pip freeze --exclude-editable > $(LATEST)/versions.txt
	@echo "testing with the newest versions (list: $(LATEST)/versions.txt)"
	$(LATEST)/bin/python -m pytest -q

# Refresh the constraints from a fresh resolve of the newest versions, then test them.
lock: test-latest
	{ echo "# Tested versions for make demo / make test / .ci/run; made by make lock on $$(date -u +%F)."; \
	  echo "pip==$$($(LATEST)/bin/pip --version | cut -d' ' -f2)"; \
	  cat $(LATEST)/versions.txt; } > $(CONSTRAINTS)
	@echo "wrote $(CONSTRAINTS); commit it"

# The example notebook executed in a fresh kernel and rendered to docs/notebook.html (make test
# runs it too, without writing the page).
notebook: $(STAMP)
	$(BIN)/python tests/notebooks.py examples/newstrace.ipynb docs/notebook.html

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python -m bench.run all

# Where `analyze` spends its time, stage by stage beside each stage's floor: 10,000 synthetic
# articles, or NEWSTRACE_BENCH_SCALE_N of them (1000000 for the million).
bench-scale: $(STAMP)
	$(BIN)/python -m bench.run scale

eval: $(STAMP)
	$(BIN)/python -m bench.run eval

# Refit the shipped models, each written with its cross-validated figures: the derivation
# model on corpus/derivation (+ spread-dev, wild-dev where present), to
# src/newstrace/stages/reuse/derivation_model.json; the text-dump cleaner's line model on
# aeb-dev and wild-dev dumps (NEWSTRACE_DATA or ../shared/data), to
# src/newstrace/stages/clean/line_model.json.
# `make train-derivation` or `make train-cleaner` refits one of them.
train: train-derivation train-static train-cleaner

train-derivation: $(STAMP)
	$(BIN)/python -m bench.train_derivation --write

# The static sentence model's derivation model, cosine map and the cascade's undecided band
# (issue 21), to src/newstrace/stages/reuse/derivation_model_static.json; the MiniLM model
# is read, not refitted. Run after train-derivation.
train-static: $(STAMP)
	$(BIN)/python -m bench.train_static --write

train-cleaner: $(STAMP)
	$(BIN)/python -m bench.fit_cleaner --write

clean:
	rm -rf $(VENV) $(LATEST) examples/demo.db* examples/out
