"""Stage `crossval_<model>`: leave-one-article-out predictions of one model on gold.

Usage: `python -m pipeline.stages.crossval {majority|label_model|baseline|transformer}`.
One DVC stage per model, so changing the baseline's params re-runs only its folds.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from pipeline.config import BaselineConfig, TransformerConfig, load_section
from pipeline.io import write_parquet
from pipeline.logs import setup_logging
from pipeline.models.base import MultiTaskModel
from pipeline.stages.common import TrainingInputs, load_training_inputs

log = logging.getLogger("pipeline.stages.crossval")
MODELS = ("majority", "label_model", "baseline", "transformer")


def model_factory(name: str, inputs: TrainingInputs):
    """A zero-argument function making a fresh, unfitted model of the given name."""
    from pipeline.models.factory import build_baseline, build_transformer
    from pipeline.models.reference import LabelModelMultiTask, MajorityModel

    if name == "majority":
        return MajorityModel
    if name == "label_model":
        return lambda: LabelModelMultiTask(inputs.labeling.smoothing,
                                           inputs.labeling.default_accuracy)
    if name == "baseline":
        config = load_section("baseline", BaselineConfig)
        return lambda: build_baseline(config, inputs.seed)
    config = load_section("transformer", TransformerConfig)

    def make() -> MultiTaskModel:
        return build_transformer(config, inputs.seed)

    return make


def main(argv: list[str] | None = None) -> None:
    setup_logging()
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or args[0] not in MODELS:
        raise SystemExit(f"usage: python -m pipeline.stages.crossval {{{'|'.join(MODELS)}}}")
    name = args[0]
    inputs = load_training_inputs()
    from pipeline.evaluation.crossval import out_of_fold_predictions

    predictions = out_of_fold_predictions(name, model_factory(name, inputs), inputs.labeled,
                                          inputs.augment, inputs.data,
                                          inputs.labeling.min_confidence)
    write_parquet(Path(inputs.paths.out_of_fold) / f"{name}.parquet", predictions)
    log.info("%s: %d out-of-fold predictions", name, len(predictions))


if __name__ == "__main__":
    main()
