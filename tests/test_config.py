"""params.yaml is exactly the Hydra composition of configs/, every option composes against the
registered schema, and bad values fail at compose time naming the key."""

import json
import os
import shutil
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path

import pytest
import yaml

from pipeline import config as config_module
from pipeline.config import (
    BaselineConfig,
    ClassWeight,
    ConfigError,
    EncoderConfig,
    compose_params,
    from_dict,
    validate_params,
    write_params,
)
from tests.conftest import ROOT

CONFIGS = ROOT / "configs"
GROUPS = sorted(p for p in CONFIGS.iterdir() if p.is_dir())
GROUP_OPTIONS = [(group.name, option.stem) for group in GROUPS
                 for option in sorted(group.glob("*.yaml"))]
SECTIONS = config_module.SECTIONS


def _option_file(group: str, option: str) -> dict:
    return yaml.safe_load((CONFIGS / group / f"{option}.yaml").read_text(encoding="utf-8"))


def _sibling_base(group: str, option: str) -> str | None:
    """The option of the same group that `option` extends through its defaults list, if any."""
    siblings = {p.stem for p in (CONFIGS / group).glob("*.yaml")}
    bases = [entry for entry in _option_file(group, option).get("defaults", [])
             if isinstance(entry, str) and entry in siblings]
    return bases[0] if bases else None


def test_params_yaml_is_the_composition_of_configs():
    committed = yaml.safe_load((ROOT / "params.yaml").read_text(encoding="utf-8"))
    assert committed == compose_params(), "params.yaml is stale: run `make params` and commit it"


