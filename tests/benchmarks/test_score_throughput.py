"""The benchmark's paths are a fair comparison: same sentences, same labels, plots of what ran."""

import pandas as pd

from benchmarks.naive import run_naive, score_naive
from benchmarks.score_throughput import PATHS, agreement_by_text, write_plots
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


def test_naive_end_to_end_splits_every_article_and_labels_each_sentence(tmp_path,
                                                                         tiny_transformer):
    model = tiny_transformer().fit(TEXTS, LABELS)
    model.save(tmp_path / "tiny")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Troops could deploy in spring. Moscow objects.\n",
                                  encoding="utf-8")
    (corpus / "b.txt").write_text("Leaders meet on Thursday.\n", encoding="utf-8")
    (corpus / "notes.md").write_text("Not an article.\n", encoding="utf-8")
    counts = score_naive(tmp_path / "tiny", corpus, tmp_path / "naive.csv")
    rows = pd.read_csv(tmp_path / "naive.csv")
    assert counts["sentences"] == 3 and counts["pipeline_seconds"] > 0
    assert rows["text"].tolist() == ["Troops could deploy in spring.", "Moscow objects.",
                                     "Leaders meet on Thursday."]
    assert rows["source"].tolist() == [str(corpus / "a.txt")] * 2 + [str(corpus / "b.txt")]
    ours = TransformerModel.load(tmp_path / "tiny").predict_all(rows["text"].tolist())
    for task in model.tasks:
        assert rows[task].tolist() == list(ours[task])


def test_agreement_by_text_matches_sentences_of_the_same_article():
    naive = pd.DataFrame({"source": ["a", "a", "b", "c"], "text": ["x", "y", "x", "z"],
                          "stance": ["neutral", "optimistic", "neutral", "neutral"],
                          "claim_type": ["fact"] * 4})
    ours = pd.DataFrame({"source": ["a", "a", "b"], "text": ["x", "y", "x"],
                         "stance": ["neutral", "skeptical", "neutral"],
                         "claim_type": ["fact", "fact", "policy"]})
    assert agreement_by_text(naive, ours) == {"matched_sentences": 3, "stance": 2 / 3,
                                              "claim_type": 2 / 3}


def test_every_path_is_a_valid_score_command_line():
    from typer.testing import CliRunner

    from pipeline.cli import app

    for name, flags in PATHS.items():
        result = CliRunner().invoke(app, ["score", "--help", *flags])
        assert result.exit_code == 0, (name, result.output)


def test_plots_hold_one_row_per_size(tmp_path):
    rows = pd.DataFrame({"sentences": [1000, 10000], "naive_sentences_per_second": [40.0, 40.0],
                         "default_sentences_per_second": [300.0, 500.0],
                         "default_peak_rss_mib": [800.0, 820.0],
                         "fp32_sentences_per_second": [200.0, 250.0],
                         "fp32_peak_rss_mib": [790.0, 800.0]})
    write_plots(rows, tmp_path / "b.csv", tmp_path / "b.png")
    assert pd.read_csv(tmp_path / "b.csv").equals(rows)
    assert (tmp_path / "b.png").stat().st_size > 1000
