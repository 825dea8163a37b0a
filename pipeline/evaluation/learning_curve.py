"""Learning curve: the seed leave-one-article-out metrics against the number of synthetic
training articles, so a reader sees whether more articles still help.

Each point re-runs the seed folds with a random subset of the annotated synthetic articles
(the rest are left out entirely); subsets are drawn `repeats` times per size with different
seeds, because which articles are drawn matters as much as how many.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from pipeline.config import DataConfig, LabelingConfig
from pipeline.evaluation.crossval import out_of_fold_predictions
from pipeline.evaluation.folds import articles_with_gold, seed_folds
from pipeline.evaluation.metrics import headline_metrics
from pipeline.labeling.datasets import gold_rows
from pipeline.models.base import MultiTaskModel

log = logging.getLogger(__name__)
CURVE_METRICS = {"stance": ("f_avg", "macro_f1"), "claim_type": ("macro_f1",)}


def learning_curve(name: str, make_model: Callable[[], MultiTaskModel], labeled: pd.DataFrame,
                   augment: pd.DataFrame, data: DataConfig, labeling: LabelingConfig,
                   sizes: Sequence[int], repeats: int, seed: int) -> pd.DataFrame:
    """One row per (size, repeat): the number of synthetic articles, of training sentences,
    and each metric of CURVE_METRICS on the pooled seed folds."""
    available = articles_with_gold(labeled, "synthetic")
    folds = seed_folds(labeled)
    rows = []
    for size in sorted({min(size, len(available)) for size in sizes}):
        # Every draw of 0 or of all articles is the same set: one repeat is enough.
        draws = 1 if size in (0, len(available)) else repeats
        for repeat in range(draws):
            chosen = set(np.random.default_rng(seed + repeat).choice(
                available, size=size, replace=False)) if size else set()
            left_out = set(available) - chosen
            subset = labeled[~labeled["article_id"].isin(left_out)]
            predictions = out_of_fold_predictions(name, make_model, subset, augment, data,
                                                  labeling, folds)
            row = {"articles": size, "repeat": repeat,
                   "training_sentences": len(gold_rows(subset, "synthetic"))}
            for task, names in CURVE_METRICS.items():
                rows_of_task = predictions[predictions["task"] == task]
                metrics = headline_metrics(task)
                for metric in names:
                    row[f"{task}_{metric}"] = metrics[metric](rows_of_task["gold"].to_numpy(),
                                                              rows_of_task["predicted"].to_numpy())
            log.info("learning curve: %d synthetic articles (draw %d): %s", size, repeat + 1,
                     {k: round(v, 3) for k, v in row.items() if isinstance(v, float)})
            rows.append(row)
    return pd.DataFrame(rows)


def curve_means(points: pd.DataFrame) -> pd.DataFrame:
    """Mean over draws per size: the series `dvc plots` draws."""
    return points.drop(columns="repeat").groupby("articles", as_index=False).mean()


def curve_figure(points: pd.DataFrame, path: Path, model: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    columns = [f"{task}_{metric}" for task, names in CURVE_METRICS.items() for metric in names]
    means = curve_means(points)
    low = points.groupby("articles")[columns].min().reset_index()
    high = points.groupby("articles")[columns].max().reset_index()
    figure, axis = plt.subplots(figsize=(6.5, 4))
    for column in columns:
        axis.plot(means["articles"], means[column], marker="o", label=column)
        axis.fill_between(means["articles"], low[column], high[column], alpha=0.15)
    axis.set_xlabel("synthetic training articles (plus the other seed articles' gold)")
    axis.set_ylabel("seed leave-one-article-out score")
    axis.set_title(f"Learning curve ({model}); band = min-max over draws")
    axis.set_ylim(0, 1)
    axis.grid(alpha=0.3)
    axis.legend(loc="lower right", fontsize=8)
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=120)
    plt.close(figure)
