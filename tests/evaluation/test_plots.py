"""Figures and DVC confusion CSVs: the files are written with the right content (not pixels)."""

import pandas as pd

from pipeline.evaluation.plots import comparison_figure, confusion_figure, write_confusion_csvs

PNG = b"\x89PNG\r\n\x1a\n"


def predictions() -> pd.DataFrame:
    rows = []
    for model in ("baseline", "transformer"):
        for gold, predicted in (("optimistic", "optimistic"), ("skeptical", "neutral"),
                                ("neutral", "neutral")):
            rows.append({"model": model, "task": "stance", "gold": gold, "predicted": predicted})
        rows.append({"model": model, "task": "claim_type", "gold": "fact", "predicted": "policy"})
    return pd.DataFrame(rows)


def test_confusion_csvs_one_per_task_and_model(tmp_path):
    written = write_confusion_csvs(predictions(), tmp_path / "confusion")
    assert sorted(p.name for p in written) == ["claim_type_baseline.csv",
                                               "claim_type_transformer.csv",
                                               "stance_baseline.csv", "stance_transformer.csv"]
    table = pd.read_csv(tmp_path / "confusion" / "stance_baseline.csv")
    assert table.to_dict("list") == {"actual": ["optimistic", "skeptical", "neutral"],
                                     "predicted": ["optimistic", "neutral", "neutral"]}


def test_confusion_figure_is_a_png_per_task(tmp_path):
    path = tmp_path / "figures" / "confusion_stance.png"
    confusion_figure(predictions(), "stance", path)
    assert path.read_bytes()[:8] == PNG


def test_comparison_figure_is_a_png_and_skips_differences(tmp_path):
    def entry(value):
        return {"value": value, "sentence_low": value - 0.1, "sentence_high": value + 0.1}

    metrics = {"stance": {"baseline": {"f_avg": entry(0.6), "macro_f1": entry(0.5)},
                          "human": {"f_avg": entry(0.8), "macro_f1": entry(0.7)},
                          # a paired difference has no bar; the figure must not read it
                          "transformer_minus_baseline": {"f_avg": {"value": 0.1}}},
               "claim_type": {"baseline": {"macro_f1": entry(0.4)},
                              "human": {"macro_f1": entry(0.9)}}}
    path = tmp_path / "figures" / "model_comparison.png"
    comparison_figure(metrics, path)
    assert path.read_bytes()[:8] == PNG
