"""The reference models: the majority class and the label model alone, as fitted models."""

import numpy as np

from pipeline.labels import TASKS
from pipeline.models.reference import LabelModelMultiTask, MajorityModel
from tests.conftest import LABELS, TEXTS

# majorities without ties: optimistic and fact
MAJORITY_LABELS = {"stance": ["optimistic", "optimistic", "neutral"],
                   "claim_type": ["fact", "policy", "fact"]}


def test_majority_predicts_the_most_frequent_label_with_certainty():
    model = MajorityModel()
    assert model.fit(TEXTS[:3], MAJORITY_LABELS) is model
    proba = model.predict_proba_all(["anything at all", "another sentence"])
    for task, labels in TASKS.items():
        assert proba[task].shape == (2, len(labels))
        column = list(model.classes(task)).index(MAJORITY_LABELS[task][0])
        assert (proba[task][:, column] == 1.0).all() and proba[task].sum() == 2.0
    assert model.predict_all(["x"])["stance"].tolist() == ["optimistic"]
    assert model.task("claim_type").predict(["x"]).tolist() == ["fact"]


def test_label_model_gives_proper_probabilities_and_follows_a_clear_cue():
    model = LabelModelMultiTask(smoothing=1.0, default_accuracy=0.7)
    assert model.fit(TEXTS, LABELS) is model
    texts = ["Hungary opposes sending troops to Ukraine.", "The weather was mild."]
    proba = model.predict_proba_all(texts)
    for task, labels in TASKS.items():
        assert proba[task].shape == (len(texts), len(labels))
        assert np.allclose(proba[task].sum(axis=1), 1.0)
    assert model.task("stance").predict(texts[:1]).tolist() == ["skeptical"]
