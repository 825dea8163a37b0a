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
SECTIONS = config_module.SECTIONS


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


@pytest.mark.parametrize(("override", "message"), [
    ("transformer.epochs=six", "transformer.epochs: expected int, got 'six'"),
    ("transformer.learning_rate=fast", "transformer.learning_rate: expected float"),
    ("baseline.class_weight=balancd", "baseline.class_weight must be balanced or none"),
    ("data.use_weak=maybe", "data.use_weak: expected bool"),
    ("transformer.epoch=3", "transformer.epoch"),
    ("encoder=no_such_encoder", "no_such_encoder"),
])
def test_stance_params_refuses_bad_values_by_name(tmp_path, override, message):
    from typer.testing import CliRunner

    from pipeline.cli import app

    target = tmp_path / "params.yaml"
    result = CliRunner().invoke(app, ["params", override, "-o", str(target)])
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output
    assert not target.exists()


def test_integers_widen_to_floats_and_lists_become_tuples():
    params = compose_params(["transformer.learning_rate=1"])
    config = from_dict(config_module.TransformerConfig, params["transformer"])
    assert config.learning_rate == 1.0 and isinstance(config.learning_rate, float)
    assert isinstance(from_dict(config_module.EvaluateConfig, params["evaluate"]).models, tuple)
