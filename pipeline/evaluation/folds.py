"""Folds of whole articles: the one definition of leave-one-article-out, shared by model
cross-validation (`evaluation.crossval`) and the label model's report (`labeling.combine`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pipeline.labeling.datasets import gold_rows


@dataclass(frozen=True)
class Fold:
    name: str
    test_articles: tuple[str, ...]

    def holds_out(self, article_ids: pd.Series) -> np.ndarray:
        """Boolean mask of the rows (by article id) this fold tests on."""
        return article_ids.isin(self.test_articles).to_numpy()


def leave_one_article_out(article_ids: Iterable[str]) -> list[Fold]:
    """One fold per distinct article, in sorted order."""
    return [Fold(article, (article,)) for article in sorted(set(article_ids))]


def articles_with_gold(labeled: pd.DataFrame, corpus: str) -> list[str]:
    """Sorted ids of the `corpus` articles that have gold sentences."""
    return sorted(gold_rows(labeled, corpus)["article_id"].unique())


def seed_folds(labeled: pd.DataFrame) -> list[Fold]:
    """One fold per seed article with gold sentences, in a stable order."""
    return leave_one_article_out(articles_with_gold(labeled, "seed"))


def synthetic_folds(labeled: pd.DataFrame, n_folds: int, seed: int) -> list[Fold]:
    """`n_folds` folds of whole synthetic articles, shuffled with `seed` (empty when there
    are no annotated synthetic articles)."""
    articles = np.array(articles_with_gold(labeled, "synthetic"))
    if len(articles) == 0 or n_folds < 2:
        return []
    np.random.default_rng(seed).shuffle(articles)
    return [Fold(f"synthetic-{i + 1}", tuple(sorted(chunk)))
            for i, chunk in enumerate(np.array_split(articles, min(n_folds, len(articles))))]
