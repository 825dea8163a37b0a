"""Shared fixtures: repository paths, the default split config, offline model hubs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from pipeline.config import SplitConfig, from_dict, load_params  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "data" / "raw" / "articles"


@pytest.fixture(scope="session")
def params() -> dict:
    return load_params(ROOT / "params.yaml")


@pytest.fixture(scope="session")
def split_config(params) -> SplitConfig:
    return from_dict(SplitConfig, params["split"])


@pytest.fixture(autouse=True)
def _in_repo_root(monkeypatch):
    """Code reads params.yaml relative to the working directory, as DVC stages do."""
    monkeypatch.chdir(ROOT)
