"""From pooled out-of-fold predictions to the metrics file (reports/metrics.json)."""

from __future__ import annotations

import pandas as pd

from pipeline.config import EvaluateConfig
from pipeline.evaluation.metrics import (
    article_interval,
    headline_metrics,
    paired_difference,
    per_class,
    sentence_interval,
)


def compute_metrics(predictions: pd.DataFrame, config: EvaluateConfig, seed: int,
                    folds: str = "leave-one-article-out") -> dict:
    """metrics[task][model][metric] = {value, sentence_low/high, article_low/high}, plus
    per-class precision/recall/F1/support, and the paired difference of the configured pair.

    Flat keys and plain numbers only, so `dvc metrics diff` and `dvc exp show` can show them.
    """
    level, n = config.confidence_level, config.n_resamples
    metrics: dict = {"protocol": {"folds": folds, "evaluated_on": "gold",
                                  "n_resamples": n, "confidence_level": level}}
    for task, task_rows in predictions.groupby("task", sort=False):
        metrics[task] = {}
        for model, rows in task_rows.groupby("model", sort=False):
            entry = {}
            for name, metric in headline_metrics(task).items():
                low, high = sentence_interval(metric, rows["gold"], rows["predicted"], n, level,
                                              seed)
                a_low, a_high = article_interval(metric, rows["gold"], rows["predicted"],
                                                 rows["article_id"], n, level, seed)
                entry[name] = {"value": metric(rows["gold"].to_numpy(),
                                               rows["predicted"].to_numpy()),
                               "sentence_low": low, "sentence_high": high,
                               "article_low": a_low, "article_high": a_high}
            entry["per_class"] = per_class(task, rows["gold"], rows["predicted"])
            entry["n"] = len(rows)
            metrics[task][model] = entry
        first, second = config.compare
        models = set(task_rows["model"])
        if {first, second} <= models:
            a = task_rows[task_rows["model"] == first].sort_values("sentence_id")
            b = task_rows[task_rows["model"] == second].sort_values("sentence_id")
            metrics[task][f"{first}_minus_{second}"] = {
                name: paired_difference(metric, a["gold"].to_numpy(), a["predicted"].to_numpy(),
                                        b["predicted"].to_numpy(), n, level, seed)
                for name, metric in headline_metrics(task).items()
            }
    return metrics


def human_metrics(reference: pd.DataFrame, annotation: pd.DataFrame, config: EvaluateConfig,
                  seed: int) -> dict:
    """One annotation scored against another like a model: the human ceiling in the models'
    own metrics."""
    merged = reference.merge(annotation, on="sentence_id", suffixes=("", "_human"))
    out = {}
    for task in ("stance", "claim_type"):
        rows = pd.DataFrame({"model": "human", "task": task, "gold": merged[task],
                             "predicted": merged[f"{task}_human"],
                             "article_id": merged["article_id"],
                             "sentence_id": merged["sentence_id"]})
        out[task] = compute_metrics(rows, config, seed)[task]["human"]
    return out
