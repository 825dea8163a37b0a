import numpy as np
import pytest

from pipeline.evaluation.metrics import (
    article_interval,
    f_avg,
    headline_metrics,
    paired_difference,
    per_class,
    sentence_interval,
)

GOLD = np.array(["optimistic", "optimistic", "skeptical", "neutral", "neutral", "skeptical"] * 5)
PRED = np.array(["optimistic", "neutral", "skeptical", "neutral", "optimistic", "skeptical"] * 5)
ARTICLES = np.repeat(["a", "b", "c", "d", "e"], 6)


def test_f_avg_ignores_neutral_f1():
    # optimistic: P=1/2... computed by hand: opt P=5/10 R=5/10 F1=.5; skep P=R=1 -> F_avg .75
    assert f_avg(GOLD, PRED) == pytest.approx(0.75)
    assert set(headline_metrics("stance")) == {"f_avg", "macro_f1", "accuracy"}
    assert set(headline_metrics("claim_type")) == {"macro_f1", "accuracy"}


def test_per_class_reports_every_label_with_support():
    table = per_class("stance", GOLD, PRED)
    assert table["skeptical"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 10}
    assert table["neutral"]["support"] == 10


def test_intervals_bracket_the_estimate():
    metric = headline_metrics("stance")["accuracy"]
    value = metric(GOLD, PRED)
    low, high = sentence_interval(metric, GOLD, PRED, 300, 0.95, seed=0)
    assert low <= value <= high and high - low > 0
    a_low, a_high = article_interval(metric, GOLD, PRED, ARTICLES, 300, 0.95, seed=0)
    # every article has the same accuracy here, so resampling articles cannot move it
    assert a_low == pytest.approx(value) and a_high == pytest.approx(value)


def test_paired_difference_of_a_better_model_is_positive():
    metric = headline_metrics("stance")["accuracy"]
    diff = paired_difference(metric, GOLD, GOLD, PRED, 300, 0.95, seed=0)
    assert diff["value"] == pytest.approx(1 - metric(GOLD, PRED))
    assert diff["low"] > 0 and diff["share_not_better"] == 0.0
