"""The one manifest writer behind every family's `save()`."""

import json
from dataclasses import asdict

from pipeline.labels import TASKS
from pipeline.models.persistence import read_manifest, write_manifest
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
