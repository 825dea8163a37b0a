"""Reference models persist like every other family, and the label model reads plain text
with the split stage's headline rule."""

import json

import numpy as np
import pytest

from pipeline.labels import TASKS
from pipeline.models import ModelLoadError, load_model
from pipeline.models.reference import LabelModelMultiTask, MajorityModel
from tests.conftest import LABELS, TEXTS


def label_model() -> LabelModelMultiTask:
    return LabelModelMultiTask(smoothing=1.0, default_accuracy=0.7, headline_max_words=30)


@pytest.mark.parametrize("make", [MajorityModel, label_model])
def test_round_trip_through_load_model_gives_the_same_probabilities(tmp_path, make):
    model = make().fit(TEXTS, LABELS)
    model.save(tmp_path)
    loaded = load_model(tmp_path)
    assert type(loaded) is type(model)
    for task, proba in model.predict_proba_all(TEXTS).items():
        np.testing.assert_allclose(loaded.predict_proba_all(TEXTS)[task], proba)


def test_majority_predicts_the_most_common_training_label():
    model = MajorityModel().fit(TEXTS, LABELS)
    assert set(model.predict_all(TEXTS)["stance"]) == {"optimistic"}


def test_a_label_model_saved_with_other_labeling_functions_is_refused(tmp_path):
    label_model().fit(TEXTS, LABELS).save(tmp_path)
    manifest = json.loads((tmp_path / "model.json").read_text())
    manifest["labeling_functions"]["stance"]["names"][0] = "lf_removed_since"
    (tmp_path / "model.json").write_text(json.dumps(manifest))
    with pytest.raises(ModelLoadError, match="stance labeling functions changed"):
        load_model(tmp_path)


def test_a_majority_manifest_without_its_labels_is_refused(tmp_path):
    MajorityModel().fit(TEXTS, LABELS).save(tmp_path)
    manifest = json.loads((tmp_path / "model.json").read_text())
    manifest["majority"]["claim_type"] = "gossip"
    (tmp_path / "model.json").write_text(json.dumps(manifest))
    with pytest.raises(ModelLoadError, match="majority label for claim_type"):
        load_model(tmp_path)


def test_plain_text_gets_the_split_stages_headline_rule():
    units = label_model().units(["Security Guarantees", "Europe weighs a force.",
                                 'What Starmer means by a "backstop"'])
    assert [unit.kind for unit in units] == ["headline", "body", "headline"]
    short = LabelModelMultiTask(1.0, 0.7, headline_max_words=1).units(["Security Guarantees"])
    assert short[0].kind == "body"


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
    model = LabelModelMultiTask(smoothing=1.0, default_accuracy=0.7, headline_max_words=30)
    assert model.fit(TEXTS, LABELS) is model
    texts = ["Hungary opposes sending troops to Ukraine.", "The weather was mild."]
    proba = model.predict_proba_all(texts)
    for task, labels in TASKS.items():
        assert proba[task].shape == (len(texts), len(labels))
        assert np.allclose(proba[task].sum(axis=1), 1.0)
    assert model.task("stance").predict(texts[:1]).tolist() == ["skeptical"]
