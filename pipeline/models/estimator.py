"""The scikit-learn face over a trainer: a subclass's `fit` trains a fresh predictor and keeps
it in `model_`; predicting and saving are that predictor's own."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from pipeline.models.base import MultiTaskModel, MultiTaskPredictor
from pipeline.models.runtime import InferenceOptions


class TrainerEstimator(MultiTaskModel):
    """Base of the estimators that hand a model to a trainer (`finetune`, `setfit_training`).

    Subclasses set `family`, implement `fit` (which sets `model_` and `epoch_losses_`) and
    `load` (which returns the saved predictor: a later `fit` starts afresh anyway).
    """

    model_: MultiTaskPredictor

    def predict_proba_all(self, texts: Sequence[str],
                          options: InferenceOptions | None = None) -> dict[str, np.ndarray]:
        return self.model_.predict_proba_all(texts, options)

    def save(self, folder: Path) -> None:
        self.model_.save(folder)
