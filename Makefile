# Two commands for a fresh machine:  `make repro` (set up + run the pipeline), `make test`.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin

# Everything runs offline; models come from installed packages, never from a hub.
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export DVC_NO_ANALYTICS := 1
export PATH := $(abspath $(BIN)):$(PATH)

.PHONY: setup repro test lint params clean-venv

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

repro: setup  ## set up and run the whole DVC pipeline
	dvc repro

test: setup  ## set up, lint and run the test suite
	ruff check pipeline tests benchmarks
	pytest

lint: setup
	ruff check pipeline tests benchmarks

params: setup  ## recompose params.yaml after editing configs/
	stance params

clean-venv:
	rm -rf $(VENV)
