# Two entry points for a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint setup clean system-deps bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	$(BIN)/notegraph parse data/notes
	$(BIN)/notegraph build data/notes --out out
	$(BIN)/notegraph report --out out/report.html

# curl (an independent HTTP client for the endpoint tests) and Debian's chromium (opens the HTML
# report in the network tests); installed with apt-get when missing.
system-deps:
	@missing=""; \
	command -v curl >/dev/null || missing="$$missing curl"; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	if [ -n "$$missing" ]; then \
	  echo "installing$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq $$missing; \
	fi

test: $(STAMP) system-deps
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks

clean:
	rm -rf $(VENV) out .pytest_cache

# Figures for 100, 1,000 and 10,000 generated notes (not part of `make test`).
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet "reasonable>=0.4"
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)
