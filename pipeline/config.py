"""Typed views of `params.yaml`, the Hydra composition of `configs/`.

Config flows one way: `configs/` (Hydra) -> `params.yaml` (written by `dvc exp run` or
`stance params`) -> the dataclasses below -> code. Stages never read `configs/` directly, so
`dvc exp run -S ...` overrides always reach them.
"""

from __future__ import annotations

import dataclasses
import os
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
    sentences: str
    split_report: str
    gold: str
    annotations: tuple[str, ...]
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


@dataclasses.dataclass(frozen=True)
class TransformerConfig:
    strategy: str
    model_name_or_path: str | None
    max_length: int
    epochs: int
    batch_size: int
    learning_rate: float
    head_learning_rate: float
    warmup_ratio: float
    weight_decay: float
    dropout: float
    class_weighting: bool
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
    n_resamples: int
    confidence_level: float
    compare: tuple[str, str]
    top_errors: int
    error_model: str

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

    def __post_init__(self) -> None:
        if self.format not in ("csv", "jsonl", "parquet"):
            raise ValueError(f"score.format must be csv, jsonl or parquet, got {self.format!r}")


def from_dict(cls: type[T], values: dict[str, Any]) -> T:
    """Build dataclass `cls` from a mapping, failing on missing or unknown keys."""
    fields = {f.name: f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    unknown = set(values) - set(fields)
    missing = {n for n, f in fields.items() if f.default is dataclasses.MISSING
               and f.default_factory is dataclasses.MISSING} - set(values)
    if unknown or missing:
        raise ValueError(
            f"{cls.__name__}: unknown keys {sorted(unknown)}, missing keys {sorted(missing)}"
        )
    converted = {}
    for name, value in values.items():
        if isinstance(value, list):
            value = tuple(value)
        converted[name] = value
    return cls(**converted)


def load_params(path: Path | str = PARAMS_FILE) -> dict[str, Any]:
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def load_section(section: str, cls: type[T], path: Path | str = PARAMS_FILE) -> T:
    """Read one top-level section of params.yaml into its dataclass."""
    params = load_params(path)
    if section not in params:
        raise KeyError(f"{path} has no section {section!r}; run `make params` to recompose it")
    return from_dict(cls, params[section])


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
    """Write params.yaml exactly as `dvc exp run` does (DVC's own compose-and-dump)."""
    from dvc.utils.hydra import compose_and_dump

    compose_and_dump(Path(output), os.path.abspath(config_dir), None, "config", None,
                     overrides or [])
