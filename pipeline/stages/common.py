"""What the training and evaluation stages all read: params, labeled data, augmentation, and
the one map from a model name to a fresh model built from params."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from pipeline.config import (
    BaselineConfig,
    DataConfig,
    DistillConfig,
    EncoderConfig,
    LabelingConfig,
    PathsConfig,
    TransformerConfig,
    load_params,
    load_section,
)
from pipeline.labeling.datasets import load_augment
from pipeline.models.base import MultiTaskModel

# Every model that cross-validation, the learning curve and the report can name.
MODELS = ("majority", "label_model", "baseline", "transformer")


@dataclass
class TrainingInputs:
    paths: PathsConfig
    data: DataConfig
    labeling: LabelingConfig
    seed: int
    labeled: pd.DataFrame
    augment: pd.DataFrame


def load_training_inputs() -> TrainingInputs:
    paths = load_section("paths", PathsConfig)
    return TrainingInputs(
        paths=paths,
        data=load_section("data", DataConfig),
        labeling=load_section("labeling", LabelingConfig),
        seed=int(load_params()["seed"]),
        labeled=pd.read_parquet(paths.labeled),
        augment=load_augment(paths.augment),
    )


def model_factory(name: str, inputs: TrainingInputs):
    """A zero-argument function making a fresh, unfitted model of the given name."""
    from pipeline.models.factory import build_baseline, build_transformer
    from pipeline.models.reference import LabelModelMultiTask, MajorityModel

    if name == "majority":
        return MajorityModel
    if name == "label_model":
        return lambda: LabelModelMultiTask(inputs.labeling.smoothing,
                                           inputs.labeling.default_accuracy)
    if name == "baseline":
        config = load_section("baseline", BaselineConfig)
        return lambda: build_baseline(config, inputs.seed)
    config = load_section("transformer", TransformerConfig)
    encoder = load_section("encoder", EncoderConfig)
    distill = load_section("distill", DistillConfig)

    def make() -> MultiTaskModel:
        return build_transformer(config, encoder, inputs.seed, distill)

    return make
