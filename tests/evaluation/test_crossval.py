"""Folds never train on held-out articles, predictions cover gold exactly once, and weak
labels are re-voted per fold by a label model that never saw the held-out article."""

from collections.abc import Sequence

import numpy as np
import pandas as pd
import pytest

from pipeline.config import DataConfig, LabelingConfig
from pipeline.evaluation.crossval import out_of_fold_predictions
from pipeline.evaluation.folds import seed_folds, synthetic_folds
from pipeline.labeling.combine import refit_weak_labels
from pipeline.models.base import MultiTaskModel

LABELING = LabelingConfig(smoothing=1.0, default_accuracy=0.7, min_confidence=0.0)


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


def row(article, corpus, sentence_id, text, source, stance="neutral", claim="fact"):
    return {"sentence_id": sentence_id, "article_id": article, "corpus": corpus, "text": text,
            "kind": "body", "byline": False, "label_source": source, "stance": stance,
            "claim_type": claim, "stance_confidence": 1.0, "claim_type_confidence": 1.0}


def labeled_frame() -> pd.DataFrame:
    rows = []
    for article in ["a", "b", "c"]:
        rows += [row(article, "seed", f"{article}{i}", f"gold sentence {i} of {article}", "gold")
                 for i in range(3)]
        rows.append(row(article, "seed", f"{article}w", f"weak sentence of {article}", "weak",
                        "skeptical", "policy"))
    for article in ["s1", "s2", "s3", "s4"]:
        rows.append(row(article, "synthetic", f"{article}0", f"synthetic article {article}",
                        "gold", "optimistic", "policy"))
    return pd.DataFrame(rows)


def config(**switches) -> DataConfig:
    return DataConfig(**{"use_synthetic_articles": True, "use_augment": True,
                         "use_weak": True, **switches})


AUGMENT = pd.DataFrame({"text": ["synthetic one"], "stance": ["optimistic"],
                        "claim_type": ["policy"]})


def test_held_out_seed_article_never_reaches_training():
    RecordingModel.seen = []
    labeled = labeled_frame()
    predictions = out_of_fold_predictions("recording", RecordingModel, labeled, AUGMENT,
                                          config(), LABELING, seed_folds(labeled))
    assert len(RecordingModel.seen) == 3
    for article, training in zip(["a", "b", "c"], RecordingModel.seen, strict=True):
        assert not any(text.endswith(f"of {article}") for text in training)
        assert "synthetic one" in training
        assert sum(text.startswith("synthetic article") for text in training) == 4
        assert sum(text.startswith("weak") for text in training) == 2
    for task in ("stance", "claim_type"):
        rows = predictions[predictions["task"] == task]
        assert sorted(rows["sentence_id"]) == sorted(f"{a}{i}" for a in "abc" for i in range(3))
    assert set(predictions["eval_set"]) == {"seed"}


def test_synthetic_folds_hold_out_whole_synthetic_articles():
    RecordingModel.seen = []
    labeled = labeled_frame()
    folds = synthetic_folds(labeled, n_folds=2, seed=0)
    assert sorted(a for fold in folds for a in fold.test_articles) == ["s1", "s2", "s3", "s4"]
    predictions = out_of_fold_predictions("recording", RecordingModel, labeled, AUGMENT,
                                          config(), LABELING, folds, eval_set="synthetic")
    for fold, training in zip(folds, RecordingModel.seen, strict=True):
        assert not any(text == f"synthetic article {a}" for a in fold.test_articles
                       for text in training)
        assert sum(text.startswith("gold sentence") for text in training) == 9
    stance = predictions[predictions["task"] == "stance"]
    assert sorted(stance["article_id"]) == ["s1", "s2", "s3", "s4"]


def test_training_only_data_is_switched_off_by_params():
    RecordingModel.seen = []
    labeled = labeled_frame()
    out_of_fold_predictions("recording", RecordingModel, labeled, AUGMENT,
                            config(use_synthetic_articles=False, use_augment=False,
                                   use_weak=False), LABELING, seed_folds(labeled))
    assert all(all(text.startswith("gold") for text in training)
               for training in RecordingModel.seen)


def test_seed_gold_repeats_weigh_real_sentences_but_never_bring_back_the_held_out_one():
    RecordingModel.seen = []
    labeled = labeled_frame()
    out_of_fold_predictions("recording", RecordingModel, labeled, AUGMENT,
                            config(seed_gold_repeats=3), LABELING, seed_folds(labeled))
    for article, training in zip(["a", "b", "c"], RecordingModel.seen, strict=True):
        gold = [text for text in training if text.startswith("gold sentence")]
        assert len(gold) == 3 * 6 and len(set(gold)) == 6  # two other articles, three each
        assert not any(text.endswith(f"of {article}") for text in gold)
        assert sum(text.startswith("synthetic article") for text in training) == 4


def test_seed_gold_repeats_below_one_are_refused():
    with pytest.raises(ValueError, match="seed_gold_repeats"):
        config(seed_gold_repeats=0)


def test_weak_labels_are_revoted_without_the_held_out_article():
    labeled = pd.DataFrame([
        # In article "x", an obstacle cue goes with optimistic gold; elsewhere with skeptical.
        row("x", "seed", "x0", "Leaders warned of risks but pledged troops.", "gold",
            "optimistic", "policy"),
        row("x", "seed", "x1", "Ministers warned about the plan.", "gold", "optimistic", "fact"),
        row("y", "seed", "y0", "Moscow warned against any deployment.", "gold", "skeptical",
            "fact"),
        row("z", "seed", "z0", "Officials warned of a long mission.", "weak"),
    ])
    with_x = refit_weak_labels(labeled, [], LABELING)
    without_x = refit_weak_labels(labeled, ["x"], LABELING)
    weak = labeled["label_source"] == "weak"
    # The gold rows are never touched; the weak row's vote depends on which gold was seen.
    assert with_x.loc[~weak, "stance"].tolist() == labeled.loc[~weak, "stance"].tolist()
    assert without_x.loc[weak, "stance"].item() == "skeptical"
    assert with_x.loc[weak, "stance_confidence"].item() \
        != without_x.loc[weak, "stance_confidence"].item()


def test_a_test_sentence_repeated_in_another_article_leaves_training():
    RecordingModel.seen = []
    labeled = labeled_frame()
    labeled.loc[labeled["sentence_id"] == "s20", "text"] = "synthetic article s1"  # a byline twin
    folds = [fold for fold in synthetic_folds(labeled, n_folds=4, seed=0)
             if fold.test_articles == ("s1",)]
    out_of_fold_predictions("recording", RecordingModel, labeled, AUGMENT, config(), LABELING,
                            folds, eval_set="synthetic")
    assert "synthetic article s1" not in RecordingModel.seen[0]
    assert sum(text.startswith("synthetic article") for text in RecordingModel.seen[0]) == 2