def test_write_params_reproduces_the_committed_file_byte_for_byte(tmp_path: Path):
    target = tmp_path / "params.yaml"
    write_params(target)
    assert target.read_text(encoding="utf-8") == (ROOT / "params.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(("group", "option"), GROUP_OPTIONS)
def test_every_option_composes_against_the_schema_and_sets_its_values(group, option):
    params = compose_params([f"{group}={option}"])
    validate_params(params)
    own = {k: v for k, v in _option_file(group, option).items() if k != "defaults"}
    assert own, f"{group}/{option}.yaml sets nothing"
    for key, value in own.items():
        assert params[group][key] == value, f"{group}/{option}.yaml: {key}"


@pytest.mark.parametrize("group", [g.name for g in GROUPS if len(list(g.glob("*.yaml"))) > 1])
def test_options_override_only_what_differs_from_one_shared_base(group):
    options = sorted(p.stem for p in (CONFIGS / group).glob("*.yaml"))
    roots = [option for option in options if _sibling_base(group, option) is None]
    assert len(roots) == 1, f"{group}: every option but one should extend a sibling, got {roots}"
    for option in options:
        base = _sibling_base(group, option)
        if base is None:
            continue
        base_values = compose_params([f"{group}={base}"])[group]
        for key, value in _option_file(group, option).items():
            if key != "defaults":
                assert base_values[key] != value, (
                    f"{group}/{option}.yaml repeats {key}={value!r} from {base}.yaml")


@pytest.mark.parametrize(("override", "message"), [
    ("transformer.epochs=six", "transformer.epochs: Value 'six' of type 'str' could not be "
                               "converted to Integer"),
    ("transformer.learning_rate=fast", "transformer.learning_rate: Value 'fast'"),
    ("baseline.class_weight=balancd", "baseline.class_weight: Invalid value 'balancd', "
                                      "expected one of [balanced, none]"),
    ("split.engine=foo", "split.engine: Invalid value 'foo', expected one of [pysbd, blingfire]"),
    ("transformer.strategy=bogus", "transformer.strategy: Invalid value 'bogus'"),
    ("transformer.device=gpu", "transformer.device: Invalid value 'gpu'"),
    ("distill.teacher_encoder.loader=hub", "distill.teacher_encoder.loader: Invalid value 'hub'"),
    ("data.use_weak=maybe", "data.use_weak: Value 'maybe' is not a valid bool"),
    ("seed=abc", "seed: Value 'abc'"),
    ("transformer.epoch=3", "transformer.epoch: Key 'epoch' not in 'TransformerConfig'"),
    ("encoder=no_such_encoder", "'encoder/no_such_encoder' (options: minilm_l6, mpnet_base)"),
    ("transformer.epochs=[1", "cannot parse the override 'transformer.epochs=[1'"),
])
def test_bad_overrides_fail_at_compose_time_naming_the_key(override, message):
    with pytest.raises(ConfigError) as caught:
        compose_params([override])
    assert message in str(caught.value) and "\n" not in str(caught.value)


@pytest.mark.parametrize(("key", "value", "message"), [
    ("epoch", 3, "transformer.epoch: Key 'epoch' not in 'TransformerConfig'"),
    ("strategy", "bogus", "transformer.strategy: Invalid value 'bogus'"),
    ("max_length", "long", "transformer.max_length: Value 'long'"),
])
def test_a_bad_value_in_an_option_file_fails_at_compose_time(tmp_path, key, value, message):
    configs = tmp_path / "configs"
    shutil.copytree(CONFIGS, configs)
    finetune = configs / "transformer" / "finetune.yaml"
    values = yaml.safe_load(finetune.read_text(encoding="utf-8"))
    finetune.write_text(yaml.safe_dump({**values, key: value}), encoding="utf-8")
    with pytest.raises(ConfigError, match="In 'transformer/finetune'") as caught:
        compose_params(config_dir=configs)
    assert message in str(caught.value) and "\n" not in str(caught.value)


def test_a_broken_option_file_is_named(tmp_path):
    configs = tmp_path / "configs"
    shutil.copytree(CONFIGS, configs)
    finetune = configs / "transformer" / "finetune.yaml"
    finetune.write_text(finetune.read_text(encoding="utf-8") + "epochs: 2\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"duplicate key epochs .*finetune\.yaml"):
        compose_params(config_dir=configs)


@pytest.mark.parametrize(("override", "message"), [
    ("transformer.epochs=six", "transformer.epochs: Value 'six'"),
    ("baseline.class_weight=balancd", "baseline.class_weight: Invalid value 'balancd'"),
    ("transformer.epoch=3", "transformer.epoch"),
    ("encoder=no_such_encoder", "no_such_encoder"),
    # Not expressible in a schema: checked by the dataclasses right after compose.
    ("split.window_chars=10", "split.window_chars must be at least 200"),
    ("+extra=1", "params: unknown keys ['extra']"),
])
def test_stance_params_refuses_bad_values_in_one_line(tmp_path, override, message):
    from typer.testing import CliRunner

    from pipeline.cli import app

    target = tmp_path / "params.yaml"
    result = CliRunner().invoke(app, ["params", override, "-o", str(target)])
    assert result.exit_code == 2
    assert result.output.startswith("error: ") and message in result.output
    assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output
    assert not target.exists()


# What `dvc exp run -S ...` does with `hydra: enabled` in .dvc/config, in a fresh interpreter
# that never imports pipeline itself: the schema must arrive through hydra_plugins/.
DVC_COMPOSE = """
import sys
from dvc.utils.hydra import compose_and_dump
root, output, *overrides = sys.argv[1:]
try:
    compose_and_dump(output, root + "/configs", None, "config", root, overrides)
except Exception as error:
    print("cause:", str(error.__cause__).splitlines()[:2])
"""


def test_dvc_exp_run_composes_against_the_same_schema(tmp_path):
    output = tmp_path / "params.yaml"

    def dvc_compose(*overrides: str) -> str:
        env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
        return subprocess.run(
            [sys.executable, "-c", DVC_COMPOSE, str(ROOT), str(output), *overrides],
            cwd=tmp_path, env=env, capture_output=True, text=True, check=True).stdout

    assert dvc_compose() == ""
    assert output.read_text(encoding="utf-8") == (ROOT / "params.yaml").read_text(encoding="utf-8")
    output.unlink()
    refused = dvc_compose("transformer.epochs=six", "baseline.class_weight=balancd")
    assert "could not be converted to Integer" in refused and "transformer.epochs" in refused
    assert not output.exists()
    assert "Invalid value 'balancd'" in dvc_compose("baseline.class_weight=balancd")


def test_choices_are_enum_members_that_compare_and_serialize_as_strings():
    params = compose_params(["baseline=tfidf_svm"])
    config = from_dict(BaselineConfig, params["baseline"], "baseline")
    assert config.class_weight is ClassWeight.balanced and config.classifier == "svm"
    assert f"{config.classifier}" == "svm"
    manifest = json.loads(json.dumps(asdict(config)))  # how model folders store their config
    assert manifest["classifier"] == "svm" and from_dict(BaselineConfig, manifest) == config


def test_a_bad_choice_is_refused_however_the_config_is_built():
    params = compose_params()
    with pytest.raises(ConfigError, match=r"baseline\.class_weight must be one of balanced, none, "
                                          r"got 'balancd'"):
        from_dict(BaselineConfig, {**params["baseline"], "class_weight": "balancd"}, "baseline")
    with pytest.raises(ValueError, match="encoder.loader must be one of"):
        EncoderConfig("x", "hub", None)


def test_unknown_keys_are_refused():
    params = compose_params()
    with pytest.raises(ValueError, match="unknown keys"):
        from_dict(config_module.SplitConfig, {**params["split"], "engnie": "pysbd"})


def test_integers_widen_to_floats_and_lists_become_tuples():
    params = compose_params(["transformer.learning_rate=1"])
    config = from_dict(config_module.TransformerConfig, params["transformer"])
    assert config.learning_rate == 1.0 and isinstance(config.learning_rate, float)
    assert isinstance(from_dict(config_module.EvaluateConfig, params["evaluate"]).models, tuple)
