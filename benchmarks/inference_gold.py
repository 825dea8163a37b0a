"""Do the faster inference paths keep the labels? Each path against fp32 on gold.

    python -m benchmarks.inference_gold [--mode folds|saved] [--paths bf16 torch_int8 ...]

Paths are `score.*` settings: bf16 (torch under bfloat16 autocast), torchscript and
torchscript_bf16 (the traced graph in fp32 and under autocast), torch_int8 (dynamically
quantized linear layers), onnx and onnx_int8 (ONNX Runtime, fp32 and dynamic int8). For each,
the label agreement with fp32 and the macro-F1 and accuracy on gold, in one of two modes:

- `folds` (default): held-out text. The transformer's cross-validation exactly as the
  `crossval_transformer` stage runs it (same params, folds and leak check); each held-out
  article is predicted by the same fold model in fp32 and in every path. Trains one model per
  seed article: several minutes on 2 CPU cores. Needs `dvc repro label`.
- `saved`: the trained model (models/transformer) on every seed and synthetic gold sentence.
  Fast, but in-sample (the model trained on these), so only the agreement is telling.

A path passes at >= 99% label agreement and <= 0.5 points of macro-F1 lost, per task
(issue 12); `stance score` offers only passing paths as defaults.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from pipeline.evaluation.crossval import out_of_fold_predictions
from pipeline.evaluation.folds import seed_folds
from pipeline.evaluation.metrics import accuracy, macro_f1
from pipeline.labels import TASKS
from pipeline.logs import setup_logging
from pipeline.models.base import MultiTaskModel
from pipeline.models.runtime import InferenceOptions

PATHS = {"bf16": InferenceOptions(precision="bf16"),
         "torchscript": InferenceOptions(runtime="torchscript"),
         "torchscript_bf16": InferenceOptions(precision="bf16", runtime="torchscript"),
         "torch_int8": InferenceOptions(runtime="torch_int8"),
         "onnx": InferenceOptions(runtime="onnx"),
         "onnx_int8": InferenceOptions(runtime="onnx_int8")}
MIN_AGREEMENT = 0.99
MAX_MACRO_F1_LOSS = 0.005


class EveryPath(MultiTaskModel):
    """One fitted transformer that answers in fp32 and keeps each path's answers on the side."""

    family = "transformer"

    def __init__(self, inner: MultiTaskModel, paths: dict[str, InferenceOptions],
                 answers: dict[str, list[dict[str, np.ndarray]]]):
        self.inner = inner
        self.paths = paths
        self.answers = answers

    def fit(self, texts: Sequence[str], labels: dict[str, Sequence[str]]) -> EveryPath:
        self.inner.fit(texts, labels)
        return self

    def predict_proba_all(self, texts: Sequence[str], options=None) -> dict[str, np.ndarray]:
        for name, path_options in self.paths.items():
            self.answers[name].append(self.inner.predict_proba_all(texts, path_options))
        return self.inner.predict_proba_all(texts)

    def save(self, folder: Path) -> None:
        raise NotImplementedError("a benchmark wrapper, never saved")

    @classmethod
    def load(cls, folder: Path) -> EveryPath:
        raise NotImplementedError("a benchmark wrapper, never loaded")


def path_predictions(fp32: pd.DataFrame, answers: list[dict[str, np.ndarray]]) -> pd.DataFrame:
    """A path's labels, row-aligned with the fp32 predictions (same fold and task order)."""
    labels = [np.array(TASKS[task])[proba.argmax(axis=1)]
              for answer in answers for task, proba in answer.items()]
    return fp32.assign(predicted=np.concatenate(labels))


def scores(predictions: pd.DataFrame) -> dict[str, dict[str, float]]:
    out = {}
    for task, rows in predictions.groupby("task"):
        y_true, y_pred = rows["gold"].to_numpy(), rows["predicted"].to_numpy()
        out[task] = {"macro_f1": macro_f1(TASKS[task])(y_true, y_pred),
                     "accuracy": accuracy(y_true, y_pred)}
    return out


