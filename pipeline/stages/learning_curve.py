"""Stage `learning_curve`: seed leave-one-article-out scores against the number of synthetic
training articles -> reports/learning_curve/{points,mean}.csv and learning_curve.png."""

from __future__ import annotations

import logging
from pathlib import Path

from pipeline.config import EvaluateConfig, load_section
from pipeline.evaluation.learning_curve import curve_figure, curve_means, learning_curve
from pipeline.logs import setup_logging
from pipeline.models.registry import model_builder, training_data
from pipeline.stages.common import load_training_inputs

log = logging.getLogger("pipeline.stages.learning_curve")


def main() -> None:
    setup_logging()
    inputs = load_training_inputs()
    config = load_section("evaluate", EvaluateConfig)
    name = config.learning_curve_model
    points = learning_curve(name, model_builder(name, inputs.seed), inputs.labeled,
                            inputs.augment, training_data(name, inputs.data), inputs.labeling,
                            config.learning_curve_sizes, config.learning_curve_repeats, inputs.seed)
    folder = Path(inputs.paths.learning_curve)
    folder.mkdir(parents=True, exist_ok=True)
    points.to_csv(folder / "points.csv", index=False)
    curve_means(points).to_csv(folder / "mean.csv", index=False)
    curve_figure(points, folder / "learning_curve.png", name)
    log.info("learning curve of %s: %d points -> %s", name, len(points), folder)


if __name__ == "__main__":
    main()
