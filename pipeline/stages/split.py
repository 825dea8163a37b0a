"""Stage `split`: raw and synthetic articles -> one row per sentence
(data/interim/sentences.parquet), each tagged with its corpus."""

from __future__ import annotations

import logging

from pipeline.config import PathsConfig, SplitConfig, load_section
from pipeline.io import write_json, write_parquet
from pipeline.logs import setup_logging
from pipeline.text.corpus import split_corpora

log = logging.getLogger("pipeline.stages.split")


def main() -> None:
    setup_logging()
    paths = load_section("paths", PathsConfig)
    config = load_section("split", SplitConfig)
    sentences, report = split_corpora(
        {"seed": paths.raw_articles, "synthetic": paths.synthetic_articles}, config)
    write_parquet(paths.sentences, sentences)
    write_json(paths.split_report, report)
    for corpus, section in report["corpora"].items():
        totals = section["totals"]
        log.info("%s: %d sentences from %d articles; %d lines dropped, %d files skipped",
                 corpus, totals["sentences"], totals["articles"], totals["lines_dropped"],
                 totals["files_skipped"])
    log.info("-> %s", paths.sentences)


if __name__ == "__main__":
    main()
