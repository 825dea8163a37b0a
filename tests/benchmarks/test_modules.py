"""Every benchmark module imports (a moved library function breaks them silently otherwise),
and the inference paths it compares are ones `stance score` offers."""

import importlib
from pathlib import Path

import pytest

from pipeline.models.runtime import RUNTIMES

BENCHMARKS = sorted(p.stem for p in (Path(__file__).parents[2] / "benchmarks").glob("*.py")
                    if p.stem != "__init__")


@pytest.mark.parametrize("name", BENCHMARKS)
def test_benchmark_module_imports(name):
    module = importlib.import_module(f"benchmarks.{name}")
    if hasattr(module, "main"):
        assert callable(module.main)


def test_gold_check_paths_are_scoring_runtimes():
    from benchmarks.inference_gold import PATHS

    assert {"bf16", "torchscript_bf16"} <= set(PATHS)
    assert all(options.runtime in RUNTIMES for options in PATHS.values())
