"""Model folders: a `model.json` manifest naming the family, plus the family's own files.

Nothing here unpickles: scikit-learn models go through skops with an explicit list of
trusted types, transformers through safetensors.
"""

from __future__ import annotations

import json
from dataclasses import asdict, is_dataclass
from dataclasses import fields as dataclass_fields
from pathlib import Path
from typing import Any, TypeVar

from pipeline.config import from_dict
from pipeline.models.base import ModelLoadError, MultiTaskModel
from pipeline.models.registry import FAMILIES
from pipeline.models.runtime import current_config_keys

MANIFEST = "model.json"
ConfigT = TypeVar("ConfigT")


def write_manifest(folder: Path, model: MultiTaskModel, config: Any = None,
                   **fields: Any) -> None:
    """Write `folder/model.json`: the model's family, each task's labels in column order,
    its config (a dataclass, stored as a dict) when it has one, then `fields` as given."""
    manifest: dict[str, Any] = {
        "family": model.family,
        "tasks": {task: model.classes(task).tolist() for task in model.tasks},
    }
    if config is not None:
        manifest["config"] = asdict(config) if is_dataclass(config) else dict(config)
    manifest.update(fields)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")


def read_manifest(folder: Path) -> dict:
    path = Path(folder) / MANIFEST
    if not Path(folder).is_dir():
        raise ModelLoadError(f"no model at {folder}: train one with `dvc repro` "
                             "(or `dvc repro train_baseline train_transformer`)")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelLoadError(f"{folder} is not a model folder (no {MANIFEST})") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ModelLoadError(f"{path} is corrupt: {error}") from None
    if not isinstance(manifest, dict) or "family" not in manifest:
        raise ModelLoadError(f"{path} does not name a model family")
    return manifest


def read_settings(folder: Path, config_class: type[ConfigT]) -> tuple[dict, ConfigT, int]:
    """What a family's `load()` starts from: the manifest, its config as `config_class`, and
    the seed. A missing or ill-typed config is a ModelLoadError naming the manifest."""
    manifest = read_manifest(folder)
    try:
        names = [field.name for field in dataclass_fields(config_class)]
        config = from_dict(config_class, current_config_keys(manifest["config"], folder, names))
    except (KeyError, TypeError, ValueError) as error:
        raise ModelLoadError(f"{Path(folder) / MANIFEST}: no valid "
                             f"{config_class.__name__} ({error})") from None
    return manifest, config, manifest.get("seed", 0)


def load_model(folder: Path | str) -> MultiTaskModel:
    """Load any saved model by reading its manifest. Raises ModelLoadError with the reason."""
    folder = Path(folder)
    family = read_manifest(folder)["family"]
    if family not in FAMILIES:
        raise ModelLoadError(f"{folder}: unknown model family {family!r} "
                             f"(known: {sorted(FAMILIES)})")
    try:
        family_class = FAMILIES[family].model_class()
    except ImportError as error:
        raise ModelLoadError(f"{folder}: loading a {family} model needs {error.name!r}, "
                             "which is not installed (pip install -e .)") from None
    return family_class.load(folder)
