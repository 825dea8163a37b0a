"""The training set: seed gold, annotated synthetic articles, and optionally weak labels and
the older synthetic sentences.

Evaluation folds hold gold only; `exclude_articles` keeps a test fold's articles out of every
training source, so nothing from a held-out article leaks in through its weak labels.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import pandas as pd
from datasets import Dataset

from pipeline.config import DataConfig
from pipeline.labeling.datasets import gold_rows

TRAINING_COLUMNS = ["text", "stance", "claim_type", "source"]
# `source` of each training row: human labels on the real corpus, human labels on the team's
# synthetic articles, the label model's votes, and the older isolated synthetic sentences.
SOURCES = ("gold", "synthetic_article", "weak", "synthetic")


def training_set(labeled: pd.DataFrame, augment: pd.DataFrame, data: DataConfig,
                 min_confidence: float, exclude_articles: Iterable[str] = ()) -> pd.DataFrame:
    """Rows of TRAINING_COLUMNS; `source` is one of SOURCES."""
    excluded = set(exclude_articles)
    usable = labeled[~labeled["article_id"].isin(excluded)]
    # Real news is a few dozen sentences against thousands of synthetic ones: repeating it
    # gives its wording more weight in every epoch.
    parts = [gold_rows(usable, "seed").assign(source="gold")] * data.seed_gold_repeats
    if data.use_synthetic_articles:
        parts.append(gold_rows(usable, "synthetic").assign(source="synthetic_article"))
    if data.use_weak:
        confident = ((usable["stance_confidence"] >= min_confidence)
                     & (usable["claim_type_confidence"] >= min_confidence))
        parts.append(usable[(usable["label_source"] == "weak") & confident].assign(source="weak"))
    if data.use_augment and len(augment):
        parts.append(augment.assign(source="synthetic"))
    return pd.concat([part[TRAINING_COLUMNS] for part in parts], ignore_index=True)


def labels_of(frame: pd.DataFrame, tasks: Iterable[str]) -> dict[str, list[str]]:
    return {task: frame[task].tolist() for task in tasks}


def multitask_dataset(texts: Sequence[str], labels: Mapping[str, Sequence[str]],
                      classes: Mapping[str, Sequence[str]]) -> Dataset:
    """What the trainers take: a `text` column and, per task, a column of class indices into
    `classes[task]`. A label outside `classes` is a ValueError naming the task and label."""
    columns: dict[str, list] = {"text": list(texts)}
    for task, names in classes.items():
        index = {name: i for i, name in enumerate(names)}
        unknown = sorted({value for value in labels[task] if value not in index})
        if unknown:
            raise ValueError(f"{task}: unknown labels {unknown} (known: {list(names)})")
        columns[task] = [index[value] for value in labels[task]]
    return Dataset.from_dict(columns)
