import json

import numpy as np
import pytest
import torch
from safetensors.torch import save_file

from pipeline.models import ModelLoadError, load_model
from pipeline.models.transformer import HEADS_FILE
from tests.conftest import LABELS, TEXTS


@pytest.fixture()
def train(tiny_transformer, tiny_transformer_config):
    def fit(config=None, seed=0, on_step=None):
        return tiny_transformer(config or tiny_transformer_config, seed).fit(
            TEXTS, LABELS, on_step=on_step)

    return fit


def test_training_runs_real_steps_and_lowers_the_loss(tiny_transformer_config, train):
    steps = []
    model = train(tiny_transformer_config, on_step=steps.append)
    assert len(steps) == 3 * 3  # 3 epochs of 12 sentences in batches of 4
    assert steps[-1]["step"] == 9 and steps[0]["epoch"] == 1
    assert model.epoch_losses_[-1] < model.epoch_losses_[0]


def test_save_load_predict_round_trip_is_identical(tmp_path, tiny_transformer_config, train):
    model = train(tiny_transformer_config)
    model.save(tmp_path / "m")
    assert (tmp_path / "m" / "encoder" / "model.safetensors").is_file()
    assert json.loads((tmp_path / "m" / "model.json").read_text())["family"] == "transformer"
    loaded = load_model(tmp_path / "m")
    before, after = model.predict_proba_all(TEXTS), loaded.predict_proba_all(TEXTS)
    for task in model.tasks:
        np.testing.assert_allclose(before[task], after[task], atol=1e-6)
        assert loaded.task(task).predict(TEXTS).tolist() == model.task(task).predict(TEXTS).tolist()


def test_same_seed_same_predictions(tiny_transformer_config, train):
    first = train(tiny_transformer_config, seed=3).predict_proba_all(TEXTS)
    second = train(tiny_transformer_config, seed=3).predict_proba_all(TEXTS)
    for task in first:
        np.testing.assert_array_equal(first[task], second[task])


def test_batching_does_not_change_predictions(tiny_transformer_config, train):
    from pipeline.models.runtime import InferenceOptions

    model = train(tiny_transformer_config)
    batched = model.predict_proba_all(TEXTS, InferenceOptions(batch_size=5))
    single = model.predict_proba_all(TEXTS, InferenceOptions(batch_size=1))
    for task in batched:
        np.testing.assert_allclose(batched[task], single[task], atol=1e-5)


def test_tampered_heads_are_refused(tmp_path, tiny_transformer_config, train):
    train(tiny_transformer_config).save(tmp_path / "m")
    save_file({"stance.weight": torch.zeros(7, 7)}, tmp_path / "m" / HEADS_FILE)
    with pytest.raises(ModelLoadError, match="heads do not match"):
        load_model(tmp_path / "m")
    (tmp_path / "m" / HEADS_FILE).write_bytes(b"garbage")
    with pytest.raises(ModelLoadError, match="missing or corrupt"):
        load_model(tmp_path / "m")
