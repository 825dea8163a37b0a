"""What the training and evaluation stages all read: params, labeled data and augmentation."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from pipeline.config import DataConfig, LabelingConfig, PathsConfig, load_params, load_section
from pipeline.labeling.datasets import load_augment
from pipeline.models.data import training_set


@dataclass
class TrainingInputs:
    paths: PathsConfig
    data: DataConfig
    labeling: LabelingConfig
    seed: int
    labeled: pd.DataFrame
    augment: pd.DataFrame

    def final_training_set(self) -> pd.DataFrame:
        """What the saved models train on: every source params switch on, no article held
        out (see `models.data.training_set`)."""
        return training_set(self.labeled, self.augment, self.data,
                            self.labeling.min_confidence)


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
