# reportqa: `make run` serves the chat page, `make test` runs the whole suite.
# Both install into .venv first: torch pinned to the CPU build on this machine's disk,
# then the project with the tested versions in constraints.txt.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 7860

export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export GRADIO_ANALYTICS_ENABLED := False
export TOKENIZERS_PARALLELISM := false

.PHONY: install run test test-fast index lint bench ranker clean

$(STAMP): pyproject.toml constraints.txt
	@echo "reportqa: [1/4] virtual environment $(VENV)"
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "reportqa: [2/4] pip"
	$(BIN)/python -m pip install -q --upgrade pip
	@echo "reportqa: [3/4] torch 2.13.0, the CPU build on this machine's disk"
	$(BIN)/python -m pip install -q torch==2.13.0
	@echo "reportqa: [4/4] reportqa and its pinned dependencies (constraints.txt)"
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[test,fast]'
	touch $(STAMP)
	@echo "reportqa: installed into $(VENV)"

install: $(STAMP)

index: install
	@echo "reportqa: indexing corpus/ into index/ (the first time also converts the bundled model, ~35 s)"
	$(BIN)/reportqa ingest corpus/ --index index

run: index
	$(BIN)/reportqa serve --index index --host $(HOST) --port $(PORT)

test: install
	$(BIN)/ruff check qa qatools tests app.py
	$(BIN)/mypy qa qatools tests app.py
	$(BIN)/python -m pytest -q -ra

# One run over generated corpora of 10, 100, 1,000 and 10,000 reports (about an hour on 2 cores);
# results in benchmarks/results/. SIZES=10,100 for a quick look.
SIZES ?= 10,100,1000,10000
bench: install
	$(BIN)/reportqa bench --sizes $(SIZES) --out benchmarks/results

# Re-fit the answer ranker (qa/answering/ranker.json) on the real tuning half, the dev sets and a generated
# corpus, each asked against an index built here with the offline model (a few minutes).
FIT := build/fit
ranker: install
	$(BIN)/reportqa ingest tests/data/real/docs --index $(FIT)/real
	$(BIN)/reportqa ingest corpus tests/data/reports --index $(FIT)/dev
	$(BIN)/reportqa generate --reports 30 --seed 5 $(FIT)/gen5
	$(BIN)/reportqa ingest $(FIT)/gen5/reports --index $(FIT)/gen5-index
	$(BIN)/reportqa fit-ranker --set $(FIT)/real=tests/data/real/tuning.jsonl \
		--set $(FIT)/dev=tests/data/dev_reports.jsonl --set $(FIT)/dev=tests/data/dev_seed.jsonl \
		--set $(FIT)/gen5-index=$(FIT)/gen5/questions.jsonl

# The inner loop: everything but the real model and the browser (~20 s); `make test` runs all.
test-fast: install
	$(BIN)/python -m pytest -q -m "not model and not browser and not slow"

lint: install
	$(BIN)/ruff check qa qatools tests app.py
	$(BIN)/mypy qa qatools tests app.py

clean:
	rm -rf $(VENV) index/manifest.json index/gen-*
