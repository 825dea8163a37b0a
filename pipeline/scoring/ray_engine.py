"""The Ray Data engine of `stance score`: the same inputs, rows, summary and faults as the local
engine, with splitting in Ray tasks and scoring in a pool of model actors, on this machine or a
cluster. Output is a folder of Parquet files (one per block), renamed into place only when the
whole run succeeded.

Files are read by the workers, and the output folder is written by them, so on a cluster both
must be on storage that every node sees at the same path.
"""

from __future__ import annotations

import logging
import re
import shutil
import signal
import tempfile
import threading
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path

import numpy as np
import pandas as pd

from pipeline.config import ScoreConfig, SplitConfig
from pipeline.scoring.inputs import Document, Skipped, expand
from pipeline.scoring.loading import load_scoring_model, usable_cores
from pipeline.scoring.run import EngineError, NoSentencesError, ScoreResult
from pipeline.scoring.scorer import SummaryBuilder, score_sentences, split_documents
from pipeline.scoring.writers import AtomicTableWriter, OutputExistsError, infer_format
from pipeline.text.articles import Sentence

log = logging.getLogger(__name__)

SENTENCE_FIELDS = tuple(f.name for f in fields(Sentence))
INTEGER_FIELDS = ("paragraph", "index", "start", "end")


@dataclass(frozen=True)
class RayRun:
    """Where and with what the Ray engine runs: the model folder each actor loads, the model's
    classes per task (for the summary), the cluster address (None: start Ray here)."""

    model_folder: Path
    classes: dict[str, list[str]]
    address: str | None = None
    verbose: bool = False


class ScoringActor:
    """One model per actor, loaded once through the local engine's own loader; each batch of
    sentence rows becomes the local engine's output rows."""

    def __init__(self, model_folder: str, config: ScoreConfig, verbose: bool):
        self.model = load_scoring_model(Path(model_folder), config, verbose)

    def __call__(self, batch: pd.DataFrame) -> pd.DataFrame:
        return score_sentences(rows_to_sentences(batch), self.model)


def score_inputs_on_ray(inputs: list[str], output: Path, run: RayRun,
                        split_config: SplitConfig, config: ScoreConfig, fmt: str | None = None,
                        summary: Path | None = None, overwrite: bool = False,
                        progress: bool = True, scorer: type = ScoringActor) -> ScoreResult:
    """Split and score every article in `inputs` on Ray, writing one row per sentence into the
    Parquet folder `output` (and one per article to the file `summary`). Raises as the local
    engine does, plus EngineError when Ray fails; then neither output nor a temporary folder
    remains. `scorer` is the actor class (tests swap in one that fails)."""
    if (fmt or infer_format(output, "parquet")) != "parquet":
        raise ValueError(f"{output}: the Ray engine writes a folder of Parquet files "
                         "(drop --format, or give OUTPUT no .csv/.jsonl suffix)")
    for target in (output, summary):
        if target is not None and target.exists() and not overwrite:
            raise OutputExistsError(f"{target} exists; pass --overwrite to replace it")
    result = ScoreResult()
    started = time.perf_counter()
    documents = list(expand(inputs, result.skipped))
    if not documents:
        raise NoSentencesError(result.skipped)
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.", suffix=".tmp", dir=output.parent))
    summary_writer = None
    try:
        with ray_session(run.address, run.verbose):
            skipped = _run_pipeline(documents, staging, run, split_config, config, progress,
                                    scorer)
        result.skipped.extend(skipped)
        builder = SummaryBuilder(run.classes, config.net_stance_margin)
        result.sentences = summarize_folder(staging, builder)
        if result.sentences == 0:
            raise NoSentencesError(result.skipped)
        if summary is not None:
            summary_writer = AtomicTableWriter(summary, infer_format(summary, "csv"), overwrite)
            summary_writer.write(_in_input_order(builder.frame(), documents))
        _replace_folder(staging, output)
        if summary_writer is not None:
            summary_writer.commit()
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if summary_writer is not None:
            summary_writer.abort()
        raise
    result.articles = len(builder.articles)
    result.seconds = time.perf_counter() - started
    return result


