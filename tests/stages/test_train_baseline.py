"""Stage `train_baseline`: labeled sentences -> a saved baseline that `stance score` loads."""

import json

from tests.stages.conftest import AUGMENT_COUNTRIES, SEED_COUNTRIES, SYNTHETIC_COUNTRIES, TEMPLATES
from tests.stages.scoring_check import score_one_article


def test_train_baseline_saves_a_model_and_its_report(baseline_trained, tmp_path):
    report = json.loads((baseline_trained / "reports/train_baseline.json").read_text())
    assert report["family"] == "baseline"
    sizes = report["train_size"]
    assert sizes["gold"] == len(TEMPLATES) * len(SEED_COUNTRIES)
    assert sizes["synthetic_article"] == len(TEMPLATES) * len(SYNTHETIC_COUNTRIES)
    assert sizes["synthetic"] == len(TEMPLATES) * len(AUGMENT_COUNTRIES)
    # templates repeat with only the country changed, so TF-IDF fits them almost perfectly
    assert min(report["training_accuracy"].values()) > 0.8
    assert report["final_training_loss"] > 0
    rows = score_one_article(baseline_trained, baseline_trained / "models/baseline",
                             tmp_path / "scores.csv")
    opposes = rows["text"].str.contains("opposes sending troops")
    assert rows.loc[opposes, "stance"].tolist() == ["skeptical"]
