"""The label model's leave-one-article-out votes on gold use evaluation's folds: a sentence's
vote comes from a model fit on the other articles only."""

import numpy as np
import pandas as pd

from pipeline.config import LabelingConfig
from pipeline.labeling import combine
from pipeline.labeling.functions import Unit

GOLD = pd.DataFrame({"article_id": ["b", "a", "b", "c"],
                     "stance": ["neutral", "optimistic", "neutral", "skeptical"]})
UNITS = [Unit(f"sentence {i}") for i in range(len(GOLD))]


class RecordingClassifier:
    def fit(self, units, labels):
        self.trained_on = {unit.text for unit in units}
        return self

    def predict(self, units):
        # Names what the model saw, so the test can tell which fold voted for which sentence.
        return np.array([",".join(sorted(self.trained_on))] * len(units), dtype=object)


def test_each_vote_comes_from_a_model_that_never_saw_the_article(monkeypatch):
    monkeypatch.setattr(combine, "_classifier", lambda task, config: RecordingClassifier())
    votes = combine.held_out_label_votes(UNITS, GOLD, "stance",
                                         LabelingConfig(1.0, 0.7, 0.0))
    assert votes.tolist() == ["sentence 1,sentence 3", "sentence 0,sentence 2,sentence 3",
                              "sentence 1,sentence 3", "sentence 0,sentence 1,sentence 2"]
