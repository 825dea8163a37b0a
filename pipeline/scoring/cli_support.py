"""`stance score` glue: resolve params and the model, run, and report in plain words."""

from __future__ import annotations

import logging
import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import typer

from pipeline.config import (
    PathsConfig,
    ProjectNotFoundError,
    ScoreConfig,
    SplitConfig,
    find_project_root,
    from_dict,
    project_params,
)
from pipeline.models import ModelLoadError, MultiTaskModel, load_model
from pipeline.models.persistence import read_manifest
from pipeline.models.registry import resolve_model_folder
from pipeline.models.runtime import TunedPredictor, inference_options
from pipeline.scoring.inputs import Skipped
from pipeline.scoring.run import NoSentencesError, score_inputs
from pipeline.scoring.writers import OutputExistsError, infer_format

log = logging.getLogger(__name__)


def load_score_params(root: Path | None = None) -> tuple[PathsConfig, SplitConfig, ScoreConfig]:
    """The project's params.yaml, else the defaults composed from its configs/, wherever the
    command runs from. Raises ProjectNotFoundError when there is no project to read them from."""
    root = find_project_root() if root is None else root
    params = project_params(root)
    missing = [s for s in ("paths", "split", "score") if s not in (params or {})]
    if missing:
        raise ProjectNotFoundError(f"{root / 'params.yaml'} has no {', '.join(missing)} "
                                   "section(s): is this the stance project? "
                                   "(`stance params` recomposes it)")
    return (from_dict(PathsConfig, params["paths"]), from_dict(SplitConfig, params["split"]),
            from_dict(ScoreConfig, params["score"]))


def model_folder(name: str, paths: PathsConfig, root: Path) -> Path:
    return resolve_model_folder(name, paths, root)


def resolve_model(name: str, paths: PathsConfig, root: Path,
                  verbose: bool = False) -> MultiTaskModel:
    folder = model_folder(name, paths, root)
    with quiet_loading(folder, verbose):
        return load_model(folder)


# Model families loaded through `transformers` (the others do not import it at all).
TRANSFORMERS_FAMILIES = ("transformer", "setfit")


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
    try:
        import torch
    except ImportError:  # pragma: no cover
        return
    torch.set_num_threads(threads or usable_cores())


class Terminated(BaseException):
    """SIGTERM, raised in the main thread so that a run cleans up as it does on Ctrl-C."""


@contextmanager
def sigterm_raises() -> Iterator[None]:
    """Turn SIGTERM into `Terminated` (once; repeats are ignored while cleaning up)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def terminate(signum, frame):
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        raise Terminated

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def run_score(inputs, output, model_name, fmt, batch_size, summary, overwrite, skip_errors,
              precision, progress, verbose=False, runtime=None, reader_process=None) -> int:
    try:
        with sigterm_raises():
            return _run_score(inputs, output, model_name, fmt, batch_size, summary, overwrite,
                              skip_errors, precision, progress, verbose, runtime,
                              reader_process)
    except Terminated:
        typer.secho("terminated: no output written", fg="red", err=True)
        return 128 + signal.SIGTERM
    except KeyboardInterrupt:
        typer.secho("interrupted: no output written", fg="red", err=True)
        return 130


def _run_score(inputs, output, model_name, fmt, batch_size, summary, overwrite, skip_errors,
               precision, progress, verbose, runtime, reader_process) -> int:
    try:
        root = find_project_root()
        paths, split_config, config = load_score_params(root)
        overrides = {"batch_size": batch_size, "precision": precision, "runtime": runtime,
                     "reader_process": reader_process}
        config = replace(config, **{k: v for k, v in overrides.items() if v is not None})
    except (ProjectNotFoundError, ValueError) as error:
        typer.secho(f"error: {error}", fg="red", err=True)
        return 2
    try:
        model = resolve_model(model_name or config.model, paths, root, verbose)
    except ModelLoadError as error:
        typer.secho(f"error: {error}", fg="red", err=True)
        return 2
    set_threads(config.torch_threads)
    model = TunedPredictor(model, inference_options(config.batch_size, config.precision,
                                                    config.runtime))
    output_format = fmt or infer_format(output, config.format)
    try:
        result = score_inputs(inputs, output, model, split_config, config, output_format,
                              summary, overwrite, progress)
    except NoSentencesError as error:
        typer.secho(f"error: {error}", fg="red", err=True)
        report_skipped(error.skipped)
        return 2
    except (OutputExistsError, ValueError) as error:
        typer.secho(f"error: {error}", fg="red", err=True)
        return 2
    typer.echo(f"scored {result.sentences} sentences from {result.articles} articles in "
               f"{result.seconds:.1f}s ({result.sentences_per_second:.0f} sentences/s) -> "
               f"{output}" + (f", summary -> {summary}" if summary else ""), err=True)
    if result.skipped:
        report_skipped(result.skipped)
        if not skip_errors:
            typer.secho("exiting with status 1 because inputs were skipped "
                        "(pass --skip-errors to accept that)", fg="yellow", err=True)
            return 1
    return 0


def report_skipped(skipped: list[Skipped]) -> None:
    if skipped:
        typer.secho(f"skipped {len(skipped)} input(s):", fg="yellow", err=True)
    for item in skipped:
        typer.secho(f"  {item.source}: {item.reason}", fg="yellow", err=True)
