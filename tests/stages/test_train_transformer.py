"""Stage `train_transformer`: labeled sentences -> a saved tiny transformer, its report and
its dvclive metrics."""

import json

from tests.stages.conftest import TEMPLATES
from tests.stages.scoring_check import score_one_article


def test_train_transformer_saves_a_model_report_and_live_metrics(transformer_trained, tmp_path):
    report = json.loads((transformer_trained / "reports/train_transformer.json").read_text())
    assert report["strategy"] == "finetune"
    assert len(report["epoch_losses"]) == 1  # transformer.epochs=1
    assert report["final_training_loss"] > 0
    assert sum(report["train_size"].values()) >= len(TEMPLATES)
    live = transformer_trained / "reports/live/train_transformer"
    assert "train" in json.loads((live / "metrics.json").read_text())
    assert any((live / "plots/metrics").rglob("*.tsv"))
    score_one_article(transformer_trained, transformer_trained / "models/transformer",
                      tmp_path / "scores.csv")
