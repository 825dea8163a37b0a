"""A weighted-vote label model with per-function accuracies estimated on gold.

Each labeling function j is given an accuracy a_j (smoothed share of its votes that match
gold). Under the usual assumption that functions err independently and uniformly over the
other classes, a vote for class k adds w_j = log(a_j (K - 1) / (1 - a_j)) to k's score; the
class prior from gold is the starting score. Follows the scikit-learn estimator contract.
"""

from __future__ import annotations

import numpy as np

from pipeline.labeling.apply import ABSTAIN


class WeightedVoteLabelModel:
    def __init__(self, classes: tuple[str, ...], smoothing: float = 1.0,
                 default_accuracy: float = 0.7, min_accuracy: float = 0.05,
                 max_accuracy: float = 0.95):
        self.classes = classes
        self.smoothing = smoothing
        self.default_accuracy = default_accuracy
        self.min_accuracy = min_accuracy
        self.max_accuracy = max_accuracy

    def fit(self, matrix: np.ndarray, y: np.ndarray | None = None) -> WeightedVoteLabelModel:
        """`matrix`: (n, m) label matrix; `y`: gold class indices, or None to use defaults."""
        k = len(self.classes)
        m = matrix.shape[1]
        if y is None or len(y) == 0:
            return self.set_fitted(np.full(m, self.default_accuracy), np.full(k, 1.0 / k))
        voted = matrix != ABSTAIN
        correct = ((matrix == y[:, None]) & voted).sum(axis=0)
        # Laplace-style smoothing pulls rarely-firing functions to the default accuracy.
        prior_votes = 2 * self.smoothing
        accuracies = (correct + self.smoothing * 2 * self.default_accuracy) / (
            voted.sum(axis=0) + prior_votes)
        counts = np.bincount(y, minlength=k) + self.smoothing
        return self.set_fitted(accuracies, counts / counts.sum())

    def set_fitted(self, accuracies: np.ndarray, class_prior: np.ndarray,
                   ) -> WeightedVoteLabelModel:
        """Take per-function `accuracies` (m,) and `class_prior` (K,), as estimated by `fit`
        or saved from an earlier fit, and derive the vote weights."""
        k = len(self.classes)
        self.classes_ = np.array(self.classes)
        self.class_prior_ = np.asarray(class_prior, dtype=float)
        self.accuracies_ = np.clip(np.asarray(accuracies, dtype=float), self.min_accuracy,
                                   self.max_accuracy)
        self.weights_ = np.log(self.accuracies_ * (k - 1) / (1 - self.accuracies_))
        return self

    def predict_proba(self, matrix: np.ndarray) -> np.ndarray:
        """(n, K) class probabilities, columns in `classes_` order."""
        scores = np.tile(np.log(self.class_prior_), (matrix.shape[0], 1))
        for j, weight in enumerate(self.weights_):
            votes = matrix[:, j]
            rows = np.nonzero(votes != ABSTAIN)[0]
            scores[rows, votes[rows]] += weight
        scores -= scores.max(axis=1, keepdims=True)
        proba = np.exp(scores)
        return proba / proba.sum(axis=1, keepdims=True)

    def predict(self, matrix: np.ndarray) -> np.ndarray:
        return self.classes_[self.predict_proba(matrix).argmax(axis=1)]
