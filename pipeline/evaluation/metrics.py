"""Metrics of the label contract, with 95% bootstrap intervals over sentences and articles."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy.stats import bootstrap
from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support

from pipeline.labels import FAVG_LABELS, TASKS

Metric = Callable[[np.ndarray, np.ndarray], float]


def f_avg(y_true, y_pred) -> float:
    """Stance F_avg: mean F1 of optimistic and skeptical (SemEval-2016 Task 6)."""
    return float(np.mean(f1_score(y_true, y_pred, labels=list(FAVG_LABELS), average=None,
                                  zero_division=0)))


def macro_f1(labels: tuple[str, ...]) -> Metric:
    def metric(y_true, y_pred) -> float:
        return float(f1_score(y_true, y_pred, labels=list(labels), average="macro",
                              zero_division=0))
    return metric


def accuracy(y_true, y_pred) -> float:
    return float(accuracy_score(y_true, y_pred))


def headline_metrics(task: str) -> dict[str, Metric]:
    """The headline metrics of a task, in report order."""
    metrics: dict[str, Metric] = {}
    if task == "stance":
        metrics["f_avg"] = f_avg
    metrics["macro_f1"] = macro_f1(TASKS[task])
    metrics["accuracy"] = accuracy
    return metrics


def per_class(task: str, y_true, y_pred) -> dict[str, dict[str, float]]:
    labels = list(TASKS[task])
    precision, recall, f1, support = precision_recall_fscore_support(
        y_true, y_pred, labels=labels, zero_division=0)
    return {label: {"precision": float(p), "recall": float(r), "f1": float(f),
                    "support": int(s)}
            for label, p, r, f, s in zip(labels, precision, recall, f1, support, strict=True)}


def sentence_interval(metric: Metric, y_true, y_pred, n_resamples: int, level: float,
                      seed: int) -> tuple[float, float]:
    """Percentile bootstrap interval, resampling sentences (pairs of gold and prediction)."""
    result = bootstrap((np.asarray(y_true), np.asarray(y_pred)), metric, paired=True,
                       vectorized=False, n_resamples=n_resamples, confidence_level=level,
                       method="percentile", random_state=seed)
    return float(result.confidence_interval.low), float(result.confidence_interval.high)


def article_interval(metric: Metric, y_true, y_pred, articles, n_resamples: int,
                     level: float, seed: int) -> tuple[float, float]:
    """Percentile bootstrap interval resampling whole articles (a cluster bootstrap): wider,
    and honest about how few articles there are."""
    y_true, y_pred, articles = map(np.asarray, (y_true, y_pred, articles))
    groups = [np.flatnonzero(articles == a) for a in np.unique(articles)]

    def statistic(chosen):
        rows = np.concatenate([groups[int(i)] for i in chosen])
        return metric(y_true[rows], y_pred[rows])

    result = bootstrap((np.arange(len(groups)),), statistic, vectorized=False,
                       n_resamples=n_resamples, confidence_level=level, method="percentile",
                       random_state=seed)
    return float(result.confidence_interval.low), float(result.confidence_interval.high)


def paired_difference(metric: Metric, y_true, pred_a, pred_b, n_resamples: int,
                      level: float, seed: int) -> dict[str, float]:
    """metric(a) - metric(b) on the same sentences, with a paired bootstrap interval and the
    share of resamples in which a does not beat b."""
    y_true, pred_a, pred_b = map(np.asarray, (y_true, pred_a, pred_b))

    def statistic(t, a, b):
        return metric(t, a) - metric(t, b)

    result = bootstrap((y_true, pred_a, pred_b), statistic, paired=True, vectorized=False,
                       n_resamples=n_resamples, confidence_level=level, method="percentile",
                       random_state=seed)
    distribution = result.bootstrap_distribution
    return {"value": statistic(y_true, pred_a, pred_b),
            "low": float(result.confidence_interval.low),
            "high": float(result.confidence_interval.high),
            "share_not_better": float(np.mean(distribution <= 0))}
