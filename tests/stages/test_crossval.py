"""Stage `crossval_<model>`: out-of-fold predictions of every gold sentence, per model."""

import pandas as pd
import pytest

from pipeline.labels import TASKS
from pipeline.stages import crossval
from tests.conftest import ROOT
from tests.stages.conftest import SEED_COUNTRIES, SYNTHETIC_COUNTRIES, TEMPLATES, inside

COLUMNS = {"model", "eval_set", "task", "fold", "sentence_id", "article_id", "text", "gold",
           "predicted", "confidence"}


@pytest.mark.parametrize("model", ["majority", "label_model", "baseline", "transformer"])
def test_crossval_predicts_each_gold_sentence_once_per_task(crossval_done, model):
    predictions = pd.read_parquet(crossval_done / f"data/evaluation/{model}.parquet")
    assert COLUMNS <= set(predictions) and set(predictions["model"]) == {model}
    labeled = pd.read_parquet(crossval_done / "data/processed/labeled.parquet")
    gold = labeled[labeled["label_source"] == "gold"]
    for eval_set, articles, folds in (("seed", SEED_COUNTRIES, len(SEED_COUNTRIES)),
                                      ("synthetic", SYNTHETIC_COUNTRIES, 2)):
        rows = predictions[predictions["eval_set"] == eval_set]
        assert len(rows) == len(TASKS) * len(TEMPLATES) * len(articles)
        assert rows["fold"].nunique() == folds
        expected = set(gold.loc[gold["corpus"] == eval_set, "sentence_id"])
        for task, labels in TASKS.items():
            of_task = rows[rows["task"] == task]
            assert set(of_task["sentence_id"]) == expected and of_task["sentence_id"].is_unique
            assert set(of_task["predicted"]) <= set(labels)
        # each article is held out in exactly one fold
        assert (rows.groupby("article_id")["fold"].nunique() == 1).all()
    assert predictions["confidence"].between(0, 1).all()


def test_crossval_refuses_an_unknown_model_by_name():
    with inside(ROOT), pytest.raises(SystemExit, match="usage: python -m pipeline.stages.crossval"):
        crossval.main(["nearest_neighbour"])
