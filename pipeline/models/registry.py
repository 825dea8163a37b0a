"""The one table of model families: what each name loads as, how a fresh one is built from
params, and which training rows it learns from.

Stages (train, crossval, learning curve), `load_model` (by the manifest's family) and the
scoring CLI's `--model` all look names up here. Classes are imported only when used, so that
scoring with the transformer does not spend seconds importing SetFit and skops.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from importlib import import_module
from pathlib import Path

from pipeline.config import (
    BaselineConfig,
    DataConfig,
    DistillConfig,
    EncoderConfig,
    LabelingConfig,
    PathsConfig,
    SplitConfig,
    TransformerConfig,
    load_section,
)
from pipeline.models.base import MultiTaskModel

ModelBuilder = Callable[[], MultiTaskModel]


@dataclass(frozen=True)
class Family:
    module: str
    class_name: str
    # Reference models learn from human labels only (seed gold and annotated synthetic
    # articles), to show what those labels give without weak labels or synthetic sentences.
    human_labels_only: bool = False

    def model_class(self) -> type[MultiTaskModel]:
        return getattr(import_module(self.module), self.class_name)


FAMILIES = {
    "majority": Family("pipeline.models.reference", "MajorityModel", human_labels_only=True),
    "label_model": Family("pipeline.models.reference", "LabelModelMultiTask",
                          human_labels_only=True),
    "baseline": Family("pipeline.models.baseline", "BaselineModel"),
    "transformer": Family("pipeline.models.transformer", "TransformerModel"),
    # Built as "transformer" when transformer.strategy=setfit; saved under its own family.
    "setfit": Family("pipeline.models.setfit_model", "SetFitMultiTask"),
}
# Every model that cross-validation, the learning curve and the report can name.
MODELS = ("majority", "label_model", "baseline", "transformer")


def model_builder(name: str, seed: int) -> ModelBuilder:
    """A zero-argument function making a fresh, unfitted model `name` (one of MODELS), its
    settings read from params."""
    from pipeline.models.factory import build_baseline, build_transformer

    if name not in MODELS:
        raise KeyError(f"unknown model {name!r} (known: {', '.join(MODELS)})")
    if name == "majority":
        return FAMILIES[name].model_class()
    if name == "label_model":
        labeling = load_section("labeling", LabelingConfig)
        split = load_section("split", SplitConfig)
        label_model = FAMILIES[name].model_class()
        return lambda: label_model(labeling.smoothing, labeling.default_accuracy,
                                   split.headline_max_words)
    if name == "baseline":
        baseline = load_section("baseline", BaselineConfig)
        return lambda: build_baseline(baseline, seed)
    transformer = load_section("transformer", TransformerConfig)
    encoder = load_section("encoder", EncoderConfig)
    distill = load_section("distill", DistillConfig)
    return lambda: build_transformer(transformer, encoder, seed, distill)


def training_data(name: str, data: DataConfig) -> DataConfig:
    """The training-set choice for model `name`: `data`, narrowed to human labels for the
    reference models."""
    if FAMILIES[name].human_labels_only:
        return replace(data, use_weak=False, use_augment=False)
    return data


def resolve_model_folder(name: str, paths: PathsConfig, root: Path) -> Path:
    """`transformer` and `baseline` name the project's trained models (under `root`); anything
    else is a path to a model folder, relative to the working directory."""
    trained = {"transformer": paths.transformer_model, "baseline": paths.baseline_model}
    return root / trained[name] if name in trained else Path(name)
