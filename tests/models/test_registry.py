"""The model registry: one table from a name to its class, builder and training data."""

from dataclasses import replace
from pathlib import Path

import pytest

from pipeline.config import DataConfig, PathsConfig, from_dict
from pipeline.models.base import MultiTaskPredictor
from pipeline.models.reference import LabelModelMultiTask, MajorityModel
from pipeline.models.registry import (
    FAMILIES,
    MODELS,
    model_builder,
    resolve_model_folder,
    training_data,
)

EVERYTHING = DataConfig(use_synthetic_articles=True, use_augment=True, use_weak=True)


@pytest.mark.parametrize("family", sorted(set(FAMILIES) - {"setfit"}))
def test_every_family_names_a_model_class_of_that_family(family):
    model_class = FAMILIES[family].model_class()
    assert issubclass(model_class, MultiTaskPredictor)
    assert model_class.family == family


def test_every_evaluated_model_has_a_family():
    assert set(MODELS) <= set(FAMILIES)


def test_reference_models_learn_from_human_labels_only():
    for name in ("majority", "label_model"):
        assert training_data(name, EVERYTHING) == replace(EVERYTHING, use_weak=False,
                                                          use_augment=False)
    for name in ("baseline", "transformer"):
        assert training_data(name, EVERYTHING) is EVERYTHING


def test_builders_make_fresh_unfitted_models_from_params(params):
    make = model_builder("label_model", seed=0)
    first, second = make(), make()
    assert isinstance(first, LabelModelMultiTask) and first is not second
    assert first.headline_max_words == params["split"]["headline_max_words"]
    assert first.smoothing == params["labeling"]["smoothing"]
    assert isinstance(model_builder("majority", seed=0)(), MajorityModel)
    assert model_builder("baseline", seed=3)().seed == 3


def test_an_unknown_model_name_is_refused_with_the_known_ones():
    with pytest.raises(KeyError, match="known: majority, label_model"):
        model_builder("xgboost", seed=0)


def test_model_names_resolve_to_trained_folders_and_anything_else_to_a_path(params):
    paths = from_dict(PathsConfig, params["paths"])
    root = Path("/project")
    assert resolve_model_folder("baseline", paths, root) == root / paths.baseline_model
    assert resolve_model_folder("transformer", paths, root) == root / paths.transformer_model
    assert resolve_model_folder("elsewhere/model", paths, root) == Path("elsewhere/model")
