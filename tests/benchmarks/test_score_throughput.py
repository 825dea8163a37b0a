"""The benchmark's paths are a fair comparison: same sentences, same labels, plots of what ran."""

import pandas as pd

from benchmarks.naive import run_naive
from benchmarks.score_throughput import PATHS, agreement, write_plots
from pipeline.models.transformer import TransformerModel
from tests.conftest import LABELS, TEXTS


def test_naive_pipeline_gives_the_models_own_labels(tmp_path, tiny_transformer):
    model = tiny_transformer().fit(TEXTS, LABELS)
    model.save(tmp_path / "tiny")
    texts = [*TEXTS, "A short one.", "A much longer sentence that needs more padding " * 3]
    naive = run_naive(tmp_path / "tiny", texts)
    ours = TransformerModel.load(tmp_path / "tiny").predict_all(texts)
    assert naive["sentences"] == len(texts)
    for task in model.tasks:
        assert naive["labels"][task] == list(ours[task])
    assert pd.Series(naive["labels"]["stance"]).isin(model.classes("stance")).all()


def test_every_path_is_a_valid_score_command_line():
    from typer.testing import CliRunner

    from pipeline.cli import app

    for name, flags in PATHS.items():
        result = CliRunner().invoke(app, ["score", "--help", *flags])
        assert result.exit_code == 0, (name, result.output)


def test_agreement_counts_equal_labels_per_task():
    ours = pd.DataFrame({"stance": ["a", "b", "c", "d"], "claim_type": ["x"] * 4})
    fp32 = pd.DataFrame({"stance": ["a", "b", "c", "c"], "claim_type": ["x"] * 4})
    assert agreement(ours, fp32) == {"stance": 0.75, "claim_type": 1.0}


def test_plots_hold_one_row_per_size(tmp_path):
    rows = pd.DataFrame({"sentences": [1000, 10000], "naive_sentences_per_second": [40.0, 40.0],
                         "default_sentences_per_second": [300.0, 500.0],
                         "default_peak_rss_mib": [800.0, 820.0],
                         "fp32_sentences_per_second": [200.0, 250.0],
                         "fp32_peak_rss_mib": [790.0, 800.0]})
    write_plots(rows, tmp_path / "b.csv", tmp_path / "b.png")
    assert pd.read_csv(tmp_path / "b.csv").equals(rows)
    assert (tmp_path / "b.png").stat().st_size > 1000
