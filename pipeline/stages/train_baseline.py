"""Stage `train_baseline`: labeled sentences -> models/baseline (TF-IDF + linear, per task)."""

from __future__ import annotations

import logging
from dataclasses import asdict

from pipeline.config import BaselineConfig, load_section
from pipeline.io import write_json
from pipeline.logs import setup_logging
from pipeline.models.card import write_model_card
from pipeline.models.data import training_set
from pipeline.models.factory import build_baseline
from pipeline.models.fitting import fit_with_report
from pipeline.stages.common import load_training_inputs

log = logging.getLogger("pipeline.stages.train_baseline")


def main() -> None:
    setup_logging()
    inputs = load_training_inputs()
    config = load_section("baseline", BaselineConfig)
    train = training_set(inputs.labeled, inputs.augment, inputs.data,
                         inputs.labeling.min_confidence)
    log.info("training %s baseline on %d sentences %s", config.classifier, len(train),
             train["source"].value_counts().to_dict())
    model = build_baseline(config, inputs.seed)
    report = fit_with_report(model, train)
    model.save(inputs.paths.baseline_model)
    write_json(inputs.paths.train_baseline_report, report)
    write_model_card(inputs.paths.baseline_model, f"Baseline: TF-IDF + {config.classifier}",
                     "Per task, a scikit-learn pipeline of TF-IDF word and character n-grams "
                     "and a class-balanced linear classifier, saved with skops.", report,
                     {"baseline": asdict(config), "data": asdict(inputs.data),
                      "seed": inputs.seed})
    log.info("done in %.1fs; training accuracy %s", report["seconds"],
             report["training_accuracy"])


if __name__ == "__main__":
    main()
