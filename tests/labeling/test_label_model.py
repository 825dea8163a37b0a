import numpy as np
import pandas as pd

from pipeline.config import LabelingConfig
from pipeline.labeling.analysis import lf_summary
from pipeline.labeling.apply import ABSTAIN
from pipeline.labeling.combine import LABELED_COLUMNS, label_corpus
from pipeline.labeling.label_model import WeightedVoteLabelModel

CONFIG = LabelingConfig(smoothing=1.0, default_accuracy=0.7, min_confidence=0.5)


def test_lf_summary_follows_snorkel_definitions():
    L = np.array([[0, 0], [0, 1], [ABSTAIN, 1], [ABSTAIN, ABSTAIN]])
    gold = np.array([0, 1, 1, 0])
    first, second = lf_summary(L, ["a", "b"], gold)
    assert first == {"name": "a", "coverage": 0.5, "overlaps": 0.5, "conflicts": 0.25,
                     "correct": 1, "incorrect": 1, "empirical_accuracy": 0.5}
    assert second["coverage"] == 0.75 and second["empirical_accuracy"] == 1.0


def test_weighted_vote_trusts_the_accurate_function():
    L = np.array([[0, 1]] * 10)
    y = np.array([0] * 10)
    model = WeightedVoteLabelModel(("x", "y", "z")).fit(L, y)
    assert model.accuracies_[0] > model.accuracies_[1]
    proba = model.predict_proba(np.array([[0, 1], [ABSTAIN, ABSTAIN]]))
    assert np.allclose(proba.sum(axis=1), 1)
    assert model.predict(np.array([[0, 1]]))[0] == "x"


def test_gold_overrides_weak_and_schema_holds():
    sentences = pd.DataFrame({
        "sentence_id": ["g1", "g2", "w1"], "article_id": ["a", "b", "c"],
        "paragraph": [0, 0, 0], "index": [0, 0, 0],
        "text": ["Poland opposes sending troops.", "Ministers agreed to send troops.",
                 "Several governments remain hesitant to send troops."],
        "kind": ["body"] * 3, "byline": [False] * 3, "corpus": ["seed"] * 3,
    })
    # Gold deliberately contradicts the cues: gold must win on its own sentences.
    gold = pd.DataFrame({
        "sentence_id": ["g1", "g2"], "article_id": ["a", "b"], "text": sentences.text[:2],
        "stance": ["optimistic", "skeptical"], "claim_type": ["fact", "fact"],
        "attributed": [False, True], "disputed": [False, False], "note": ["", ""],
    })
    labeled, report = label_corpus(sentences, gold, CONFIG)
    assert list(labeled.columns) == LABELED_COLUMNS
    assert labeled["label_source"].tolist() == ["gold", "gold", "weak"]
    assert labeled["stance"].tolist()[:2] == ["optimistic", "skeptical"]
    assert labeled["stance_confidence"].tolist()[:2] == [1.0, 1.0]
    assert labeled.loc[2, "stance"] == labeled.loc[2, "weak_stance"]
    assert 0 < labeled.loc[2, "stance_confidence"] <= 1
    assert report["gold"] == 2 and report["weak"] == 1
    assert {"in_sample", "leave_one_article_out"} <= set(
        report["tasks"]["stance"]["label_model_on_gold"])
