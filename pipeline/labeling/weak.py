"""Labeling functions + label model as one scikit-learn-style classifier per task.

`LabelingFunctionClassifier` is what the `label` stage uses to weakly label sentences without
gold, and what the `evaluate` stage compares as "the label model alone". It takes sentence
units (text, kind, byline), as the `split` stage made them.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from pipeline.labeling.apply import apply_lfs
from pipeline.labeling.functions import Unit, lfs_for
from pipeline.labeling.label_model import WeightedVoteLabelModel
from pipeline.labels import TASKS


class LabelingFunctionClassifier:
    """Snorkel-style weak classifier for one task: `fit` estimates LF accuracies on gold."""

    def __init__(self, task: str, smoothing: float = 1.0, default_accuracy: float = 0.7):
        self.task = task
        self.smoothing = smoothing
        self.default_accuracy = default_accuracy

    def label_matrix(self, X: Sequence[Unit]) -> np.ndarray:
        return apply_lfs(list(X), lfs_for(self.task), TASKS[self.task])

    def fit(self, X: Sequence[Unit], y=None) -> LabelingFunctionClassifier:
        classes = TASKS[self.task]
        y_index = None if y is None else np.array([classes.index(v) for v in y])
        matrix = self.label_matrix(X)
        self._start_fit().model_.fit(matrix, y_index)
        return self

    def set_fitted(self, accuracies: Sequence[float], class_prior: Sequence[float],
                   ) -> LabelingFunctionClassifier:
        """Restore a fit from its per-function accuracies (in `lfs_for(task)` order) and class
        prior, as `fit` estimated them."""
        self._start_fit().model_.set_fitted(np.asarray(accuracies), np.asarray(class_prior))
        return self

    def _start_fit(self) -> LabelingFunctionClassifier:
        self.classes_ = np.array(TASKS[self.task])
        self.lf_names_ = [lf.name for lf in lfs_for(self.task)]
        self.model_ = WeightedVoteLabelModel(
            TASKS[self.task], smoothing=self.smoothing, default_accuracy=self.default_accuracy)
        return self

    def predict_proba(self, X: Sequence[Unit]) -> np.ndarray:
        return self.model_.predict_proba(self.label_matrix(X))

    def predict(self, X: Sequence[Unit]) -> np.ndarray:
        return self.classes_[self.predict_proba(X).argmax(axis=1)]
