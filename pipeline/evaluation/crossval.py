"""Cross-validation by article: every test fold is a set of whole articles, gold only.

Two protocols (folds from `evaluation.folds`) share one loop:
- `seed_folds`: leave-one-article-out over the real seed articles (the headline figures);
- `synthetic_folds`: k folds of whole synthetic articles (a second, separate evaluation on
  text the team wrote).

Training uses the other articles' gold, plus (per params) synthetic articles, weak labels and
synthetic sentences, never anything from a held-out article: `training_set(...,
exclude_articles=...)` guarantees it, and weak labels are re-voted by a label model that never
saw the held-out articles (`refit_weak_labels`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import numpy as np
import pandas as pd

from pipeline.config import DataConfig, LabelingConfig
from pipeline.evaluation.folds import Fold
from pipeline.labeling.combine import refit_weak_labels
from pipeline.models.base import MultiTaskModel
from pipeline.models.data import labels_of, training_set

log = logging.getLogger(__name__)
PREDICTION_COLUMNS = ["model", "eval_set", "task", "fold", "sentence_id", "article_id", "text",
                      "gold", "predicted", "confidence", "probabilities"]


def out_of_fold_predictions(name: str, make_model: Callable[[], MultiTaskModel],
                            labeled: pd.DataFrame, augment: pd.DataFrame, data: DataConfig,
                            labeling: LabelingConfig, folds: list[Fold],
                            eval_set: str = "seed") -> pd.DataFrame:
    """Pooled out-of-fold predictions of one model (long format, PREDICTION_COLUMNS)."""
    gold = labeled[labeled["label_source"] == "gold"]
    rows = []
    for number, fold in enumerate(folds):
        model = make_model()
        fold_labeled = refit_weak_labels(labeled, fold.test_articles, labeling) \
            if data.use_weak else labeled
        train = training_set(fold_labeled, augment, data, labeling.min_confidence,
                             exclude_articles=fold.test_articles)
        test = gold[gold["article_id"].isin(fold.test_articles)]
        # Another article may hold the same text (one author's byline in two articles): it
        # leaves training, so no test sentence is ever seen in training, even by wording.
        repeated = train["text"].isin(set(test["text"]))
        if repeated.any():
            log.info("%s fold %s: %d training sentences dropped, identical to test sentences",
                     name, fold.name, int(repeated.sum()))
            train = train[~repeated]
        log.info("%s %s fold %d/%d: hold out %s (%d sentences), train on %d", name, eval_set,
                 number + 1, len(folds), fold.name, len(test), len(train))
        model.fit(train["text"].tolist(), labels_of(train, model.tasks))
        probabilities = model.predict_proba_all(test["text"].tolist())
        for task, proba in probabilities.items():
            classes = model.classes(task)
            rows.append(pd.DataFrame({
                "model": name, "eval_set": eval_set, "task": task, "fold": number,
                "sentence_id": test["sentence_id"].to_numpy(),
                "article_id": test["article_id"].to_numpy(), "text": test["text"].to_numpy(),
                "gold": test[task].to_numpy(), "predicted": classes[proba.argmax(axis=1)],
                "confidence": proba.max(axis=1), "probabilities": list(np.round(proba, 6)),
            }))
    if not rows:
        return pd.DataFrame(columns=PREDICTION_COLUMNS)
    return pd.concat(rows, ignore_index=True)[PREDICTION_COLUMNS]
