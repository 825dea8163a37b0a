"""Agreement between two independent annotations: the human ceiling for every model."""

from __future__ import annotations

import krippendorff
import numpy as np
import pandas as pd
from sklearn.metrics import cohen_kappa_score, confusion_matrix

from pipeline.labels import TASKS


def agreement_report(first: pd.DataFrame, second: pd.DataFrame) -> dict:
    """Cohen's kappa, Krippendorff's alpha (nominal), raw agreement and the confusion matrix
    (rows: first annotator, columns: second) per task, on the sentences both labelled."""
    merged = first.merge(second, on="sentence_id", suffixes=("_a", "_b"))
    tasks = {**TASKS, "attributed": (False, True)}
    report: dict = {"units": len(merged), "tasks": {}}
    for task, labels in tasks.items():
        a, b = merged[f"{task}_a"].tolist(), merged[f"{task}_b"].tolist()
        codes = {label: i for i, label in enumerate(labels)}
        alpha = krippendorff.alpha(
            reliability_data=np.array([[codes[x] for x in a], [codes[x] for x in b]], dtype=float),
            level_of_measurement="nominal",
        )
        report["tasks"][task] = {
            "labels": [str(label).lower() for label in labels],
            "observed_agreement": float(np.mean([x == y for x, y in zip(a, b, strict=True)])),
            "cohen_kappa": float(cohen_kappa_score(a, b, labels=list(labels))),
            "krippendorff_alpha": float(alpha),
            "confusion_matrix": confusion_matrix(a, b, labels=list(labels)).tolist(),
            "disagreements": int(sum(x != y for x, y in zip(a, b, strict=True))),
        }
    return report
