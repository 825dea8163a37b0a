"""Folds of whole articles, shared by cross-validation and the label model's report."""

import pandas as pd

from pipeline.evaluation.folds import (
    articles_with_gold,
    leave_one_article_out,
    seed_folds,
    synthetic_folds,
)
from pipeline.labeling.datasets import gold_rows

LABELED = pd.DataFrame({
    "article_id": ["b", "b", "a", "w", "s2", "s1", "s3"],
    "corpus": ["seed", "seed", "seed", "seed", "synthetic", "synthetic", "synthetic"],
    "label_source": ["gold", "gold", "gold", "weak", "gold", "gold", "weak"],
})


def test_one_fold_per_distinct_article_in_sorted_order():
    folds = leave_one_article_out(["b", "a", "b", "c"])
    assert [fold.test_articles for fold in folds] == [("a",), ("b",), ("c",)]
    assert folds[1].holds_out(pd.Series(["a", "b", "b", "c"])).tolist() == [False, True, True,
                                                                             False]


def test_gold_rows_keep_one_corpus_and_only_gold():
    assert gold_rows(LABELED, "seed")["article_id"].tolist() == ["b", "b", "a"]
    assert gold_rows(LABELED, "synthetic")["article_id"].tolist() == ["s2", "s1"]


def test_seed_folds_hold_out_each_seed_article_with_gold():
    assert articles_with_gold(LABELED, "seed") == ["a", "b"]
    assert [fold.name for fold in seed_folds(LABELED)] == ["a", "b"]


def test_synthetic_folds_cover_each_annotated_synthetic_article_once():
    folds = synthetic_folds(LABELED, n_folds=5, seed=0)
    held = sorted(article for fold in folds for article in fold.test_articles)
    assert held == ["s1", "s2"] and len(folds) == 2
    assert synthetic_folds(LABELED, n_folds=1, seed=0) == []