@contextmanager
def ray_session(address: str | None, verbose: bool) -> Iterator[None]:
    """Ray for one run: the session this process already has (tests, notebooks), else a
    connection to the cluster at `address`, else a new local Ray on the usable cores. A
    session started here is shut down afterwards, which also stops this run's tasks and
    actors on a cluster."""
    import ray

    if ray.is_initialized():
        yield
        return
    options = {"address": address} if address else {"num_cpus": usable_cores()}
    on_sigterm = signal.getsignal(signal.SIGTERM)
    ray.init(**options, include_dashboard=False, log_to_driver=verbose,
             logging_level=logging.INFO if verbose else logging.WARNING)
    if on_sigterm is not None and threading.current_thread() is threading.main_thread():
        # ray.init replaces SIGTERM's handler with an exit; ours cleans up and exits 143.
        signal.signal(signal.SIGTERM, on_sigterm)
    try:
        yield
    finally:
        ray.shutdown()


def _run_pipeline(documents: list[Document], staging: Path, run: RayRun,
                  split_config: SplitConfig, config: ScoreConfig, progress: bool,
                  scorer: type) -> list[Skipped]:
    """Split in tasks, score in an actor pool, write Parquet into `staging`; returns the inputs
    the splitter skipped."""
    import ray
    import ray.data

    if not run.verbose:  # Ray Data logs its plan, and warns that --no-progress hides bars
        logging.getLogger("ray.data").setLevel(logging.ERROR)
    context = ray.data.DataContext.get_current()
    context.execution_options.preserve_order = True  # rows in input order, as the local engine
    context.enable_progress_bars = progress
    cpus = max(1, int(ray.cluster_resources().get("CPU", 1)))
    actors = config.ray_actors or cpus
    if actors > cpus:
        raise ValueError(f"score.ray_actors is {actors}, but the Ray cluster has {cpus} CPUs "
                         "(each actor takes one)")
    # Actors hold the CPUs; torch in each gets an equal share of the cores unless set.
    actor_config = replace(config, torch_threads=config.torch_threads or max(1, cpus // actors))
    skip_log = ray.remote(num_cpus=0)(SkipLog).remote()
    records = [{"order": order, "article_id": d.article_id, "source": d.source,
                "path": None if d.path is None else str(d.path.resolve()), "text": d.text}
               for order, d in enumerate(documents)]
    try:
        with warnings.catch_warnings():
            # Ray's own deprecation notices about its internals are not the user's business.
            warnings.simplefilter("ignore" if not run.verbose else "default")
            dataset = _dataset(records, cpus, actors, split_config, skip_log, run,
                               actor_config, config.chunk_sentences, scorer)
        dataset.write_parquet(str(staging))
        logged = ray.get(skip_log.items.remote())
    except ray.exceptions.RayError as error:
        raise EngineError(f"the Ray run failed, nothing was written: {_root_cause(error)}") \
            from None
    return [Skipped(source, reason) for _, source, reason in sorted(logged)]


def _dataset(records: list[dict], cpus: int, actors: int, split_config: SplitConfig,
             skip_log, run: RayRun, actor_config: ScoreConfig, chunk_sentences: int,
             scorer: type):
    """documents -> split tasks -> a pool of `actors` model actors (not yet executed)."""
    import ray.data

    return (ray.data.from_items(records, override_num_blocks=min(len(records), 4 * cpus))
            # Splitting is light next to the model, so its tasks reserve no CPU of their own:
            # otherwise a pool with one actor per CPU would leave it none.
            .map_batches(split_batch, batch_format="pandas", num_cpus=0,
                         fn_kwargs={"config": split_config, "skip_log": skip_log})
            .map_batches(scorer, batch_format="pandas", batch_size=chunk_sentences,
                         compute=ray.data.ActorPoolStrategy(size=actors), num_cpus=1,
                         max_restarts=0,  # a failing actor fails the run, see EngineError
                         fn_constructor_kwargs={"model_folder": str(run.model_folder.resolve()),
                                                "config": actor_config,
                                                "verbose": run.verbose}))


class SkipLog:
    """A Ray actor that collects the inputs split tasks skip, so the driver can list them."""

    def __init__(self):
        self.skipped: list[tuple[int, str, str]] = []

    def add(self, items: list[tuple[int, str, str]]) -> None:
        self.skipped.extend(items)

    def items(self) -> list[tuple[int, str, str]]:
        return self.skipped


def split_batch(batch: pd.DataFrame, config: SplitConfig, skip_log) -> pd.DataFrame:
    """Documents (one per row) -> sentence rows, with the pipeline's own splitter; skipped
    documents go to `skip_log` (a SkipLog actor) with their input order."""
    import ray

    rows, skipped = [], []
    for record in batch.itertuples(index=False):
        document = Document(record.article_id, record.source,
                            None if _missing(record.path) else Path(record.path),
                            None if _missing(record.text) else record.text)
        before = len(skipped)
        for source, split in split_documents([document], config, skipped):
            rows.extend({"source": source, **asdict(s)} for s in split.sentences)
        skipped[before:] = [(record.order, s.source, s.reason) for s in skipped[before:]]
    if skipped:
        ray.get(skip_log.add.remote(skipped))
    return sentence_rows(rows)


def sentence_rows(rows: list[dict]) -> pd.DataFrame:
    """Sentence rows with fixed dtypes, so that an empty batch has the same schema as others."""
    frame = pd.DataFrame(rows, columns=["source", *SENTENCE_FIELDS])
    for name in frame.columns:
        frame[name] = frame[name].astype(np.int64 if name in INTEGER_FIELDS
                                         else bool if name == "byline" else str)
    return frame


def rows_to_sentences(batch: pd.DataFrame) -> list[tuple[str, Sentence]]:
    """The (source, Sentence) pairs that `sentence_rows` flattened."""
    columns = {name: batch[name].tolist() for name in ("source", *SENTENCE_FIELDS)}
    return [(source, Sentence(**{name: columns[name][i] for name in SENTENCE_FIELDS}))
            for i, source in enumerate(columns["source"])]


def summarize_folder(folder: Path, builder: SummaryBuilder) -> int:
    """Feed the label columns of every Parquet file in `folder` to `builder`; returns the
    number of rows."""
    import pyarrow.parquet as pq

    columns = ["article_id", "source", *builder.classes]
    rows = 0
    for path in sorted(folder.glob("*.parquet")):
        frame = pq.read_table(path, columns=columns).to_pandas()
        builder.add(frame)
        rows += len(frame)
    return rows


def _in_input_order(summary: pd.DataFrame, documents: list[Document]) -> pd.DataFrame:
    """Summary rows in input order, as the local engine writes them (Ray files come in any)."""
    order = {d.article_id: n for n, d in enumerate(documents)}
    return summary.sort_values("article_id", key=lambda ids: ids.map(order), kind="stable") \
        .reset_index(drop=True)


def _replace_folder(staging: Path, output: Path) -> None:
    """Rename `staging` onto `output`; an existing output (allowed by --overwrite) is first
    moved aside beside it and removed only after the rename."""
    if not output.exists():
        staging.rename(output)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{output.name}.", suffix=".old", dir=output.parent))
    output.rename(old / output.name)
    staging.rename(output)
    shutil.rmtree(old)


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value))


def _root_cause(error: BaseException) -> str:
    """The user's own error out of Ray's wrappers, in one line (`RuntimeError: ...`), without
    the remote traceback. Ray Data passes it on only as text: the last line of the remote
    traceback that names an exception other than Ray's own."""
    found = re.findall(r"^(\w+(?:Error|Exception|Interrupt)): (.*)$", str(error), re.MULTILINE)
    own = [f"{kind}: {message}" for kind, message in found
           if kind not in ("UserCodeException", "RayTaskError", "RayError")]
    if own:
        return own[-1]
    lines = str(error).strip().splitlines()
    return f"{type(error).__name__}: {lines[0] if lines else ''}"
