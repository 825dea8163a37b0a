"""Leave-one-article-out cross-validation on gold sentences.

Each fold holds out every gold sentence of one article. Training uses the other articles'
gold, plus (per params) synthetic sentences and weak labels, never anything from the held-out
article: `training_set(..., exclude_articles=[article])` guarantees it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import numpy as np
import pandas as pd

from pipeline.config import DataConfig
from pipeline.models.base import MultiTaskModel
from pipeline.models.data import labels_of, training_set

log = logging.getLogger(__name__)
PREDICTION_COLUMNS = ["model", "task", "fold", "sentence_id", "article_id", "text", "gold",
                      "predicted", "confidence", "probabilities"]


def folds(gold: pd.DataFrame) -> list[str]:
    """One fold per article with gold sentences, in a stable order."""
    return sorted(gold["article_id"].unique())


def out_of_fold_predictions(name: str, make_model: Callable[[], MultiTaskModel],
                            labeled: pd.DataFrame, augment: pd.DataFrame, data: DataConfig,
                            min_confidence: float) -> pd.DataFrame:
    """Pooled out-of-fold predictions of one model (long format, PREDICTION_COLUMNS)."""
    gold = labeled[labeled["label_source"] == "gold"]
    rows = []
    for fold, article in enumerate(folds(gold)):
        model = make_model()
        train = training_set(labeled, augment, data, min_confidence, exclude_articles=[article])
        sources = getattr(model, "training_sources", None)
        if sources:
            train = train[train["source"].isin(sources)]
        test = gold[gold["article_id"] == article]
        leaked = set(train["text"]) & set(test["text"])
        if leaked:
            raise RuntimeError(f"fold {article}: test sentences found in training data: "
                               f"{sorted(leaked)[:3]}")
        log.info("%s fold %d/%d: hold out %s (%d sentences), train on %d", name, fold + 1,
                 len(folds(gold)), article, int((gold["article_id"] == article).sum()),
                 len(train))
        model.fit(train["text"].tolist(), labels_of(train, model.tasks))
        probabilities = model.predict_proba_all(test["text"].tolist())
        for task, proba in probabilities.items():
            classes = model.classes(task)
            predicted = classes[proba.argmax(axis=1)]
            rows.append(pd.DataFrame({
                "model": name, "task": task, "fold": fold,
                "sentence_id": test["sentence_id"].to_numpy(),
                "article_id": article, "text": test["text"].to_numpy(),
                "gold": test[task].to_numpy(), "predicted": predicted,
                "confidence": proba.max(axis=1), "probabilities": list(np.round(proba, 6)),
            }))
    return pd.concat(rows, ignore_index=True)[PREDICTION_COLUMNS]
