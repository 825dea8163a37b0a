"""Stage `agreement`: two independent annotations -> reports/agreement.json (human ceiling)."""

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
    first, second = (load_gold(path, sentences) for path in paths.annotations)
    report = agreement_report(first, second)
    report["annotations"] = list(paths.annotations)
    write_json(paths.agreement_report, report)
    for task, values in report["tasks"].items():
        log.info("%s: kappa %.3f, alpha %.3f over %d units", task, values["cohen_kappa"],
                 values["krippendorff_alpha"], report["units"])


if __name__ == "__main__":
    main()
