"""Stage `split`: raw articles -> one row per sentence (data/interim/sentences.parquet)."""

from __future__ import annotations

import logging

from pipeline.config import PathsConfig, SplitConfig, load_section
from pipeline.io import write_json, write_parquet
from pipeline.logs import setup_logging
from pipeline.text.corpus import split_corpus

log = logging.getLogger("pipeline.stages.split")


def main() -> None:
    setup_logging()
    paths = load_section("paths", PathsConfig)
    config = load_section("split", SplitConfig)
    sentences, report = split_corpus(paths.raw_articles, config)
    write_parquet(paths.sentences, sentences)
    write_json(paths.split_report, report)
    totals = report["totals"]
    log.info("%d sentences from %d articles; %d lines dropped, %d files skipped -> %s",
             totals["sentences"], totals["articles"], totals["lines_dropped"],
             totals["files_skipped"], paths.sentences)


if __name__ == "__main__":
    main()
