"""Split and score a stream of articles in bounded chunks, one model call per chunk."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from pipeline.config import SplitConfig
from pipeline.models.base import MultiTaskModel
from pipeline.scoring.inputs import Document, Skipped
from pipeline.text.articles import (
    ArticleError,
    ArticleSplit,
    Sentence,
    split_file,
    split_text,
)

log = logging.getLogger(__name__)


def split_documents(items: Iterable[Document], config: SplitConfig,
                    skipped: list[Skipped]) -> Iterator[tuple[str, ArticleSplit]]:
    """(source, split) per usable article, with the pipeline's own splitter; the rest go to
    `skipped` with their reason. A sentence an article repeats gets a row per occurrence."""
    for item in items:
        if item.path is not None:
            try:
                yield item.source, split_file(item.path, config, article_id=item.article_id,
                                              keep_repeated_sentences=True)
            except ArticleError as error:
                skipped.append(Skipped(item.source, error.reason))
            except OSError as error:
                skipped.append(Skipped(item.source, f"cannot read ({error.strerror})"))
            continue
        result = split_text(item.article_id, item.text or "", config,
                            keep_repeated_sentences=True)
        if result.sentences:
            yield item.source, result
        else:
            skipped.append(Skipped(item.source, "empty text (no sentences)"))


@dataclass
class ArticleTally:
    source: str
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    sentences: int = 0


def score_chunks(splits: Iterable[tuple[str, ArticleSplit]], model: MultiTaskModel,
                 chunk_sentences: int) -> Iterator[pd.DataFrame]:
    """Score sentences in chunks of about `chunk_sentences` (whole articles per chunk, so a
    chunk never splits an article unless the article alone is larger)."""
    pending: list[tuple[str, Sentence]] = []

    def flush() -> pd.DataFrame:
        frame = score_sentences(pending, model)
        pending.clear()
        return frame

    for source, split in splits:
        for sentence in split.sentences:
            pending.append((source, sentence))
            if len(pending) >= chunk_sentences:
                yield flush()
    if pending:
        yield flush()


def score_sentences(pending: list[tuple[str, Sentence]], model: MultiTaskModel
                    ) -> pd.DataFrame:
    """One row per (source, sentence) in `pending`: offsets, text, labels and class
    probabilities of every task (one `predict_proba_all` call)."""
    sentences = [sentence for _, sentence in pending]
    probabilities = model.predict_proba_all([s.text for s in sentences])
    frame = pd.DataFrame({
        "article_id": [s.article_id for s in sentences],
        "sentence_index": np.array([s.index for s in sentences], dtype=np.int64),
        "start": np.array([s.start for s in sentences], dtype=np.int64),
        "end": np.array([s.end for s in sentences], dtype=np.int64),
        "kind": [s.kind for s in sentences],
        "text": [s.text for s in sentences],
    })
    for task, proba in probabilities.items():
        classes = model.classes(task)
        frame[task] = classes[proba.argmax(axis=1)]
        for j, label in enumerate(classes):
            frame[f"p_{task}_{label}"] = np.round(proba[:, j], 6)
    frame["sentence_id"] = [s.sentence_id for s in sentences]
    frame["source"] = [source for source, _ in pending]
    return frame


class SummaryBuilder:
    """Per-article label counts, accumulated chunk by chunk (memory grows with articles, not
    sentences)."""

    def __init__(self, classes: dict[str, list[str]], margin: float):
        self.classes = classes
        self.margin = margin
        self.articles: dict[str, ArticleTally] = {}

    def add(self, frame: pd.DataFrame) -> None:
        keys = ["article_id", "source"]
        # One grouped count per task and chunk, not one per article: at thousands of articles
        # per chunk the per-article loop cost half a second per 10k sentences.
        for (article, source), n in frame.groupby(keys, sort=False).size().items():
            self.articles.setdefault(article, ArticleTally(source)).sentences += int(n)
        for task in self.classes:
            for (article, _, label), n in frame.groupby([*keys, task], sort=False).size().items():
                counts = self.articles[article].counts.setdefault(task, {})
                counts[label] = counts.get(label, 0) + int(n)

    def frame(self) -> pd.DataFrame:
        rows = []
        for article, tally in self.articles.items():
            row = {"article_id": article, "source": tally.source, "sentences": tally.sentences}
            for task, labels in self.classes.items():
                for label in labels:
                    row[f"n_{task}_{label}"] = tally.counts.get(task, {}).get(label, 0)
            optimistic = row["n_stance_optimistic"]
            skeptical = row["n_stance_skeptical"]
            row["share_optimistic"] = optimistic / tally.sentences
            row["share_skeptical"] = skeptical / tally.sentences
            bearing = optimistic + skeptical
            # Net stance in [-1, 1] among stance-bearing sentences; neutral ones do not dilute it.
            row["net_stance"] = (optimistic - skeptical) / bearing if bearing else 0.0
            row["overall_stance"] = overall_stance(row["net_stance"], bearing, self.margin)
            rows.append(row)
        return pd.DataFrame(rows)


def overall_stance(net: float, bearing: int, margin: float) -> str:
    """optimistic / skeptical when the net stance clears the margin; neutral when no sentence
    takes a stance; mixed otherwise."""
    if bearing == 0:
        return "neutral"
    if net >= margin:
        return "optimistic"
    if net <= -margin:
        return "skeptical"
    return "mixed"
