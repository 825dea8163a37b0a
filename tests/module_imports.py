"""Reading a module's imports without running it: shared by the dvc.yaml deps test and the
import-direction test."""

import ast
from pathlib import Path


def import_nodes(path: Path) -> list[ast.Import | ast.ImportFrom]:
    """Every import statement in `path`, at module level or inside a function."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [node for node in ast.walk(tree) if isinstance(node, ast.Import | ast.ImportFrom)]


def imported_modules(path: Path) -> set[str]:
    """Project modules named by any absolute import statement in `path`, wherever it sits."""
    found = set()
    for node in import_nodes(path):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif node.module and node.level == 0:
            found.add(node.module)
            # `from pipeline.models import factory` may name a submodule.
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return {name for name in found if name.split(".")[0] == "pipeline"}


def relative_imports(path: Path) -> list[str]:
    """The relative imports in `path`, as written (`.models`, `..`)."""
    return ["." * node.level + (node.module or "") for node in import_nodes(path)
            if isinstance(node, ast.ImportFrom) and node.level]
