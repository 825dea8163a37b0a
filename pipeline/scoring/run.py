"""The whole `stance score` job as one library call (the CLI and the benchmark share it)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.config import ScoreConfig, SplitConfig
from pipeline.models.base import MultiTaskModel
from pipeline.scoring.inputs import Skipped, expand
from pipeline.scoring.prefetch import can_prefetch, prefetched_splits
from pipeline.scoring.scorer import SummaryBuilder, score_chunks, split_documents
from pipeline.scoring.writers import AtomicTableWriter

log = logging.getLogger(__name__)


@dataclass
class ScoreResult:
    sentences: int = 0
    articles: int = 0
    seconds: float = 0.0
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def sentences_per_second(self) -> float:
        return self.sentences / self.seconds if self.seconds else 0.0


def score_inputs(inputs: list[str], output: Path, model: MultiTaskModel,
                 split_config: SplitConfig, config: ScoreConfig, fmt: str,
                 summary: Path | None = None, overwrite: bool = False,
                 on_chunk: Callable[[int, int, int], None] | None = None) -> ScoreResult:
    """Split and score every article in `inputs`, writing one row per sentence to `output`
    (and one per article to `summary`). Both files appear only when the run completes.
    `on_chunk(sentences, articles_so_far, skipped_so_far)` is called once with zeros when
    scoring starts, then after each chunk (the CLI draws its progress bar with it)."""
    result = ScoreResult()
    summary_builder = SummaryBuilder({task: list(model.classes(task)) for task in model.tasks},
                                     config.net_stance_margin)
    started = time.perf_counter()
    writer = summary_writer = None
    try:
        # Inside the try, so that an error or a signal after the first temporary file exists
        # (say, the summary file exists already) still removes it.
        writer = AtomicTableWriter(output, fmt, overwrite)
        if summary is not None:
            summary_writer = AtomicTableWriter(summary, _summary_format(summary), overwrite)
        if config.reader_process and can_prefetch(inputs):
            splits = prefetched_splits(inputs, split_config, result.skipped)
        else:
            splits = split_documents(expand(inputs, result.skipped), split_config,
                                     result.skipped)
        if on_chunk is not None:
            on_chunk(0, 0, 0)
        for frame in score_chunks(splits, model, config.chunk_sentences):
            writer.write(frame)
            summary_builder.add(frame)
            result.sentences += len(frame)
            if on_chunk is not None:
                on_chunk(len(frame), len(summary_builder.articles), len(result.skipped))
        if result.sentences == 0:
            raise NoSentencesError(result.skipped)
        if summary_writer is not None:
            summary_writer.write(summary_builder.frame())
        writer.commit()
        if summary_writer is not None:
            summary_writer.commit()
    except BaseException:
        for partial in (writer, summary_writer):
            if partial is not None:
                partial.abort()
        raise
    result.articles = len(summary_builder.articles)
    result.seconds = time.perf_counter() - started
    return result


class NoSentencesError(RuntimeError):
    """Nothing was scored; `skipped` holds every input that was skipped, with its reason."""

    def __init__(self, skipped: list[Skipped]):
        super().__init__("no sentences to score: " + (
            f"all {len(skipped)} input(s) were skipped" if skipped else "the inputs hold no text"))
        self.skipped = list(skipped)


class EngineError(RuntimeError):
    """The scoring engine itself failed (say, a Ray actor raised or a node was lost); nothing
    was written."""


def _summary_format(path: Path) -> str:
    from pipeline.scoring.writers import infer_format

    return infer_format(path, "csv")
