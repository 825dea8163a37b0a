"""compute_metrics and human_metrics on hand-made predictions with known scores."""

from dataclasses import replace

import pandas as pd
import pytest
from sklearn.metrics import accuracy_score, f1_score

from pipeline.config import EvaluateConfig, compose_params, from_dict
from pipeline.evaluation.scores import compute_metrics, human_metrics
from pipeline.labels import CLAIM_TYPE, STANCE

GOLD = {"stance": ["optimistic", "skeptical", "neutral", "optimistic", "skeptical", "neutral"],
        "claim_type": ["policy", "fact", "non_claim", "prediction", "evaluation", "fact"]}
# the baseline's mistakes, the same in every article: one stance, two claim types
WRONG = {"stance": {0: "neutral"}, "claim_type": {1: "policy", 3: "fact"}}
ARTICLES = ("a", "b", "c", "d")


@pytest.fixture()
def config() -> EvaluateConfig:
    base = from_dict(EvaluateConfig, compose_params()["evaluate"])
    return replace(base, n_resamples=40, compare=("transformer", "baseline"))


def predictions(models=("transformer", "baseline")) -> pd.DataFrame:
    """Long-format out-of-fold predictions: the transformer is always right."""
    rows = []
    for model in models:
        for task, gold in GOLD.items():
            for article in ARTICLES:
                for i, label in enumerate(gold):
                    wrong = WRONG[task].get(i) if model == "baseline" else None
                    rows.append({"model": model, "task": task, "article_id": article,
                                 "sentence_id": f"{article}{i}", "gold": label,
                                 "predicted": wrong or label})
    return pd.DataFrame(rows)


def test_compute_metrics_matches_sklearn_and_brackets_each_value(config):
    metrics = compute_metrics(predictions(), config, seed=0)
    assert metrics["protocol"] == {"folds": "leave-one-article-out", "evaluated_on": "gold",
                                   "n_resamples": 40, "confidence_level": config.confidence_level}
    n = len(ARTICLES) * 6
    for task, labels in (("stance", STANCE), ("claim_type", CLAIM_TYPE)):
        perfect = metrics[task]["transformer"]
        assert perfect["macro_f1"]["value"] == perfect["accuracy"]["value"] == 1.0
        assert perfect["accuracy"]["sentence_low"] == perfect["accuracy"]["article_high"] == 1.0
        baseline = metrics[task]["baseline"]
        gold = GOLD[task] * len(ARTICLES)
        predicted = [WRONG[task].get(i, label) for i, label in enumerate(GOLD[task])] * len(ARTICLES)
        assert baseline["accuracy"]["value"] == pytest.approx(accuracy_score(gold, predicted))
        assert baseline["macro_f1"]["value"] == pytest.approx(
            f1_score(gold, predicted, labels=list(labels), average="macro", zero_division=0))
        for entry in baseline.values():
            if isinstance(entry, dict) and "value" in entry:
                assert entry["sentence_low"] <= entry["value"] <= entry["sentence_high"]
        # every article has the same mistakes, so resampling articles cannot move the score
        assert baseline["accuracy"]["article_low"] == pytest.approx(baseline["accuracy"]["value"])
        assert baseline["n"] == n
        assert sum(row["support"] for row in baseline["per_class"].values()) == n
        assert set(baseline["per_class"]) == set(labels)
    assert set(metrics["stance"]["baseline"]) >= {"f_avg", "macro_f1", "accuracy"}
    assert "f_avg" not in metrics["claim_type"]["baseline"]


def test_compute_metrics_adds_the_paired_difference_only_when_both_models_ran(config):
    metrics = compute_metrics(predictions(), config, seed=0)
    difference = metrics["stance"]["transformer_minus_baseline"]["accuracy"]
    assert difference["value"] == pytest.approx(1 - 5 / 6)
    assert 0 <= difference["low"] <= difference["value"] <= difference["high"]
    assert difference["share_not_better"] == 0.0
    alone = compute_metrics(predictions(models=("baseline",)), config, seed=0)
    assert set(alone["stance"]) == {"baseline"}


def test_compute_metrics_is_reproducible_for_a_seed(config):
    one = predictions(models=("baseline",))
    assert compute_metrics(one, config, seed=3) == compute_metrics(one, config, seed=3)


def test_human_metrics_scores_one_annotator_against_the_other(config):
    reference = pd.DataFrame({"sentence_id": [f"s{i}" for i in range(12)],
                              "article_id": ["a"] * 6 + ["b"] * 6,
                              "stance": GOLD["stance"] * 2, "claim_type": GOLD["claim_type"] * 2})
    annotation = reference.copy()
    annotation.loc[[0, 7], "stance"] = "neutral"
    human = human_metrics(reference, annotation.sample(frac=1, random_state=0), config, seed=0)
    assert set(human) == {"stance", "claim_type"}
    assert human["stance"]["accuracy"]["value"] == pytest.approx(10 / 12)
    assert human["claim_type"]["accuracy"]["value"] == 1.0
    assert human["claim_type"]["macro_f1"]["value"] == pytest.approx(1.0)
    assert human["stance"]["n"] == 12
    assert human["stance"]["per_class"]["neutral"]["precision"] == pytest.approx(4 / 6)
