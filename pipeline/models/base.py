"""The shared predictor face of every model family."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from pipeline.labels import TASKS

if TYPE_CHECKING:
    from pipeline.models.runtime import InferenceOptions


class ModelLoadError(RuntimeError):
    """A model folder that is missing, incomplete, foreign or tampered with."""


class MultiTaskPredictor(ABC):
    """A trained model that labels raw sentence text for every task in `TASKS`.

    Subclasses implement `predict_proba_all`, `save` and `load`; `task(name)` gives the
    scikit-learn-style per-task view (`predict`, `predict_proba`, `classes_`).
    """

    family: str = "abstract"
    tasks: tuple[str, ...] = tuple(TASKS)

    def classes(self, task: str) -> np.ndarray:
        return np.array(TASKS[task])

    @abstractmethod
    def predict_proba_all(self, texts: Sequence[str],
                          options: InferenceOptions | None = None) -> dict[str, np.ndarray]:
        """Per task an (n, n_classes) array, columns in `classes(task)` order, rows summing to 1.
        `options` (batch size, precision, runtime) tune inference; models without such knobs
        ignore them, and None means the defaults."""

    def predict_all(self, texts: Sequence[str]) -> dict[str, np.ndarray]:
        return {task: self.classes(task)[proba.argmax(axis=1)]
                for task, proba in self.predict_proba_all(texts).items()}

    @abstractmethod
    def save(self, folder: Path) -> None:
        """Write the model (weights, vectorizer or tokenizer, label maps) into `folder`."""

    @classmethod
    @abstractmethod
    def load(cls, folder: Path) -> MultiTaskModel:
        """Load from a folder written by `save`, never running code stored in it."""

    def task(self, name: str) -> TaskPredictor:
        return TaskPredictor(self, name)


class MultiTaskModel(MultiTaskPredictor):
    """A predictor that learns: scikit-learn's `fit` on raw sentence text, returning self."""

    @abstractmethod
    def fit(self, texts: Sequence[str], labels: dict[str, Sequence[str]]) -> MultiTaskModel:
        """Train on `texts` with `labels[task][i]` the label of text i for each task."""


class TaskPredictor:
    """One task of a MultiTaskPredictor with scikit-learn's predictor contract."""

    def __init__(self, model: MultiTaskPredictor, task: str):
        if task not in model.tasks:
            raise KeyError(f"model has no task {task!r} (tasks: {model.tasks})")
        self.model = model
        self.task_name = task
        self.classes_ = model.classes(task)

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        return self.model.predict_proba_all(list(texts))[self.task_name]

    def predict(self, texts: Sequence[str]) -> np.ndarray:
        return self.classes_[self.predict_proba(texts).argmax(axis=1)]


def align_columns(proba: np.ndarray, fitted: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """Reorder probability columns from an estimator's `classes_` (`fitted`) to `wanted`;
    a class the estimator never saw in training gets probability 0."""
    out = np.zeros((proba.shape[0], len(wanted)))
    position = {label: i for i, label in enumerate(fitted)}
    for j, label in enumerate(wanted):
        if label in position:
            out[:, j] = proba[:, position[label]]
    return out
