"""Stage `label`: sentences + gold (seed and synthetic articles) + labeling functions ->
data/processed/labeled.parquet."""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd

from pipeline.config import LabelingConfig, PathsConfig, load_section
from pipeline.io import write_json, write_parquet
from pipeline.labeling.combine import label_corpus, report_markdown
from pipeline.labeling.datasets import load_gold, sentences_without_gold
from pipeline.logs import setup_logging

log = logging.getLogger("pipeline.stages.label")


def main() -> None:
    setup_logging()
    paths = load_section("paths", PathsConfig)
    config = load_section("labeling", LabelingConfig)
    sentences = pd.read_parquet(paths.sentences)
    gold = pd.concat([load_gold(paths.gold, sentences),
                      load_gold(paths.synthetic_gold, sentences)], ignore_index=True)
    missing = sentences_without_gold(sentences, gold)
    if len(missing):
        log.warning("%d of %d sentences have no gold label; they get weak labels only",
                    len(missing), len(sentences))
    labeled, report = label_corpus(sentences, gold, config)
    report["sentences_without_gold"] = missing["sentence_id"].tolist()
    write_parquet(paths.labeled, labeled)
    write_json(paths.labeling_report, report)
    Path(paths.labeling_markdown).write_text(report_markdown(report), encoding="utf-8")
    for task, section in report["tasks"].items():
        held_out = section["label_model_on_gold"]["leave_one_article_out"]
        log.info("%s: label model macro-F1 on gold %.3f (leave-one-article-out)",
                 task, held_out["macro_f1"])


if __name__ == "__main__":
    main()
