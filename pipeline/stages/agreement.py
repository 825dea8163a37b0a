"""Stage `agreement`: two independent annotations per corpus (seed, synthetic articles) ->
reports/agreement.json (the human ceiling)."""

from __future__ import annotations

import logging

import pandas as pd

from pipeline.config import PathsConfig, load_section
from pipeline.io import write_json
from pipeline.labeling.agreement import agreement_report
from pipeline.labeling.datasets import load_gold
from pipeline.logs import setup_logging

log = logging.getLogger("pipeline.stages.agreement")


def main() -> None:
    setup_logging()
    paths = load_section("paths", PathsConfig)
    sentences = pd.read_parquet(paths.sentences)
    report = {}
    for corpus, files in (("seed", paths.annotations),
                          ("synthetic", paths.synthetic_annotations)):
        first, second = (load_gold(path, sentences) for path in files)
        report[corpus] = {**agreement_report(first, second), "annotations": list(files)}
        for task, values in report[corpus]["tasks"].items():
            log.info("%s %s: kappa %.3f, alpha %.3f over %d units", corpus, task,
                     values["cohen_kappa"], values["krippendorff_alpha"],
                     report[corpus]["units"])
    write_json(paths.agreement_report, report)


if __name__ == "__main__":
    main()
