"""Stage `crossval_<model>`: out-of-fold predictions of one model on gold.

Usage: `python -m pipeline.stages.crossval {majority|label_model|baseline|transformer}`.
One DVC stage per model, so changing the baseline's params re-runs only its folds. Writes
leave-one-article-out predictions on the seed articles (`eval_set` "seed") and k-fold
predictions on held-out synthetic articles (`eval_set` "synthetic") into one file.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import pandas as pd

from pipeline.config import EvaluateConfig, load_section
from pipeline.io import write_parquet
from pipeline.logs import setup_logging
from pipeline.models.registry import MODELS, model_builder, training_data
from pipeline.stages.common import load_training_inputs

log = logging.getLogger("pipeline.stages.crossval")


def main(argv: list[str] | None = None) -> None:
    setup_logging()
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or args[0] not in MODELS:
        raise SystemExit(f"usage: python -m pipeline.stages.crossval {{{'|'.join(MODELS)}}}")
    name = args[0]
    inputs = load_training_inputs()
    from pipeline.evaluation.crossval import out_of_fold_predictions
    from pipeline.evaluation.folds import seed_folds, synthetic_folds

    evaluate = load_section("evaluate", EvaluateConfig)
    protocols = {"seed": seed_folds(inputs.labeled),
                 "synthetic": synthetic_folds(inputs.labeled, evaluate.synthetic_folds,
                                              inputs.seed)}
    make_model = model_builder(name, inputs.seed)
    data = training_data(name, inputs.data)
    predictions = pd.concat(
        [out_of_fold_predictions(name, make_model, inputs.labeled, inputs.augment, data,
                                 inputs.labeling, folds, eval_set)
         for eval_set, folds in protocols.items()], ignore_index=True)
    write_parquet(Path(inputs.paths.out_of_fold) / f"{name}.parquet", predictions)
    log.info("%s: %d out-of-fold predictions", name, len(predictions))


if __name__ == "__main__":
    main()
