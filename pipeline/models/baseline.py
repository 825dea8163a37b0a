"""scikit-learn baseline: TF-IDF word and character n-grams -> a linear classifier per task."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.svm import LinearSVC

from pipeline.config import BaselineConfig
from pipeline.models.base import MultiTaskModel, align_columns
from pipeline.models.persistence import read_settings, write_manifest
from pipeline.models.skops_io import load_skops, save_skops

log = logging.getLogger(__name__)

def build_pipeline(config: BaselineConfig, min_class_count: int, seed: int = 0) -> Pipeline:
    """An unfitted TF-IDF -> classifier pipeline for one task."""
    features = FeatureUnion([
        ("word", TfidfVectorizer(ngram_range=(1, config.word_ngram_max), min_df=config.min_df,
                                 max_features=config.max_features,
                                 sublinear_tf=config.sublinear_tf)),
        ("char", TfidfVectorizer(analyzer="char_wb",
                                 ngram_range=(config.char_ngram_min, config.char_ngram_max),
                                 min_df=config.min_df, max_features=config.max_features,
                                 sublinear_tf=config.sublinear_tf)),
    ])
    class_weight = None if config.class_weight == "none" else config.class_weight
    if config.classifier == "logreg":
        classifier = LogisticRegression(C=config.C, class_weight=class_weight,
                                        max_iter=config.max_iter, random_state=seed)
    else:
        # Calibration needs every class in every fold; small classes get fewer folds.
        if min_class_count < 2:
            raise ValueError("baseline=tfidf_svm needs at least 2 training examples per class "
                             "for probability calibration")
        folds = max(2, min(config.calibration_folds, min_class_count))
        classifier = CalibratedClassifierCV(
            LinearSVC(C=config.C, class_weight=class_weight, max_iter=config.max_iter,
                      random_state=seed),
            method="sigmoid", cv=folds)
    return Pipeline([("features", features), ("classifier", classifier)])


class BaselineModel(MultiTaskModel):
    family = "baseline"

    def __init__(self, config: BaselineConfig, seed: int = 0):
        self.config = config
        self.seed = seed
        self.pipelines_: dict[str, Pipeline] = {}

    def fit(self, texts: Sequence[str], labels: dict[str, Sequence[str]]) -> BaselineModel:
        for task in self.tasks:
            counts = Counter(labels[task])
            pipeline = build_pipeline(self.config, min(counts.values()), self.seed)
            self.pipelines_[task] = pipeline.fit(list(texts), list(labels[task]))
        return self

    def predict_proba_all(self, texts: Sequence[str],
                          options=None) -> dict[str, np.ndarray]:  # no inference knobs
        texts = list(texts)
        return {task: align_columns(pipeline.predict_proba(texts), pipeline.classes_,
                                    self.classes(task))
                for task, pipeline in self.pipelines_.items()}

    def save(self, folder: Path) -> None:
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        for task, pipeline in self.pipelines_.items():
            _compact_vectorizers(pipeline)
            save_skops(pipeline, folder / f"{task}.skops")
        write_manifest(folder, self, config=self.config, seed=self.seed)

    @classmethod
    def load(cls, folder: Path) -> BaselineModel:
        _, config, seed = read_settings(folder, BaselineConfig)
        model = cls(config, seed)
        for task in model.tasks:
            model.pipelines_[task] = load_skops(Path(folder) / f"{task}.skops")
        return model


def _compact_vectorizers(pipeline: Pipeline) -> None:
    """Plain-int vocabularies and no `stop_words_` (kept by scikit-learn only for inspection):
    skops stores each numpy scalar as its own array, which makes saving minutes slow."""
    for _, vectorizer in pipeline.named_steps["features"].transformer_list:
        vectorizer.vocabulary_ = {term: int(i) for term, i in vectorizer.vocabulary_.items()}
        if hasattr(vectorizer, "stop_words_"):
            del vectorizer.stop_words_
