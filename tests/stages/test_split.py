"""Stage `split`: both corpora -> one row per sentence, tagged with its corpus, and a report."""

import json

import pandas as pd

from tests.stages.conftest import SEED_COUNTRIES, SYNTHETIC_COUNTRIES, TEMPLATES


def test_split_writes_every_sentence_of_both_corpora(split_done):
    sentences = pd.read_parquet(split_done / "data/interim/sentences.parquet")
    assert {"sentence_id", "article_id", "corpus", "text", "kind", "byline"} <= set(sentences)
    per_article = len(TEMPLATES) + 2  # the templates, the headline and the byline
    counts = sentences.groupby("corpus")["article_id"].agg(["nunique", "size"])
    assert counts.loc["seed"].tolist() == [len(SEED_COUNTRIES), per_article * len(SEED_COUNTRIES)]
    assert counts.loc["synthetic"].tolist() == [len(SYNTHETIC_COUNTRIES),
                                                per_article * len(SYNTHETIC_COUNTRIES)]
    assert sentences["sentence_id"].is_unique
    assert (sentences["kind"] == "headline").sum() == len(SEED_COUNTRIES) + len(SYNTHETIC_COUNTRIES)
    assert not sentences["text"].str.contains("Share this article").any()


def test_split_report_counts_what_was_dropped(split_done):
    report = json.loads((split_done / "reports/split.json").read_text(encoding="utf-8"))
    seed = report["corpora"]["seed"]["totals"]
    assert seed["articles"] == len(SEED_COUNTRIES)
    assert seed["sentences"] == (len(TEMPLATES) + 2) * len(SEED_COUNTRIES)
    assert seed["lines_dropped"] == len(SEED_COUNTRIES)  # one "Share this article" each
    assert seed["files_skipped"] == 0
