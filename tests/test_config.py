"""params.yaml is exactly the Hydra composition of configs/, and every option composes."""

from pathlib import Path

import pytest
import yaml

from pipeline import config as config_module
from pipeline.config import compose_params, from_dict, write_params
from tests.conftest import ROOT

CONFIGS = ROOT / "configs"
GROUP_OPTIONS = [
    (group.name, option.stem)
    for group in sorted(p for p in CONFIGS.iterdir() if p.is_dir())
    for option in sorted(group.glob("*.yaml"))
]
SECTIONS = {
    "paths": config_module.PathsConfig,
    "split": config_module.SplitConfig,
    "labeling": config_module.LabelingConfig,
    "data": config_module.DataConfig,
    "baseline": config_module.BaselineConfig,
    "transformer": config_module.TransformerConfig,
    "evaluate": config_module.EvaluateConfig,
    "score": config_module.ScoreConfig,
}


def test_params_yaml_is_the_composition_of_configs():
    committed = yaml.safe_load((ROOT / "params.yaml").read_text(encoding="utf-8"))
    assert committed == compose_params(), "params.yaml is stale: run `make params` and commit it"


def test_write_params_reproduces_the_committed_file_byte_for_byte(tmp_path: Path):
    target = tmp_path / "params.yaml"
    write_params(target)
    assert target.read_text(encoding="utf-8") == (ROOT / "params.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(("group", "option"), GROUP_OPTIONS)
def test_every_config_option_composes_into_its_dataclass(group, option):
    params = compose_params([f"{group}={option}"])
    for section, cls in SECTIONS.items():
        from_dict(cls, params[section])


def test_unknown_keys_are_refused():
    params = compose_params()
    with pytest.raises(ValueError, match="unknown keys"):
        from_dict(config_module.SplitConfig, {**params["split"], "engnie": "pysbd"})
