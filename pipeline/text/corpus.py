"""Whole folders of articles: find the files, split each, and account for every skip."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path

import pandas as pd
from tqdm import tqdm

from pipeline.config import SplitConfig
from pipeline.text.articles import SENTENCE_COLUMNS, ArticleError, ArticleSplit, split_file

log = logging.getLogger(__name__)


def list_article_files(folder: Path) -> tuple[list[Path], list[dict]]:
    """`.txt` files under `folder` (recursive, sorted) and the other files, as skip records."""
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"article folder {folder} does not exist")
    articles, skipped = [], []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if path.suffix.lower() == ".txt":
            articles.append(path)
        else:
            suffix = path.suffix or "no suffix"
            skipped.append({"file": str(path), "reason": f"not a .txt file ({suffix})"})
    return articles, skipped


def iter_splits(paths: list[Path], config: SplitConfig, skipped: list[dict],
                progress: bool = True) -> Iterator[ArticleSplit]:
    """Split each file in turn; unusable files are logged and appended to `skipped`."""
    for path in tqdm(paths, desc="split", unit="article", disable=not progress):
        try:
            yield split_file(path, config)
        except ArticleError as error:
            log.warning("skipped %s: %s", error.path, error.reason)
            skipped.append({"file": error.path, "reason": error.reason})


def split_corpus(folder: Path, config: SplitConfig,
                 progress: bool = True) -> tuple[pd.DataFrame, dict]:
    """Split every article in `folder`.

    Returns the sentence table (columns SENTENCE_COLUMNS) and a report: per article the
    sentence count and every dropped line with its reason and text; every skipped file with
    its reason; totals.
    """
    paths, skipped = list_article_files(folder)
    files_seen = len(paths) + len(skipped)
    for record in skipped:
        log.warning("skipped %s: %s", record["file"], record["reason"])
    rows: list[dict] = []
    articles: dict[str, dict] = {}
    for split in iter_splits(paths, config, skipped, progress):
        rows.extend(asdict(sentence) for sentence in split.sentences)
        articles[split.article_id] = {
            "sentences": len(split.sentences),
            "headlines": sum(s.kind == "headline" for s in split.sentences),
            "bylines": sum(s.byline for s in split.sentences),
            "dropped": split.dropped,
        }
    frame = pd.DataFrame(rows, columns=SENTENCE_COLUMNS)
    duplicated = frame["sentence_id"].duplicated()
    if duplicated.any():
        raise ValueError(f"sentence_id collision: {frame.loc[duplicated, 'sentence_id'].tolist()}")
    report = {
        "engine": config.engine,
        "totals": {
            "files_seen": files_seen,
            "articles": len(articles),
            "sentences": len(frame),
            "lines_dropped": sum(len(a["dropped"]) for a in articles.values()),
            "files_skipped": len(skipped),
        },
        "articles": articles,
        "skipped_files": skipped,
    }
    return frame, report


def split_corpora(folders: dict[str, str | Path], config: SplitConfig,
                  progress: bool = True) -> tuple[pd.DataFrame, dict]:
    """Split several named corpora into one table with a `corpus` column.

    Article ids must be unique across corpora (they key gold labels and folds), so a stem
    that appears in two corpora is an error naming both.
    """
    frames, reports = [], {}
    owner: dict[str, str] = {}
    for corpus, folder in folders.items():
        frame, report = split_corpus(Path(folder), config, progress)
        for article in report["articles"]:
            if article in owner:
                raise ValueError(f"article id {article!r} is in both {owner[article]} and "
                                 f"{folder}: rename one of the files")
            owner[article] = str(folder)
        frames.append(frame.assign(corpus=corpus))
        reports[corpus] = report
    return pd.concat(frames, ignore_index=True), {"engine": config.engine, "corpora": reports}
