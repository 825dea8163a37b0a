"""Folds never train on the held-out article, and predictions cover gold exactly once."""

from collections.abc import Sequence

import numpy as np
import pandas as pd

from pipeline.config import DataConfig
from pipeline.evaluation.crossval import out_of_fold_predictions
from pipeline.models.base import MultiTaskModel


class RecordingModel(MultiTaskModel):
    family = "recording"
    seen: list[list[str]] = []

    def fit(self, texts: Sequence[str], labels) -> "RecordingModel":
        RecordingModel.seen.append(list(texts))
        return self

    def predict_proba_all(self, texts):
        return {task: np.full((len(texts), len(self.classes(task))), 1 / len(self.classes(task)))
                for task in self.tasks}

    def save(self, folder):  # pragma: no cover - never persisted
        raise NotImplementedError

    @classmethod
    def load(cls, folder):  # pragma: no cover
        raise NotImplementedError


def labeled_frame() -> pd.DataFrame:
    rows = []
    for article in ["a", "b", "c"]:
        for i in range(3):
            rows.append({"sentence_id": f"{article}{i}", "article_id": article,
                         "text": f"gold sentence {i} of {article}", "label_source": "gold",
                         "stance": "neutral", "claim_type": "fact",
                         "stance_confidence": 1.0, "claim_type_confidence": 1.0})
        rows.append({"sentence_id": f"{article}w", "article_id": article,
                     "text": f"weak sentence of {article}", "label_source": "weak",
                     "stance": "skeptical", "claim_type": "policy",
                     "stance_confidence": 0.9, "claim_type_confidence": 0.9})
    return pd.DataFrame(rows)


def test_held_out_article_never_reaches_training():
    RecordingModel.seen = []
    augment = pd.DataFrame({"text": ["synthetic one"], "stance": ["optimistic"],
                            "claim_type": ["policy"]})
    predictions = out_of_fold_predictions(
        "recording", RecordingModel, labeled_frame(), augment,
        DataConfig(use_augment=True, use_weak=True), min_confidence=0.5)
    assert len(RecordingModel.seen) == 3
    for article, training in zip(["a", "b", "c"], RecordingModel.seen, strict=True):
        assert not any(text.endswith(f"of {article}") for text in training)
        assert "synthetic one" in training
        assert sum(text.startswith("weak") for text in training) == 2
    for task in ("stance", "claim_type"):
        rows = predictions[predictions["task"] == task]
        assert sorted(rows["sentence_id"]) == sorted(f"{a}{i}" for a in "abc" for i in range(3))
    assert set(predictions["article_id"]) == {"a", "b", "c"}


def test_training_only_data_is_switched_off_by_params():
    RecordingModel.seen = []
    out_of_fold_predictions("recording", RecordingModel, labeled_frame(), pd.DataFrame(
        {"text": ["synthetic one"], "stance": ["optimistic"], "claim_type": ["policy"]}),
        DataConfig(use_augment=False, use_weak=False), min_confidence=0.5)
    assert all(all(text.startswith("gold") for text in training)
               for training in RecordingModel.seen)
