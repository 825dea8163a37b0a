"""How a trained model runs at inference time: batch size, numeric precision and runtime.

Inference settings are arguments, never part of a model's training config: `score.*` is their
one home, `InferenceOptions` carries them to `predict_proba_all`, and `TunedPredictor` binds
them to a model for code that only knows the plain `predict_proba_all(texts)` face.
"""

from __future__ import annotations

import logging
import platform
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

PRECISIONS = ("auto", "fp32", "bf16")
RUNTIMES = ("torch", "torchscript", "torch_int8", "onnx", "onnx_int8")
BF16_RUNTIMES = ("torch", "torchscript")  # the others compute in their own arithmetic
# CPU flags (as Linux names them) that give bfloat16 matrix products in hardware; without one,
# bf16 autocast is emulated and slower than fp32.
NATIVE_BF16_FLAGS = ("amx_bf16", "avx512_bf16")
# Inference settings that transformer manifests written before `score.*` became their one home
# still hold in their training config; loading ignores them.
OBSOLETE_CONFIG_KEYS = ("inference_batch_size", "bf16_inference")
# Training settings added since: a manifest written before one existed was trained with this
# value, so loading fills it in.
ADDED_CONFIG_KEYS = {"train_precision": "fp32"}


@dataclass(frozen=True)
class InferenceOptions:
    """`batch_size` sentences per forward pass; `precision` fp32 or bf16 (resolved, never
    "auto"); `runtime` torch (eager), torchscript (a traced graph, loaded without
    `transformers`), torch_int8 (dynamically quantized linear layers), onnx or onnx_int8 (ONNX
    Runtime on an exported graph, fp32 or dynamically quantized)."""

    batch_size: int = 64
    precision: str = "fp32"
    runtime: str = "torch"

    def __post_init__(self) -> None:
        if self.batch_size < 1:
            raise ValueError(f"inference batch size must be positive, got {self.batch_size}")
        if self.precision not in ("fp32", "bf16"):
            raise ValueError(f"inference precision must be fp32 or bf16, got {self.precision!r}")
        if self.runtime not in RUNTIMES:
            raise ValueError(f"inference runtime must be one of {RUNTIMES}, got {self.runtime!r}")


def cpu_flags(cpuinfo: Path = Path("/proc/cpuinfo")) -> set[str]:
    """The CPU feature flags Linux reports (empty elsewhere or when unreadable)."""
    try:
        text = cpuinfo.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return set()
    for line in text.splitlines():
        if line.startswith("flags"):
            return set(line.partition(":")[2].split())
    return set()


def native_bf16_features(flags: set[str] | None = None) -> list[str]:
    """The bfloat16 features this CPU has in hardware (AMX, AVX512-BF16), possibly none."""
    flags = cpu_flags() if flags is None else flags
    return [flag for flag in NATIVE_BF16_FLAGS if flag in flags]


def resolve_precision(setting: str, flags: set[str] | None = None) -> str:
    """fp32 or bf16 for a `score.precision` setting: "auto" is bf16 where the CPU has native
    bf16 and fp32 elsewhere. The choice and its reason are logged."""
    if setting not in PRECISIONS:
        raise ValueError(f"score.precision must be one of {PRECISIONS}, got {setting!r}")
    features = native_bf16_features(flags)
    if setting == "auto":
        chosen = "bf16" if features else "fp32"
        log.info("inference precision %s (auto: %s)", chosen,
                 f"CPU has {', '.join(features)}" if features else
                 f"no native bf16 on this CPU ({platform.machine()})")
        return chosen
    if setting == "bf16" and not features:
        log.warning("inference precision bf16 asked for, but this CPU has no native bf16 "
                    "(AMX or AVX512-BF16): it is emulated and likely slower than fp32")
    log.info("inference precision %s (set explicitly)", setting)
    return setting


def inference_options(batch_size: int, precision: str, runtime: str,
                      flags: set[str] | None = None) -> InferenceOptions:
    """Options from `score.*` values; "auto" precision resolved for this CPU. The int8 and
    ONNX engines run in their own arithmetic, so bf16 applies to the torch runtimes only."""
    resolved = resolve_precision(precision, flags)
    if runtime not in BF16_RUNTIMES and resolved == "bf16":
        log.info("runtime %s runs without bf16 autocast", runtime)
        resolved = "fp32"
    log.info("inference runtime %s, batch size %d", runtime, batch_size)
    return InferenceOptions(batch_size=batch_size, precision=resolved, runtime=runtime)


class TunedPredictor:
    """A model with its inference options bound: `predict_proba_all(texts)` as the scoring
    loop calls it, running `model.predict_proba_all(texts, options)`."""

    def __init__(self, model, options: InferenceOptions):
        self.model = model
        self.options = options
        self.family = model.family
        self.tasks = model.tasks

    def classes(self, task: str) -> np.ndarray:
        return self.model.classes(task)

    def predict_proba_all(self, texts: Sequence[str]) -> dict[str, np.ndarray]:
        return self.model.predict_proba_all(texts, self.options)

    def predict_all(self, texts: Sequence[str]) -> dict[str, np.ndarray]:
        return {task: self.classes(task)[proba.argmax(axis=1)]
                for task, proba in self.predict_proba_all(texts).items()}


def current_config_keys(values: dict, folder: Path, fields: Sequence[str]) -> dict:
    """A saved training config as today's config class (with `fields`) reads it: without the
    inference keys that older manifests hold, and with the training keys added since."""
    obsolete = [key for key in OBSOLETE_CONFIG_KEYS if key in values]
    if obsolete:
        log.debug("%s: ignoring obsolete inference keys %s in the manifest (inference "
                  "settings live in score.*)", folder, obsolete)
    added = {key: value for key, value in ADDED_CONFIG_KEYS.items()
             if key in fields and key not in values}
    return added | {key: value for key, value in values.items()
                    if key not in OBSOLETE_CONFIG_KEYS}