def folds_predictions(paths: dict[str, InferenceOptions]) -> tuple[pd.DataFrame, dict]:
    from pipeline.models.registry import model_builder, training_data
    from pipeline.stages.common import load_training_inputs

    inputs = load_training_inputs()
    make_transformer = model_builder("transformer", inputs.seed)
    answers: dict[str, list] = {name: [] for name in paths}
    fp32 = out_of_fold_predictions(
        "transformer", lambda: EveryPath(make_transformer(), paths, answers),
        inputs.labeled, inputs.augment, training_data("transformer", inputs.data),
        inputs.labeling, seed_folds(inputs.labeled))
    return fp32, {name: path_predictions(fp32, answers[name]) for name in paths}


def saved_model_predictions(paths: dict[str, InferenceOptions]) -> tuple[pd.DataFrame, dict]:
    from pipeline.config import PathsConfig, load_section
    from pipeline.models import load_model

    config = load_section("paths", PathsConfig)
    gold = pd.concat([pd.read_json(path, lines=True) for path in
                      (config.gold, config.synthetic_gold)], ignore_index=True)
    model = load_model(Path(config.transformer_model))
    texts = gold["text"].tolist()

    def long_format(answer: dict[str, np.ndarray]) -> pd.DataFrame:
        return pd.concat([pd.DataFrame({"task": task, "gold": gold[task].to_numpy(),
                                        "predicted": model.classes(task)[proba.argmax(axis=1)]})
                          for task, proba in answer.items()], ignore_index=True)

    fp32 = long_format(model.predict_proba_all(texts))
    return fp32, {name: long_format(model.predict_proba_all(texts, options))
                  for name, options in paths.items()}


def compare(fp32: pd.DataFrame, others: dict[str, pd.DataFrame]) -> dict:
    result: dict = {"sentences_per_task": int((fp32["task"] == fp32["task"].iloc[0]).sum()),
                    "fp32": scores(fp32), "paths": {}}
    for name, predictions in others.items():
        path_scores = scores(predictions)
        agreement = {task: float(np.mean(rows["predicted"].to_numpy() ==
                                         predictions.loc[rows.index, "predicted"].to_numpy()))
                     for task, rows in fp32.groupby("task")}
        loss = {task: result["fp32"][task]["macro_f1"] - path_scores[task]["macro_f1"]
                for task in path_scores}
        result["paths"][name] = {
            "scores": path_scores, "label_agreement_with_fp32": agreement,
            "macro_f1_loss": loss,
            "passes": all(agreement[t] >= MIN_AGREEMENT and loss[t] <= MAX_MACRO_F1_LOSS
                          for t in agreement)}
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mode", choices=("folds", "saved"), default="folds")
    parser.add_argument("--paths", nargs="+", choices=sorted(PATHS), default=list(PATHS))
    parser.add_argument("--output", type=Path, default=None,
                        help="default reports/benchmark_inference_gold_<mode>.json")
    args = parser.parse_args()
    setup_logging()
    paths = {name: PATHS[name] for name in args.paths}
    predict = folds_predictions if args.mode == "folds" else saved_model_predictions
    result = {"mode": args.mode, **compare(*predict(paths))}
    for task, row in result["fp32"].items():
        print(f"{task}: fp32 macro-F1 {row['macro_f1']:.3f} acc {row['accuracy']:.3f}")
    for name, row in result["paths"].items():
        details = "; ".join(
            f"{task} macro-F1 {row['scores'][task]['macro_f1']:.3f} "
            f"(-{row['macro_f1_loss'][task] * 100:.1f} pt), labels equal "
            f"{row['label_agreement_with_fp32'][task]:.1%}" for task in row["scores"])
        print(f"{name}: {details} -> {'passes' if row['passes'] else 'FAILS'}")
    output = args.output or Path(f"reports/benchmark_inference_gold_{args.mode}.json")
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {output}")


if __name__ == "__main__":
    main()
