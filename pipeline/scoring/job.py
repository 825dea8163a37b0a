"""`stance score` as one library call: resolve params and the model, run the chosen engine,
and return a `ScoreResult`. Faults are raised as typed exceptions; only `pipeline/cli.py`
talks to the terminal and picks exit codes."""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from pipeline.config import (
    PathsConfig,
    ProjectNotFoundError,
    ScoreConfig,
    SplitConfig,
    SplitEngine,
    find_project_root,
    from_dict,
    project_params,
)
from pipeline.models.registry import resolve_model_folder
from pipeline.scoring.loading import load_scoring_model
from pipeline.scoring.run import ScoreResult, score_inputs
from pipeline.scoring.writers import infer_format

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


@dataclass(frozen=True)
class ScoreRequest:
    """What one `stance score` run was asked to do; None means "as score.* in params"."""

    inputs: list[str]
    output: Path
    model: str | None = None
    format: str | None = None
    batch_size: int | None = None
    precision: str | None = None
    runtime: str | None = None
    reader_process: bool | None = None
    split_engine: str | None = None
    summary: Path | None = None
    overwrite: bool = False
    progress: bool = True  # Ray engine: Ray Data's own progress bars
    verbose: bool = False
    engine: str | None = None
    ray_address: str | None = None
    ray_actors: int | None = None
    on_chunk: Callable[[int, int, int], None] | None = None  # local engine: after each chunk


def run_score(request: ScoreRequest) -> ScoreResult:
    """Run one scoring job on the local or the Ray engine.

    Raises ProjectNotFoundError or ConfigError (no usable params), ModelLoadError,
    OutputExistsError, DuplicateArticleError, NoSentencesError (with every skipped input),
    ray_engine.EngineError (the Ray run failed), and lets KeyboardInterrupt through; in every
    case no output and no temporary file is left.
    """
    root = find_project_root()
    paths, split_config, config = load_score_params(root)
    overrides = {"batch_size": request.batch_size, "precision": request.precision,
                 "runtime": request.runtime, "reader_process": request.reader_process,
                 "split_engine": request.split_engine,
                 "engine": request.engine, "ray_actors": request.ray_actors}
    config = replace(config, **{k: v for k, v in overrides.items() if v is not None})
    # Scoring may split with a faster engine than the split stage; the rest of split.* holds.
    split_config = replace(split_config, engine=SplitEngine(config.split_engine))
    log.info("sentence splitting: %s", config.split_engine)
    folder = resolve_model_folder(request.model or config.model, paths, root)
    model = load_scoring_model(folder, config, request.verbose)
    if config.engine == "ray":
        from pipeline.scoring.ray_engine import RayRun, score_inputs_on_ray

        classes = {task: list(model.classes(task)) for task in model.tasks}
        del model  # each actor loads its own copy
        run = RayRun(folder, classes, request.ray_address, request.verbose)
        return score_inputs_on_ray(request.inputs, request.output, run, split_config, config,
                                   request.format, request.summary, request.overwrite,
                                   request.progress)
    output_format = request.format or infer_format(request.output, config.format)
    return score_inputs(request.inputs, request.output, model, split_config, config,
                        output_format, request.summary, request.overwrite, request.on_chunk)


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
