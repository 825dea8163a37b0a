"""Reference points for evaluation: the majority class, and the label model alone.

Both learn from human labels only (see `registry.training_data`), so they show what those
labels and the labeling functions give without weak labels or isolated synthetic sentences.
Both save their few learned numbers in the manifest, so `load_model` treats them like any
other family.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from pipeline.labeling.functions import Unit, lfs_for
from pipeline.labeling.weak import LabelingFunctionClassifier
from pipeline.models.base import ModelLoadError, MultiTaskModel
from pipeline.models.persistence import read_manifest, write_manifest
from pipeline.text.articles import is_headline


class MajorityModel(MultiTaskModel):
    family = "majority"

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
        write_manifest(folder, self, majority=self.majority_)

    @classmethod
    def load(cls, folder: Path) -> MajorityModel:
        manifest = read_manifest(folder)
        model = cls()
        model.majority_ = _manifest_field(folder, manifest, "majority")
        for task in model.tasks:
            if model.majority_.get(task) not in model.classes(task):
                raise ModelLoadError(f"{folder}: no known majority label for {task}")
        return model


class LabelModelMultiTask(MultiTaskModel):
    """The labeling functions and weighted-vote label model, as a model of both tasks.

    Plain text has no layout, so a sentence counts as a headline by the `split` stage's rule
    (`headline_max_words`, see `text.articles.is_headline`).
    """

    family = "label_model"

    def __init__(self, smoothing: float, default_accuracy: float, headline_max_words: int):
        self.smoothing = smoothing
        self.default_accuracy = default_accuracy
        self.headline_max_words = headline_max_words

    def units(self, texts: Sequence[str]) -> list[Unit]:
        stripped = (str(text).strip() for text in texts)
        return [Unit(text, "headline" if is_headline(text, self.headline_max_words) else "body")
                for text in stripped]

    def _classifier(self, task: str) -> LabelingFunctionClassifier:
        return LabelingFunctionClassifier(task, self.smoothing, self.default_accuracy)

    def fit(self, texts: Sequence[str], labels: dict[str, Sequence[str]]) -> LabelModelMultiTask:
        units = self.units(texts)
        self.classifiers_ = {task: self._classifier(task).fit(units, list(labels[task]))
                             for task in self.tasks}
        return self

    def predict_proba_all(self, texts: Sequence[str],
                          options=None) -> dict[str, np.ndarray]:  # no inference knobs
        units = self.units(texts)
        return {task: clf.predict_proba(units) for task, clf in self.classifiers_.items()}

    def save(self, folder: Path) -> None:
        write_manifest(
            folder, self,
            config={"smoothing": self.smoothing, "default_accuracy": self.default_accuracy,
                    "headline_max_words": self.headline_max_words},
            labeling_functions={
                task: {"names": clf.lf_names_, "accuracies": clf.model_.accuracies_.tolist(),
                       "class_prior": clf.model_.class_prior_.tolist()}
                for task, clf in self.classifiers_.items()})

    @classmethod
    def load(cls, folder: Path) -> LabelModelMultiTask:
        manifest = read_manifest(folder)
        try:
            model = cls(**_manifest_field(folder, manifest, "config"))
        except TypeError as error:
            raise ModelLoadError(f"{folder}: label model settings do not fit ({error})") \
                from None
        saved = _manifest_field(folder, manifest, "labeling_functions")
        model.classifiers_ = {}
        for task in model.tasks:
            classifier = model._classifier(task)
            state = saved.get(task) or {}
            names = [lf.name for lf in lfs_for(task)]
            accuracies, prior = state.get("accuracies", []), state.get("class_prior", [])
            if state.get("names") != names or len(accuracies) != len(names) \
                    or len(prior) != len(model.classes(task)):
                raise ModelLoadError(f"{folder}: the {task} labeling functions changed since "
                                     "this label model was saved; refit it")
            model.classifiers_[task] = classifier.set_fitted(accuracies, prior)
        return model


def _manifest_field(folder: Path, manifest: dict, key: str) -> dict:
    value = manifest.get(key)
    if not isinstance(value, dict):
        raise ModelLoadError(f"{folder}: the manifest has no {key!r} table")
    return value

