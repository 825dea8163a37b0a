"""reports/evaluation.md from hand-made predictions, metrics and agreement."""

import re
from dataclasses import replace

import pandas as pd
import pytest

from pipeline.config import EvaluateConfig, compose_params, from_dict
from pipeline.evaluation.report import render_report
from pipeline.evaluation.scores import compute_metrics

GOLD = pd.DataFrame({
    "sentence_id": ["a0", "a1", "a2", "b0", "b1", "b2"],
    "article_id": ["a", "a", "a", "b", "b", "b"],
    "text": ["Spain will send troops.", "Critics | doubt it.", "Leaders met.",
             "Italy backs the plan.", "Hungary refuses.", "Talks resume Monday."],
    "stance": ["optimistic", "skeptical", "neutral", "optimistic", "skeptical", "neutral"],
    "claim_type": ["policy", "evaluation", "fact", "policy", "policy", "fact"],
})
# the transformer's stance predictions: three mistakes with different confidences
TRANSFORMER_STANCE = ["optimistic", "neutral", "skeptical", "optimistic", "optimistic", "neutral"]
CONFIDENCE = [0.9, 0.8, 0.6, 0.7, 0.95, 0.5]
AGREEMENT = {corpus: {"tasks": {
    "stance": {"cohen_kappa": 0.5, "krippendorff_alpha": 0.53125, "observed_agreement": 0.75},
    "claim_type": {"cohen_kappa": 1.0, "krippendorff_alpha": 1.0, "observed_agreement": 1.0},
}} for corpus in ("seed", "synthetic")}
FIGURES = {"model comparison": "figures/model_comparison.png"}


@pytest.fixture(scope="module")
def predictions() -> pd.DataFrame:
    rows = []
    for model in ("baseline", "transformer"):
        for task in ("stance", "claim_type"):
            predicted = TRANSFORMER_STANCE if (model, task) == ("transformer", "stance") \
                else GOLD[task].tolist()
            rows.append(GOLD[["sentence_id", "article_id", "text"]].assign(
                model=model, task=task, gold=GOLD[task], predicted=predicted,
                confidence=CONFIDENCE))
    return pd.concat(rows, ignore_index=True)


@pytest.fixture(scope="module")
def metrics(predictions) -> dict:
    config = replace(from_dict(EvaluateConfig, compose_params()["evaluate"]), n_resamples=20,
                     compare=("transformer", "baseline"))
    return compute_metrics(predictions, config, seed=0)


def render(predictions, metrics, **changes) -> str:
    arguments = {"metrics": metrics, "predictions": predictions, "gold": GOLD,
                 "training_sizes": {"gold": 6, "synthetic": 4}, "agreement": AGREEMENT,
                 "top_errors": 2, "error_model": "transformer", "figures": FIGURES,
                 **changes}
    return render_report(**arguments)


def test_report_sections_data_and_metric_tables(predictions, metrics):
    report = render(predictions, metrics)
    lines = report.splitlines()
    assert lines[0] == "# Evaluation"
    assert "- Articles: 2; gold sentences: 6" in lines
    assert "- Stance: optimistic 2, skeptical 2, neutral 2" in lines
    assert "- Training data of the final models: 6 gold, 4 synthetic" in lines
    assert "| model | f_avg | macro_f1 | accuracy |" in lines
    # per metric: value [sentence interval] (article interval); the baseline is always right
    cell = r"1\.000 \[\d\.\d{3}, 1\.000\] \(\d\.\d{3}, 1\.000\)"
    assert any(re.fullmatch(rf"\| baseline \| {cell} \| {cell} \| {cell} \|", line)
               for line in lines)
    assert "Paired bootstrap, transformer minus baseline:" in lines
    assert "| stance | 0.500 | 0.531 | 0.750 |" in lines
    assert "![model comparison](figures/model_comparison.png)" in lines
    assert "## Held-out synthetic articles" not in report
    assert [line[:4] for line in lines if line.startswith(("| a |", "| b |"))] == ["| a ", "| b "]


def test_report_lists_the_most_confident_errors_first_and_escapes_pipes(predictions, metrics):
    lines = render(predictions, metrics).splitlines()
    start = lines.index("### stance")
    rows = [line for line in lines[start:start + 7] if line.startswith("| 0.")]
    assert rows == ["| 0.95 | skeptical | optimistic | Hungary refuses. |",
                    "| 0.80 | skeptical | neutral | Critics \\| doubt it. |"]
    claim = lines.index("### claim_type")
    assert not any(line.startswith("| 0.") for line in lines[claim:])


def test_report_adds_the_synthetic_section_when_given(predictions, metrics):
    synthetic = {**metrics, "protocol": {**metrics["protocol"], "folds": "2 folds of articles"}}
    report = render(predictions, metrics, synthetic_metrics=synthetic)
    assert report.count("## Held-out synthetic articles") == 1
    assert "2 folds of articles over the annotated synthetic articles" in report
    assert report.count("### stance") == 2  # the synthetic table and the errors
