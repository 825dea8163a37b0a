import zipfile
from dataclasses import replace

import numpy as np
import pytest
import skops.io as sio

from pipeline.models import ModelLoadError, load_model
from pipeline.models.baseline import BaselineModel
from tests.conftest import LABELS, TEXTS


class Intruder:
    """A type skops does not trust: stands in for a payload planted in a model file."""


@pytest.mark.parametrize("classifier", ["logreg", "svm"])
def test_baseline_round_trips_with_identical_probabilities(tmp_path, baseline_config, classifier):
    config = replace(baseline_config, classifier=classifier, calibration_folds=2)
    # Calibrated SVMs need two examples of each class, so the svm case sees the data twice.
    texts, labels = TEXTS * 2, {task: values * 2 for task, values in LABELS.items()}
    model = BaselineModel(config, seed=0).fit(texts, labels)
    model.save(tmp_path / "m")
    loaded = load_model(tmp_path / "m")
    assert isinstance(loaded, BaselineModel)
    before, after = model.predict_proba_all(TEXTS), loaded.predict_proba_all(TEXTS)
    for task in model.tasks:
        np.testing.assert_array_equal(before[task], after[task])
    assert (loaded.task("stance").predict(TEXTS) == np.array(LABELS["stance"])).mean() >= 0.75


def test_tampered_skops_file_is_refused(tmp_path, baseline_config):
    BaselineModel(baseline_config).fit(TEXTS, LABELS).save(tmp_path / "m")
    sio.dump({"payload": Intruder()}, tmp_path / "m" / "stance.skops")
    with pytest.raises(ModelLoadError, match=r"stance.skops contains types that are not trusted"):
        load_model(tmp_path / "m")


def test_corrupt_or_foreign_files_give_clear_errors(tmp_path, baseline_config):
    BaselineModel(baseline_config).fit(TEXTS, LABELS).save(tmp_path / "m")
    (tmp_path / "m" / "claim_type.skops").write_bytes(b"not a zip at all")
    with pytest.raises(ModelLoadError, match="not a valid skops model file"):
        load_model(tmp_path / "m")
    with zipfile.ZipFile(tmp_path / "m" / "claim_type.skops", "w") as archive:
        archive.writestr("schema.json", "{}")
    with pytest.raises(ModelLoadError):
        load_model(tmp_path / "m")


def test_missing_model_says_how_to_train_one(tmp_path):
    with pytest.raises(ModelLoadError, match="dvc repro"):
        load_model(tmp_path / "nothing-here")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ModelLoadError, match="not a model folder"):
        load_model(tmp_path / "empty")
