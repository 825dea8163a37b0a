"""Does bfloat16 inference cost gold accuracy? Leave-one-article-out, fp32 vs bf16, same folds.

    python -m benchmarks.bf16_gold

Runs the transformer's cross-validation exactly as the `crossval_transformer` stage does
(same params, same folds, same leak check), but predicts each held-out article twice with
the same fold model: once in fp32 and once under bfloat16 autocast. Prints macro-F1 and
accuracy of both on gold, the label agreement between them, and whether the fp32 run
reproduces the stage's saved out-of-fold predictions. `stance score --bf16` is recommended
only if both tasks stay within one point.

Needs `dvc repro label` (and the stage output data/evaluation/transformer.parquet for the
reproduction check). Trains five fold models: several minutes on 2 CPU cores.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from pipeline.evaluation.crossval import out_of_fold_predictions
from pipeline.evaluation.folds import seed_folds
from pipeline.evaluation.metrics import accuracy, macro_f1
from pipeline.io import write_json
from pipeline.labels import TASKS
from pipeline.logs import setup_logging
from pipeline.models.base import MultiTaskModel
from pipeline.models.registry import model_builder
from pipeline.stages.common import load_training_inputs


class TwoPrecisions(MultiTaskModel):
    """One fitted transformer that answers in fp32 and keeps its bf16 answers on the side."""

    family = "transformer"

    def __init__(self, inner: MultiTaskModel, bf16_answers: list[dict[str, np.ndarray]]):
        self.inner = inner
        self.bf16_answers = bf16_answers

    def fit(self, texts: Sequence[str], labels: dict[str, Sequence[str]]) -> TwoPrecisions:
        self.inner.fit(texts, labels)
        return self

    def predict_proba_all(self, texts: Sequence[str]) -> dict[str, np.ndarray]:
        self.inner.configure_inference(bf16=True)
        self.bf16_answers.append(self.inner.predict_proba_all(texts))
        self.inner.configure_inference(bf16=False)
        return self.inner.predict_proba_all(texts)

    def save(self, folder: Path) -> None:
        raise NotImplementedError("a benchmark wrapper, never saved")

    @classmethod
    def load(cls, folder: Path) -> TwoPrecisions:
        raise NotImplementedError("a benchmark wrapper, never loaded")


def bf16_predictions(fp32: pd.DataFrame, answers: list[dict[str, np.ndarray]]) -> pd.DataFrame:
    """The bf16 labels, row-aligned with the fp32 predictions (same fold and task order)."""
    labels = []
    for answer in answers:
        for task, proba in answer.items():
            labels.append(np.array(TASKS[task])[proba.argmax(axis=1)])
    return fp32.assign(predicted=np.concatenate(labels))


def scores(predictions: pd.DataFrame) -> dict[str, dict[str, float]]:
    out = {}
    for task, rows in predictions.groupby("task"):
        y_true, y_pred = rows["gold"].to_numpy(), rows["predicted"].to_numpy()
        out[task] = {"macro_f1": macro_f1(TASKS[task])(y_true, y_pred),
                     "accuracy": accuracy(y_true, y_pred)}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=Path("reports/benchmark_bf16_gold.json"))
    args = parser.parse_args()
    setup_logging()
    inputs = load_training_inputs()
    make_transformer = model_builder("transformer", inputs.seed)
    answers: list[dict[str, np.ndarray]] = []
    fp32 = out_of_fold_predictions(
        "transformer", lambda: TwoPrecisions(make_transformer(), answers),
        inputs.labeled, inputs.augment, inputs.data, inputs.labeling,
        seed_folds(inputs.labeled))
    bf16 = bf16_predictions(fp32, answers)
    result = {"fp32": scores(fp32), "bf16": scores(bf16),
              "label_agreement": {task: float(np.mean(rows["predicted"].to_numpy() ==
                                                      bf16.loc[rows.index, "predicted"].to_numpy()))
                                  for task, rows in fp32.groupby("task")}}
    saved = Path(inputs.paths.out_of_fold) / "transformer.parquet"
    if saved.exists():
        stage = pd.read_parquet(saved)
        stage = stage[stage["eval_set"] == "seed"]
        result["fp32_reproduces_stage"] = bool(
            (stage["predicted"].to_numpy() == fp32["predicted"].to_numpy()).all())
    result["within_one_point"] = all(
        abs(result["bf16"][task][name] - result["fp32"][task][name]) <= 0.01
        for task in result["fp32"] for name in ("macro_f1", "accuracy"))
    for task in result["fp32"]:
        print(f"{task}: fp32 macro-F1 {result['fp32'][task]['macro_f1']:.3f} "
              f"acc {result['fp32'][task]['accuracy']:.3f} | bf16 macro-F1 "
              f"{result['bf16'][task]['macro_f1']:.3f} acc {result['bf16'][task]['accuracy']:.3f}"
              f" | labels equal {result['label_agreement'][task]:.3f}")
    print(f"bf16 within one point on gold: {result['within_one_point']}; "
          f"fp32 reproduces the crossval stage: {result.get('fp32_reproduces_stage')}")
    write_json(args.output, result)
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
