"""Figures: confusion matrices per task and model, and a model comparison with intervals.

DVC renders the confusion CSVs itself (confusion template); the PNGs are for the report.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only, no display

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from sklearn.metrics import ConfusionMatrixDisplay, confusion_matrix  # noqa: E402

from pipeline.labels import TASKS  # noqa: E402


def write_confusion_csvs(predictions: pd.DataFrame, folder: Path) -> list[Path]:
    """One `actual,predicted` CSV per task and model, for DVC's confusion template."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for (task, model), rows in predictions.groupby(["task", "model"], sort=False):
        path = folder / f"{task}_{model}.csv"
        rows.rename(columns={"gold": "actual"})[["actual", "predicted"]].to_csv(path, index=False)
        written.append(path)
    return written


def confusion_figure(predictions: pd.DataFrame, task: str, path: Path) -> None:
    rows = predictions[predictions["task"] == task]
    models = list(dict.fromkeys(rows["model"]))
    labels = list(TASKS[task])
    fig, axes = plt.subplots(1, len(models), figsize=(3.6 * len(models), 4.4), squeeze=False)
    for axis, model in zip(axes[0], models, strict=True):
        subset = rows[rows["model"] == model]
        matrix = confusion_matrix(subset["gold"], subset["predicted"], labels=labels)
        ConfusionMatrixDisplay(matrix, display_labels=labels).plot(
            ax=axis, colorbar=False, cmap="Blues", xticks_rotation=45)
        axis.set_title(model)
        axis.set_xlabel("predicted")
        axis.set_ylabel("gold" if axis is axes[0][0] else "")
    fig.suptitle(f"{task}: leave-one-article-out confusion matrices (gold sentences)")
    fig.tight_layout(rect=(0, 0, 1, 0.94))
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def comparison_figure(metrics: dict, path: Path) -> None:
    """Headline metric per task and model (the `human` bar is the annotator-vs-annotator
    ceiling), with 95% sentence-bootstrap intervals as error bars."""
    panels = [("stance", "f_avg"), ("stance", "macro_f1"), ("claim_type", "macro_f1")]
    fig, axes = plt.subplots(1, len(panels), figsize=(4.2 * len(panels), 3.6))
    for axis, (task, name) in zip(axes, panels, strict=True):
        models = [m for m in metrics[task] if "_minus_" not in m]
        values = np.array([metrics[task][m][name]["value"] for m in models])
        low = np.array([metrics[task][m][name]["sentence_low"] for m in models])
        high = np.array([metrics[task][m][name]["sentence_high"] for m in models])
        colors = ["#c44e52" if m == "human" else "#4c72b0" for m in models]
        axis.bar(models, values, yerr=[values - low, high - values], capsize=4, color=colors)
        axis.set_ylim(0, 1)
        axis.set_title(f"{task} {name}")
        axis.tick_params(axis="x", rotation=30)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
