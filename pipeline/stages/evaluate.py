"""Stage `evaluate`: out-of-fold predictions -> metrics.json, plots, figures, evaluation.md."""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd

from pipeline.config import EvaluateConfig, PathsConfig, load_params, load_section
from pipeline.evaluation.plots import comparison_figure, confusion_figure, write_confusion_csvs
from pipeline.evaluation.report import render_report
from pipeline.evaluation.scores import compute_metrics, human_metrics
from pipeline.io import read_json, write_json, write_parquet
from pipeline.labeling.datasets import load_gold
from pipeline.labels import TASKS
from pipeline.logs import setup_logging
from pipeline.stages.common import load_training_inputs

log = logging.getLogger("pipeline.stages.evaluate")


def with_human_ceiling(metrics: dict, annotations: tuple[str, ...], sentences: pd.DataFrame,
                       config: EvaluateConfig, seed: int) -> dict:
    """Add the `human` rows: annotator B scored against annotator A before adjudication (gold
    sided with one of them on every dispute, so scoring an annotator against gold would
    overstate agreement)."""
    first, second = (load_gold(path, sentences) for path in annotations)
    human = human_metrics(first, second, config, seed)
    for task in TASKS:
        metrics[task]["human"] = human[task]
    return metrics


def main() -> None:
    setup_logging()
    paths = load_section("paths", PathsConfig)
    config = load_section("evaluate", EvaluateConfig)
    seed = int(load_params()["seed"])
    everything = pd.concat([pd.read_parquet(Path(paths.out_of_fold) / f"{model}.parquet")
                            for model in config.models], ignore_index=True)
    write_parquet(paths.predictions, everything)
    sentences = pd.read_parquet(paths.sentences)
    gold = load_gold(paths.gold, sentences)
    predictions = everything[everything["eval_set"] == "seed"]
    metrics = with_human_ceiling(compute_metrics(predictions, config, seed),
                                 paths.annotations, sentences, config, seed)
    write_json(paths.metrics, metrics)
    synthetic = everything[everything["eval_set"] == "synthetic"]
    synthetic_metrics = None
    if len(synthetic):
        synthetic_metrics = with_human_ceiling(
            compute_metrics(synthetic, config, seed,
                            folds=f"{config.synthetic_folds} folds of whole synthetic articles"),
            paths.synthetic_annotations, sentences, config, seed)
    write_json(paths.synthetic_metrics, synthetic_metrics or {})

    figures_dir = Path(paths.figures)
    write_confusion_csvs(predictions, Path(paths.confusion_plots))
    figures = {}
    for task in TASKS:
        confusion_figure(predictions, task, figures_dir / f"confusion_{task}.png")
        figures[f"{task} confusion"] = f"figures/confusion_{task}.png"
    comparison_figure(metrics, figures_dir / "model_comparison.png")
    figures["model comparison"] = "figures/model_comparison.png"

    inputs = load_training_inputs()
    training_sizes = inputs.final_training_set()["source"].value_counts().to_dict()
    Path(paths.evaluation_report).write_text(render_report(
        metrics, predictions, gold, training_sizes, read_json(paths.agreement_report),
        config.top_errors, config.error_model, figures, synthetic_metrics), encoding="utf-8")
    for task in TASKS:
        summary = ", ".join(f"{model} {entry['macro_f1']['value']:.3f}"
                            for model, entry in metrics[task].items() if "macro_f1" in entry)
        log.info("%s macro-F1: %s", task, summary)


if __name__ == "__main__":
    main()
