"""Uncertainty sampling over `stance score` output: which sentences to label next.

Scores each sentence by how unsure the model is (least margin or highest entropy, from the
`p_<task>_<label>` columns that `stance score` writes), then walks down that ranking keeping
at most `per_article` sentences of any article and dropping near-duplicates of sentences
already kept, so the batch an annotator gets is varied.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import entropy
from sklearn.feature_extraction.text import TfidfVectorizer

from pipeline.labels import TASKS
from pipeline.scoring.writers import infer_format

STRATEGIES = ("margin", "entropy")


class SelectionError(ValueError):
    """The scores file cannot be used for selection; the message says why."""


def read_scores(path: Path | str) -> pd.DataFrame:
    """A `stance score` output file (csv, jsonl or parquet, by suffix, as `stance score`
    chose the format)."""
    path = Path(path)
    if not path.is_file():
        raise SelectionError(f"{path}: no such file")
    fmt = infer_format(path, default="csv")
    if fmt == "parquet":
        return pd.read_parquet(path)
    if fmt == "jsonl":
        return pd.read_json(path, lines=True)
    return pd.read_csv(path)


def probability_columns(scores: pd.DataFrame, task: str) -> list[str]:
    columns = [f"p_{task}_{label}" for label in TASKS[task]]
    missing = [c for c in columns if c not in scores]
    if missing:
        raise SelectionError(f"missing probability columns {missing}: is this the output "
                             "of `stance score`?")
    return columns


def uncertainty(scores: pd.DataFrame, strategy: str, tasks: tuple[str, ...]) -> np.ndarray:
    """Per sentence, in [0, 1], higher = less sure: 1 - (top1 - top2) for "margin", entropy
    divided by log(k) for "entropy"; the mean over `tasks`."""
    if strategy not in STRATEGIES:
        raise SelectionError(f"unknown strategy {strategy!r} (use one of {STRATEGIES})")
    per_task = []
    for task in tasks:
        proba = scores[probability_columns(scores, task)].to_numpy(dtype=float)
        if strategy == "margin":
            top = np.sort(proba, axis=1)[:, ::-1]
            per_task.append(1.0 - (top[:, 0] - top[:, 1]))
        else:
            per_task.append(entropy(proba, axis=1) / np.log(proba.shape[1]))
    return np.mean(per_task, axis=0)


def select_for_labeling(scores: pd.DataFrame, n: int, strategy: str = "margin",
                        tasks: tuple[str, ...] = tuple(TASKS), per_article: int = 3,
                        duplicate_similarity: float = 0.8) -> pd.DataFrame:
    """The `n` most uncertain sentences, at most `per_article` per article, with no two
    whose TF-IDF cosine similarity reaches `duplicate_similarity`. Adds an `uncertainty`
    column; rows come out most uncertain first."""
    required = {"article_id", "text", "sentence_id"} - set(scores)
    if required:
        raise SelectionError(f"missing columns {sorted(required)}: is this the output of "
                             "`stance score`?")
    if n < 1 or per_article < 1:
        raise SelectionError("n and per_article must be at least 1")
    scored = scores.assign(uncertainty=uncertainty(scores, strategy, tasks))
    scored = scored.sort_values("uncertainty", ascending=False, kind="stable")
    scored = scored.reset_index(drop=True)
    if scored.empty:
        return scored
    vectors = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True).fit_transform(
        scored["text"].astype(str))
    kept: list[int] = []
    per_article_count: dict[str, int] = {}
    for row in range(len(scored)):
        article = scored.at[row, "article_id"]
        if per_article_count.get(article, 0) >= per_article:
            continue
        if kept and (vectors[kept] @ vectors[row].T).max() >= duplicate_similarity:
            continue
        kept.append(row)
        per_article_count[article] = per_article_count.get(article, 0) + 1
        if len(kept) == n:
            break
    return scored.iloc[kept].reset_index(drop=True)
