"""Imports point one way: `pipeline.cli` and `pipeline.stages` sit above the library, and no
library module imports them, at module level or inside a function."""

from pathlib import Path

from tests.conftest import ROOT
from tests.module_imports import imported_modules, relative_imports

PACKAGE = ROOT / "pipeline"
UPPER = ("pipeline.cli", "pipeline.stages")


def is_upper(name: str) -> bool:
    return any(name == upper or name.startswith(upper + ".") for upper in UPPER)


def library_modules() -> list[Path]:
    return [path for path in sorted(PACKAGE.rglob("*.py"))
            if path != PACKAGE / "cli.py" and PACKAGE / "stages" not in path.parents]


def test_no_library_module_imports_the_cli_or_a_stage():
    upward = {str(path.relative_to(ROOT)): sorted(filter(is_upper, imported_modules(path)))
              for path in library_modules()}
    assert {path: names for path, names in upward.items() if names} == {}


def test_the_package_uses_absolute_imports_only():
    # A relative import could reach a stage without naming `pipeline.stages`.
    relative = {str(path.relative_to(ROOT)): relative_imports(path)
                for path in sorted(PACKAGE.rglob("*.py"))}
    assert {path: names for path, names in relative.items() if names} == {}


def test_the_check_sees_imports_inside_functions(tmp_path):
    module = tmp_path / "late.py"
    module.write_text("def run():\n    from pipeline.stages.common import load_training_inputs\n"
                      "    from . import sibling\n")
    assert any(is_upper(name) for name in imported_modules(module))
    assert relative_imports(module) == ["."]
    assert not is_upper("pipeline.stagesmith")
    assert len(library_modules()) > 20 and not any("stages" in p.parts for p in library_modules())
