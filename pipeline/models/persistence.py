"""Model folders: a `model.json` manifest naming the family, plus the family's own files.

Nothing here unpickles: scikit-learn models go through skops with an explicit list of
trusted types, transformers through safetensors.
"""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.models.base import ModelLoadError, MultiTaskModel

MANIFEST = "model.json"


def _families() -> dict[str, type[MultiTaskModel]]:
    # Imported lazily: loading a baseline must not pay for importing torch.
    from pipeline.models.baseline import BaselineModel

    families: dict[str, type[MultiTaskModel]] = {"baseline": BaselineModel}
    try:
        from pipeline.models.setfit_model import SetFitMultiTask
        from pipeline.models.transformer import TransformerModel
    except ImportError:  # pragma: no cover - torch missing
        return families
    families["transformer"] = TransformerModel
    families["setfit"] = SetFitMultiTask
    return families


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
    families = _families()
    if family not in families:
        raise ModelLoadError(f"{folder}: unknown model family {family!r} "
                             f"(known: {sorted(families)})")
    return families[family].load(folder)
