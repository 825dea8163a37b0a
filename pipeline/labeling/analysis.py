"""Labeling-function statistics with Snorkel's definitions (LFAnalysis.lf_summary)."""

from __future__ import annotations

import numpy as np

from pipeline.labeling.apply import ABSTAIN


def lf_summary(matrix: np.ndarray, names: list[str], gold: np.ndarray | None = None) -> list[dict]:
    """Per labeling function (column of `matrix`):

    - coverage: share of units it labels;
    - overlaps: share of units it labels that at least one other function also labels;
    - conflicts: share of units it labels where another function votes differently;
    - correct / incorrect / empirical_accuracy: against `gold` (label indices), where it votes.
    Shares are over all units, as in Snorkel.
    """
    n, m = matrix.shape
    voted = matrix != ABSTAIN
    rows = []
    for j in range(m):
        mine = voted[:, j]
        others = np.delete(voted, j, axis=1)
        other_votes = np.delete(matrix, j, axis=1)
        overlap = mine & others.any(axis=1)
        conflict = mine & ((other_votes != matrix[:, [j]]) & others).any(axis=1)
        row = {
            "name": names[j],
            "coverage": float(mine.mean()) if n else 0.0,
            "overlaps": float(overlap.mean()) if n else 0.0,
            "conflicts": float(conflict.mean()) if n else 0.0,
        }
        if gold is not None:
            correct = int((matrix[mine, j] == gold[mine]).sum())
            row.update(correct=correct, incorrect=int(mine.sum()) - correct,
                       empirical_accuracy=correct / int(mine.sum()) if mine.any() else None)
        rows.append(row)
    return rows
