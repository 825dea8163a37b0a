"""Stage `evaluate`: out-of-fold predictions -> metrics with intervals, the human ceiling,
figures, DVC confusion CSVs and the report."""

import json

import pandas as pd
import pytest

from pipeline.labels import TASKS
from tests.stages.conftest import SEED_COUNTRIES, SYNTHETIC_COUNTRIES, TEMPLATES

MODELS = ("majority", "label_model", "baseline", "transformer")
PNG = b"\x89PNG\r\n\x1a\n"
TOLERANCE = 1e-9


def test_evaluate_writes_metrics_with_intervals_and_the_human_ceiling(evaluate_done):
    metrics = json.loads((evaluate_done / "reports/metrics.json").read_text())
    assert metrics["protocol"]["n_resamples"] == 20
    for task in TASKS:
        assert set(MODELS) | {"human", "transformer_minus_baseline"} == set(metrics[task])
        for model in (*MODELS, "human"):
            entry = metrics[task][model]
            assert entry["n"] == len(TEMPLATES) * len(SEED_COUNTRIES)
            for name in ("macro_f1", "accuracy"):
                value = entry[name]
                # a degenerate bootstrap gives equal bounds that differ in the last bit
                assert value["sentence_low"] - TOLERANCE <= value["value"] \
                    <= value["sentence_high"] + TOLERANCE
                assert 0 <= value["article_low"] <= value["article_high"] + TOLERANCE <= 1 + TOLERANCE
    # annotator B against A: one stance disagreement in seven, none on claim type
    assert metrics["stance"]["human"]["accuracy"]["value"] == pytest.approx(6 / 7)
    assert metrics["claim_type"]["human"]["accuracy"]["value"] == pytest.approx(1.0)
    majority = metrics["stance"]["majority"]["per_class"]
    assert sum(row["support"] for row in majority.values()) == len(TEMPLATES) * len(SEED_COUNTRIES)
    synthetic = json.loads((evaluate_done / "reports/metrics_synthetic.json").read_text())
    assert synthetic["protocol"]["folds"].startswith("2 folds")
    assert synthetic["stance"]["baseline"]["n"] == len(TEMPLATES) * len(SYNTHETIC_COUNTRIES)


def test_evaluate_writes_predictions_figures_and_report(evaluate_done):
    predictions = pd.read_parquet(evaluate_done / "reports/predictions.parquet")
    articles = len(SEED_COUNTRIES) + len(SYNTHETIC_COUNTRIES)
    assert len(predictions) == len(MODELS) * len(TASKS) * len(TEMPLATES) * articles
    figures = evaluate_done / "reports/figures"
    for name in ("confusion_stance.png", "confusion_claim_type.png", "model_comparison.png"):
        assert (figures / name).read_bytes()[:8] == PNG
    confusion = evaluate_done / "reports/plots/confusion"
    assert sorted(p.name for p in confusion.glob("*.csv")) == sorted(
        f"{task}_{model}.csv" for task in TASKS for model in MODELS)
    table = pd.read_csv(confusion / "stance_baseline.csv")
    assert list(table) == ["actual", "predicted"]
    assert len(table) == len(TEMPLATES) * len(SEED_COUNTRIES)
    report = (evaluate_done / "reports/evaluation.md").read_text()
    for heading in ("## Human ceiling", "## Held-out synthetic articles", "## Per article",
                    "## Most confident errors (transformer)"):
        assert report.count(heading) == 1
    assert "| stance | 0.781 |" in report  # seed kappa 25/32 from reports/agreement.json
    assert "![model comparison](figures/model_comparison.png)" in report
