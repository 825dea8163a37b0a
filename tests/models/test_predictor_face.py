"""Both families answer the same face: per task predict / predict_proba / classes_."""

import numpy as np
import pytest

from pipeline.labels import TASKS
from pipeline.models.baseline import BaselineModel
from tests.conftest import LABELS, TEXTS


@pytest.fixture(params=["baseline", "transformer"])
def fitted(request, baseline_config, tiny_transformer):
    if request.param == "baseline":
        return BaselineModel(baseline_config).fit(TEXTS, LABELS)
    return tiny_transformer().fit(TEXTS, LABELS)


def test_predictor_face(fitted):
    for task, labels in TASKS.items():
        predictor = fitted.task(task)
        assert predictor.classes_.tolist() == list(labels)
        proba = predictor.predict_proba(TEXTS[:5])
        assert proba.shape == (5, len(labels))
        np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-6)
        assert predictor.predict(TEXTS[:5]).tolist() == \
            predictor.classes_[proba.argmax(axis=1)].tolist()
    with pytest.raises(KeyError):
        fitted.task("sentiment")
