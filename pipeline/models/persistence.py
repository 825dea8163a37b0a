"""Model folders: a `model.json` manifest naming the family, plus the family's own files.

Nothing here unpickles: scikit-learn models go through skops with an explicit list of
trusted types, transformers through safetensors.
"""

from __future__ import annotations

import json
from importlib import import_module
from pathlib import Path

from pipeline.models.base import ModelLoadError, MultiTaskModel

MANIFEST = "model.json"


# Family -> (module, class), imported only when a model of that family is loaded, so that
# scoring with the transformer does not spend seconds importing SetFit and skops.
FAMILIES = {
    "baseline": ("pipeline.models.baseline", "BaselineModel"),
    "transformer": ("pipeline.models.transformer", "TransformerModel"),
    "setfit": ("pipeline.models.setfit_model", "SetFitMultiTask"),
}


def write_manifest(folder: Path, family: str, extra: dict) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MANIFEST).write_text(json.dumps({"family": family, **extra}, indent=2) + "\n",
                                   encoding="utf-8")


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


def load_model(folder: Path | str) -> MultiTaskModel:
    """Load any saved model by reading its manifest. Raises ModelLoadError with the reason."""
    folder = Path(folder)
    family = read_manifest(folder)["family"]
    if family not in FAMILIES:
        raise ModelLoadError(f"{folder}: unknown model family {family!r} "
                             f"(known: {sorted(FAMILIES)})")
    module, name = FAMILIES[family]
    try:
        family_class: type[MultiTaskModel] = getattr(import_module(module), name)
    except ImportError as error:
        raise ModelLoadError(f"{folder}: loading a {family} model needs {error.name!r}, "
                             "which is not installed (pip install -e .)") from None
    return family_class.load(folder)
