"""The one manifest writer behind every family's `save()`."""

import json
from dataclasses import asdict

import pytest

from pipeline.config import BaselineConfig
from pipeline.labels import TASKS
from pipeline.models import ModelLoadError
from pipeline.models.persistence import read_manifest, read_settings, write_manifest
from pipeline.models.reference import MajorityModel


def test_manifest_names_family_tasks_config_and_extra_fields(tmp_path, baseline_config):
    write_manifest(tmp_path / "new", MajorityModel(), config=baseline_config, seed=7,
                   encoder="tiny")
    manifest = read_manifest(tmp_path / "new")
    assert list(manifest) == ["family", "tasks", "config", "seed", "encoder"]
    assert manifest["family"] == "majority"
    assert manifest["tasks"] == {task: list(labels) for task, labels in TASKS.items()}
    assert manifest["config"] == json.loads(json.dumps(asdict(baseline_config)))
    assert (manifest["seed"], manifest["encoder"]) == (7, "tiny")


def test_a_model_without_config_writes_no_config_entry(tmp_path):
    write_manifest(tmp_path, MajorityModel(), majority={"stance": "neutral"})
    assert "config" not in read_manifest(tmp_path)


def test_a_saved_config_that_no_longer_fits_is_a_load_error(tmp_path, baseline_config):
    write_manifest(tmp_path, MajorityModel(), config={"C": 1.0, "unknown_knob": 2}, seed=3)
    with pytest.raises(ModelLoadError, match=r"model.json: no valid BaselineConfig"):
        read_settings(tmp_path, BaselineConfig)
    write_manifest(tmp_path, MajorityModel(), config=baseline_config, seed=3)
    manifest, config, seed = read_settings(tmp_path, BaselineConfig)
    assert (config, seed, manifest["family"]) == (baseline_config, 3, "majority")
