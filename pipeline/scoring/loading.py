"""Loading a model for scoring, the one way both engines do it (the local process and each Ray
actor call `load_scoring_model`, so an inference runtime is chosen in this one place)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pipeline.config import ScoreConfig
from pipeline.models import load_model
from pipeline.models.persistence import read_manifest
from pipeline.models.runtime import TunedPredictor, inference_options

# Model families loaded through `transformers` (the others do not import it at all).
TRANSFORMERS_FAMILIES = ("transformer", "setfit")


def load_scoring_model(folder: Path, config: ScoreConfig, verbose: bool = False
                       ) -> TunedPredictor:
    """The model in `folder`, loaded quietly (unless `verbose`), with torch's threads set and
    the inference knobs (`score.batch_size`, `score.precision`, `score.runtime`) applied to
    every prediction. Raises ModelLoadError when the folder holds no usable model.

    With `score.runtime` torchscript, a transformer loads as its cached traced graph, without
    importing `transformers` (the first call with a new model traces it)."""
    if config.runtime == "torchscript" and read_manifest(folder)["family"] == "transformer":
        from pipeline.models.torchscript_engine import TracedTransformer, trace_cache_path

        graph = trace_cache_path(folder)
        if graph.is_file():
            model = TracedTransformer.load(folder, graph)
        else:  # the first call with this model loads it through transformers to trace it
            with quiet_loading(folder, verbose):
                model = TracedTransformer.load(folder, graph)
    else:
        with quiet_loading(folder, verbose):
            model = load_model(folder)
    set_threads(config.torch_threads)
    return TunedPredictor(model, inference_options(config.batch_size, config.precision,
                                                   config.runtime))


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
