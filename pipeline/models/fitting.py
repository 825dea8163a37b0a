"""Fit a model on a training set and measure what the train reports record."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import accuracy_score, log_loss

from pipeline.io import write_json
from pipeline.models.base import MultiTaskModel
from pipeline.models.card import git_commit, write_model_card
from pipeline.models.data import labels_of

log = logging.getLogger(__name__)


def fit_with_report(model: MultiTaskModel, train: pd.DataFrame, **fit_kwargs) -> dict:
    """Fit `model` on `train` (TRAINING_COLUMNS) and return the training report.

    The final training loss is the model's own last-epoch loss where it has one (transformer
    strategies), else the mean over tasks of the log loss on the training set.
    """
    texts = train["text"].tolist()
    started = time.perf_counter()
    model.fit(texts, labels_of(train, model.tasks), **fit_kwargs)
    seconds = time.perf_counter() - started
    proba = model.predict_proba_all(texts)
    accuracy, losses = {}, []
    for task in model.tasks:
        classes = model.classes(task)
        predicted = classes[proba[task].argmax(axis=1)]
        accuracy[task] = float(accuracy_score(train[task], predicted))
        # Columns follow `classes`, so pass class indices: log_loss sorts string labels.
        index = {label: i for i, label in enumerate(classes)}
        losses.append(log_loss([index[v] for v in train[task]], proba[task],
                               labels=list(range(len(classes)))))
    epoch_losses = getattr(model, "epoch_losses_", None)
    return {
        "family": model.family,
        "commit": git_commit(),
        "seconds": round(seconds, 2),
        "train_size": {str(k): int(v) for k, v in train["source"].value_counts().items()},
        "final_training_loss": float(epoch_losses[-1] if epoch_losses else np.mean(losses)),
        "epoch_losses": epoch_losses or [],
        "training_log_loss": {task: float(v) for task, v in zip(model.tasks, losses, strict=True)},
        "training_accuracy": accuracy,
    }


def train_and_save(model: MultiTaskModel, train: pd.DataFrame, folder: Path | str,
                   report_path: Path | str, title: str, description: str, params: dict,
                   report_extra: dict | None = None, **fit_kwargs) -> dict:
    """What every train stage does: fit, save the model, write its report and model card."""
    report = {**fit_with_report(model, train, **fit_kwargs), **(report_extra or {})}
    model.save(Path(folder))
    write_json(report_path, report)
    write_model_card(Path(folder), title, description, report, params)
    log.info("%s: trained in %.1fs; training accuracy %s", title, report["seconds"],
             report["training_accuracy"])
    return report
