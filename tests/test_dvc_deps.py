"""dvc.yaml cannot drift from the code: every project module a stage can import (at module
level or inside a function) is covered by that stage's deps."""

from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT
from tests.module_imports import imported_modules


def module_file(name: str) -> Path | None:
    path = ROOT / Path(*name.split("."))
    if (path / "__init__.py").is_file():
        return path / "__init__.py"
    if path.with_suffix(".py").is_file():
        return path.with_suffix(".py")
    return None


def reachable_files(module: str) -> set[Path]:
    """Every project file reachable from `module` through imports, packages' __init__ too."""
    seen: set[Path] = set()
    queue = [module]
    while queue:
        name = queue.pop()
        parts = name.split(".")
        for depth in range(1, len(parts) + 1):
            path = module_file(".".join(parts[:depth]))
            if path and path not in seen:
                seen.add(path)
                queue += imported_modules(path)
    return seen


def stages() -> dict:
    return yaml.safe_load((ROOT / "dvc.yaml").read_text(encoding="utf-8"))["stages"]


@pytest.mark.parametrize("name", sorted(stages()))
def test_stage_deps_cover_every_module_it_imports(name):
    stage = stages()[name]
    module = stage["cmd"].split()[2]
    assert stage["cmd"].startswith("python -m pipeline.stages.")
    deps = [ROOT / dep for dep in stage["deps"] if not dep.startswith("${")]
    uncovered = sorted(
        str(path.relative_to(ROOT)) for path in reachable_files(module)
        # An empty package marker (pipeline/, pipeline/stages/) holds no code to track.
        if path.read_text(encoding="utf-8").strip()
        if not any(path == dep or dep in path.parents for dep in deps))
    assert not uncovered, f"stage {name} imports modules missing from its deps: {uncovered}"


def test_the_walk_sees_imports_inside_functions():
    files = {str(p.relative_to(ROOT)) for p in reachable_files("pipeline.stages.crossval")}
    assert "pipeline/models/transformer.py" in files  # imported lazily by the factory
