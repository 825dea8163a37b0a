"""Loading a model for scoring, the one way both engines do it (the local process and each Ray
actor call `load_scoring_model`, so an inference runtime is chosen in this one place)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pipeline.config import PathsConfig, ScoreConfig
from pipeline.models import MultiTaskModel, load_model
from pipeline.models.persistence import read_manifest

# Model families loaded through `transformers` (the others do not import it at all).
TRANSFORMERS_FAMILIES = ("transformer", "setfit")


def model_folder(name: str, paths: PathsConfig, root: Path) -> Path:
    """`transformer` and `baseline` name the project's trained models (under `root`); anything
    else is a path to a model folder, relative to the working directory."""
    named = {"transformer": paths.transformer_model, "baseline": paths.baseline_model}
    return root / named[name] if name in named else Path(name)


def load_scoring_model(folder: Path, config: ScoreConfig, verbose: bool = False
                       ) -> MultiTaskModel:
    """The model in `folder`, loaded quietly (unless `verbose`), with torch's threads and the
    inference knobs (`score.batch_size`, `score.bf16`) set from `config`. Raises
    ModelLoadError when the folder holds no usable model."""
    with quiet_loading(folder, verbose):
        model = load_model(folder)
    set_threads(config.torch_threads)
    model.configure_inference(batch_size=config.batch_size, bf16=config.bf16)
    return model


@contextmanager
def quiet_loading(folder: Path, verbose: bool) -> Iterator[None]:
    """Unless `verbose`, silence transformers' progress bars ("Loading weights") and its logs
    below errors while a model loads; both are restored afterwards."""
    if verbose or read_manifest(folder)["family"] not in TRANSFORMERS_FAMILIES:
        yield
        return
    from transformers.utils import logging as hf_logging

    bars, level = hf_logging.is_progress_bar_enabled(), hf_logging.get_verbosity()
    hf_logging.disable_progress_bar()
    hf_logging.set_verbosity_error()
    try:
        yield
    finally:
        hf_logging.set_verbosity(level)
        if bars:
            hf_logging.enable_progress_bar()


def usable_cores() -> int:
    """Cores this process may run on (a container or `taskset` can allow fewer than exist)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def set_threads(threads: int) -> None:
    """torch's intra-op threads: `threads`, or one per usable core when 0."""
    try:
        import torch
    except ImportError:  # pragma: no cover
        return
    torch.set_num_threads(threads or usable_cores())
