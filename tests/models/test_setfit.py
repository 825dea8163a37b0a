from dataclasses import replace

import numpy as np

from pipeline.models import load_model
from pipeline.models.setfit_model import SetFitMultiTask
from pipeline.models.setfit_training import SetFitArguments, SetFitEstimator
from tests.conftest import LABELS, TEXTS


def test_setfit_trains_and_round_trips_without_pickle(tmp_path, tiny_transformer_config,
                                                     tiny_encoder_dir):
    config = replace(tiny_transformer_config, strategy="setfit", epochs=1, setfit_iterations=1)
    steps = []
    model = SetFitEstimator(config, tiny_encoder_dir, SetFitArguments.from_config(config, 0)).fit(
        TEXTS, LABELS, on_step=steps.append)
    assert steps and {step["task"] for step in steps} == {"stance", "claim_type"}
    model.save(tmp_path / "m")
    assert not list((tmp_path / "m").rglob("*.pkl"))
    loaded = load_model(tmp_path / "m")
    assert isinstance(loaded, SetFitMultiTask)
    before, after = model.predict_proba_all(TEXTS), loaded.predict_proba_all(TEXTS)
    for task in model.tasks:
        assert before[task].shape == (len(TEXTS), len(model.classes(task)))
        np.testing.assert_allclose(before[task], after[task], atol=1e-6)


def test_setfit_arguments_come_from_the_transformer_config(tiny_transformer_config):
    config = replace(tiny_transformer_config, strategy="setfit", epochs=2, learning_rate=2e-5,
                     setfit_iterations=3, setfit_head_C=0.5)
    args = SetFitArguments.from_config(config, seed=9)
    assert (args.epochs, args.batch_size, args.body_learning_rate) == (
        2, config.batch_size, 2e-5)
    assert (args.iterations, args.head_C, args.seed, args.device) == (3, 0.5, 9, "cpu")
