"""Stage `label`: gold where annotated, the label model's vote elsewhere, and its report."""

import json

import pandas as pd

from pipeline.labels import TASKS
from tests.stages.conftest import SEED_COUNTRIES, SYNTHETIC_COUNTRIES, TEMPLATES

ARTICLES = len(SEED_COUNTRIES) + len(SYNTHETIC_COUNTRIES)


def test_label_keeps_gold_and_labels_the_rest_weakly(label_done):
    labeled = pd.read_parquet(label_done / "data/processed/labeled.parquet")
    sources = labeled["label_source"].value_counts().to_dict()
    assert sources == {"gold": len(TEMPLATES) * ARTICLES, "weak": 2 * ARTICLES}
    weak = labeled[labeled["label_source"] == "weak"]
    assert set(weak["kind"]) == {"headline", "body"} and weak["byline"].sum() == ARTICLES
    for task, labels in TASKS.items():
        assert set(labeled[task]) <= set(labels)
        gold = labeled[labeled["label_source"] == "gold"]
        assert (gold[f"{task}_confidence"] == 1.0).all()
        assert weak[f"{task}_confidence"].between(0, 1).all()
    opposes = labeled["text"].str.contains("opposes sending troops")
    assert set(labeled.loc[opposes, "stance"]) == {"skeptical"}


def test_label_reports_the_label_model_on_gold(label_done):
    report = json.loads((label_done / "reports/labeling.json").read_text())
    assert report["gold"] == len(TEMPLATES) * ARTICLES
    assert report["sentences_without_gold"] and len(report["sentences_without_gold"]) == 2 * ARTICLES
    for task in TASKS:
        held_out = report["tasks"][task]["label_model_on_gold"]["leave_one_article_out"]
        assert 0 < held_out["macro_f1"] <= 1 and 0 < held_out["accuracy"] <= 1
        assert report["tasks"][task]["labeling_functions"]
    assert "stance" in (label_done / "reports/labeling.md").read_text()
