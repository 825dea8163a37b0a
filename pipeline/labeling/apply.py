"""Apply labeling functions to sentence units, giving Snorkel's label matrix L."""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.labeling.functions import LabelingFunction, Unit

ABSTAIN = -1


def units_of(sentences: pd.DataFrame) -> list[Unit]:
    """Units from a sentence table (kind and byline default for plain text tables)."""
    kinds = sentences["kind"] if "kind" in sentences else ["body"] * len(sentences)
    bylines = sentences["byline"] if "byline" in sentences else [False] * len(sentences)
    return [Unit(str(text), str(kind), bool(byline))
            for text, kind, byline in zip(sentences["text"], kinds, bylines, strict=True)]


def apply_lfs(units: list[Unit], lfs: list[LabelingFunction],
              labels: tuple[str, ...]) -> np.ndarray:
    """Label matrix of shape (n_units, n_lfs): the index of each vote in `labels`, or ABSTAIN."""
    index = {label: i for i, label in enumerate(labels)}
    matrix = np.full((len(units), len(lfs)), ABSTAIN, dtype=np.int64)
    for j, lf in enumerate(lfs):
        for i, unit in enumerate(units):
            vote = lf(unit)
            if vote is not None:
                matrix[i, j] = index[vote]
    return matrix
