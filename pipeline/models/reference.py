"""Reference points for evaluation: the majority class, and the label model alone.

Both learn from human labels only (`training_sources`: seed gold and the annotated synthetic
articles), so they show what those labels and the labeling functions give without weak
labels or isolated synthetic sentences.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from pipeline.labeling.weak import LabelingFunctionClassifier
from pipeline.models.base import MultiTaskModel


class MajorityModel(MultiTaskModel):
    family = "majority"
    training_sources = ("gold", "synthetic_article")

    def fit(self, texts: Sequence[str], labels: dict[str, Sequence[str]]) -> MajorityModel:
        self.majority_ = {task: Counter(labels[task]).most_common(1)[0][0] for task in self.tasks}
        return self

    def predict_proba_all(self, texts: Sequence[str],
                          options=None) -> dict[str, np.ndarray]:  # no inference knobs
        out = {}
        for task in self.tasks:
            proba = np.zeros((len(texts), len(self.classes(task))))
            proba[:, list(self.classes(task)).index(self.majority_[task])] = 1.0
            out[task] = proba
        return out

    def save(self, folder: Path) -> None:
        raise NotImplementedError("reference models are refit in every fold, never saved")

    @classmethod
    def load(cls, folder: Path) -> MajorityModel:
        raise NotImplementedError("reference models are refit in every fold, never saved")


class LabelModelMultiTask(MultiTaskModel):
    """The labeling functions and weighted-vote label model, as a model of both tasks."""

    family = "label_model"
    training_sources = ("gold", "synthetic_article")

    def __init__(self, smoothing: float = 1.0, default_accuracy: float = 0.7):
        self.smoothing = smoothing
        self.default_accuracy = default_accuracy

    def fit(self, texts: Sequence[str], labels: dict[str, Sequence[str]]) -> LabelModelMultiTask:
        self.classifiers_ = {
            task: LabelingFunctionClassifier(task, self.smoothing, self.default_accuracy)
            .fit(list(texts), list(labels[task]))
            for task in self.tasks
        }
        return self

    def predict_proba_all(self, texts: Sequence[str],
                          options=None) -> dict[str, np.ndarray]:  # no inference knobs
        return {task: clf.predict_proba(list(texts)) for task, clf in self.classifiers_.items()}

    def save(self, folder: Path) -> None:
        raise NotImplementedError("reference models are refit in every fold, never saved")

    @classmethod
    def load(cls, folder: Path) -> LabelModelMultiTask:
        raise NotImplementedError("reference models are refit in every fold, never saved")
