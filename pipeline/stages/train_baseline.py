"""Stage `train_baseline`: labeled sentences -> models/baseline (TF-IDF + linear, per task)."""

from __future__ import annotations

import logging
from dataclasses import asdict

from pipeline.config import BaselineConfig, load_section
from pipeline.logs import setup_logging
from pipeline.models.fitting import train_and_save
from pipeline.models.registry import model_builder
from pipeline.stages.common import load_training_inputs

log = logging.getLogger("pipeline.stages.train_baseline")


def main() -> None:
    setup_logging()
    inputs = load_training_inputs()
    config = load_section("baseline", BaselineConfig)
    train = inputs.final_training_set()
    log.info("training %s baseline on %d sentences %s", config.classifier, len(train),
             train["source"].value_counts().to_dict())
    train_and_save(
        model_builder("baseline", inputs.seed)(), train, inputs.paths.baseline_model,
        inputs.paths.train_baseline_report, f"Baseline: TF-IDF + {config.classifier}",
        "Per task, a scikit-learn pipeline of TF-IDF word and character n-grams and a "
        "class-balanced linear classifier, saved with skops.",
        {"baseline": asdict(config), "data": asdict(inputs.data), "seed": inputs.seed})


if __name__ == "__main__":
    main()
