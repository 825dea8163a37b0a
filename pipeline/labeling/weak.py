"""Labeling functions + label model as one scikit-learn-style classifier per task.

`LabelingFunctionClassifier` is what the `label` stage uses to weakly label sentences without
gold, and what the `evaluate` stage compares as "the label model alone".
"""

from __future__ import annotations

import numpy as np

from pipeline.labeling.apply import apply_lfs
from pipeline.labeling.functions import Unit, lfs_for
from pipeline.labeling.label_model import WeightedVoteLabelModel
from pipeline.labels import TASKS

_END = ("." , "!", "?", "\"", "”", "’", ":", ";")


def as_unit(item: Unit | str) -> Unit:
    """Plain text becomes a Unit; a short line without end punctuation counts as a headline."""
    if isinstance(item, Unit):
        return item
    text = str(item).strip()
    kind = "body" if text.endswith(_END) or len(text.split()) > 30 else "headline"
    return Unit(text, kind)


class LabelingFunctionClassifier:
    """Snorkel-style weak classifier for one task: `fit` estimates LF accuracies on gold."""

    def __init__(self, task: str, smoothing: float = 1.0, default_accuracy: float = 0.7):
        self.task = task
        self.smoothing = smoothing
        self.default_accuracy = default_accuracy

    def label_matrix(self, X) -> np.ndarray:
        return apply_lfs([as_unit(x) for x in X], lfs_for(self.task), TASKS[self.task])

    def fit(self, X, y=None) -> LabelingFunctionClassifier:
        classes = TASKS[self.task]
        self.classes_ = np.array(classes)
        self.lf_names_ = [lf.name for lf in lfs_for(self.task)]
        y_index = None if y is None else np.array([classes.index(v) for v in y])
        self.model_ = WeightedVoteLabelModel(
            classes, smoothing=self.smoothing, default_accuracy=self.default_accuracy
        ).fit(self.label_matrix(X), y_index)
        return self

    def predict_proba(self, X) -> np.ndarray:
        return self.model_.predict_proba(self.label_matrix(X))

    def predict(self, X) -> np.ndarray:
        return self.classes_[self.predict_proba(X).argmax(axis=1)]
