"""reports/evaluation.md: the page an engineer reads to decide which model to trust."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from pipeline.evaluation.metrics import headline_metrics
from pipeline.labels import TASKS


def markdown_table(header: list[str], rows: Iterable[Iterable[object]]) -> list[str]:
    """A Markdown table as lines: the header, the rule, one line per row ("|" in a cell is
    escaped)."""
    def line(cells: Iterable[object]) -> str:
        return "| " + " | ".join(str(cell).replace("|", "\\|") for cell in cells) + " |"

    return [line(header), "|" + "---|" * len(header)] + [line(row) for row in rows]


def _interval(entry: dict) -> str:
    return (f"{entry['value']:.3f} [{entry['sentence_low']:.3f}, {entry['sentence_high']:.3f}]"
            f" ({entry['article_low']:.3f}, {entry['article_high']:.3f})")


def _distribution(frame: pd.DataFrame, task: str) -> str:
    counts = frame[task].value_counts()
    return ", ".join(f"{label} {int(counts.get(label, 0))}" for label in TASKS[task])


def render_report(metrics: dict, predictions: pd.DataFrame, gold: pd.DataFrame,
                  training_sizes: dict, agreement: dict, top_errors: int,
                  error_model: str, figures: dict[str, str],
                  synthetic_metrics: dict | None = None) -> str:
    lines = ["# Evaluation", "",
             "Leave-one-article-out cross-validation on the seed gold sentences: each fold "
             "holds out one real article; training adds the annotated synthetic articles and "
             "(per params) weakly labeled and synthetic sentences, never from the held-out "
             "article. Every figure is "
             "`value [95% interval resampling sentences] (95% interval resampling articles)`.",
             "", "## Data", "",
             f"- Articles: {gold['article_id'].nunique()}; gold sentences: {len(gold)}",
             f"- Stance: {_distribution(gold, 'stance')}",
             f"- Claim type: {_distribution(gold, 'claim_type')}",
             "- Training data of the final models: "
             + ", ".join(f"{n} {source}" for source, n in training_sizes.items()), ""]
    lines += metric_tables(metrics)
    lines += ["## Human ceiling", "",
              "Two independent annotations of the same sentences (`reports/agreement.json`). "
              "The `human` rows above score annotator B against annotator A, before "
              "adjudication, with the same metrics as the models. See the caveat in "
              "`docs/annotation_guidelines.md`: this ceiling is likely optimistic.", ""]
    lines += _agreement_table(agreement["seed"])
    if synthetic_metrics:
        lines += ["", "## Held-out synthetic articles (written by the team)", "",
                  f"A separate evaluation: {synthetic_metrics['protocol']['folds']} over the "
                  "annotated synthetic articles. Each fold trains on the seed gold and the other "
                  "folds' articles. These articles were written by the team from the label "
                  "contract, so they are easier than real coverage: read these figures as a "
                  "check of consistency, not of generalization.", ""]
        lines += metric_tables(synthetic_metrics, heading_level="###")
        lines += _agreement_table(agreement["synthetic"])
    lines += ["", "## Figures", ""]
    lines += [f"![{name}]({path})" for name, path in figures.items()]
    lines += ["", "## Per article", "",
              "Stance F_avg and claim-type macro-F1 of each model on each held-out article.", ""]
    lines += _per_article(predictions)
    lines += ["", f"## Most confident errors ({error_model})", ""]
    for task in TASKS:
        mine = (predictions["model"] == error_model) & (predictions["task"] == task)
        rows = predictions[mine & (predictions["gold"] != predictions["predicted"])]
        rows = rows.sort_values("confidence", ascending=False).head(top_errors)
        lines += [f"### {task}", ""]
        lines += markdown_table(["confidence", "gold", "predicted", "text"],
                                ([f"{row.confidence:.2f}", row.gold, row.predicted, row.text]
                                 for row in rows.itertuples()))
        lines.append("")
    return "\n".join(lines)


def metric_tables(metrics: dict, heading_level: str = "##") -> list[str]:
    """One table per task (value and intervals per model), then the paired differences."""
    lines = []
    for task in TASKS:
        names = list(headline_metrics(task))
        lines += [f"{heading_level} {task}", ""]
        lines += markdown_table(["model", *names],
                                ([model, *(_interval(entry[n]) for n in names)]
                                 for model, entry in metrics[task].items()
                                 if "_minus_" not in model))
        for model, diffs in metrics[task].items():
            if "_minus_" in model:
                lines += ["", f"Paired bootstrap, {model.replace('_minus_', ' minus ')}:", ""]
                for name, d in diffs.items():
                    lines.append(f"- {name}: {d['value']:+.3f} [{d['low']:+.3f}, {d['high']:+.3f}]"
                                 f"; share of resamples where it is not better: "
                                 f"{d['share_not_better']:.2f}")
        lines.append("")
    return lines


def _per_article(predictions: pd.DataFrame) -> list[str]:
    metric = {task: next(iter(headline_metrics(task).items())) for task in TASKS}
    models = list(dict.fromkeys(predictions["model"]))
    header = ["article"] + [f"{m} {task} {metric[task][0]}" for task in TASKS for m in models]
    rows = []
    for article, rows_of_article in predictions.groupby("article_id"):
        cells = [article]
        for task in TASKS:
            _, function = metric[task]
            for model in models:
                subset = rows_of_article[(rows_of_article["task"] == task)
                                         & (rows_of_article["model"] == model)]
                value = function(subset["gold"].to_numpy(), subset["predicted"].to_numpy())
                cells.append(f"{value:.2f}")
        rows.append(cells)
    return markdown_table(header, rows)


def _agreement_table(agreement: dict) -> list[str]:
    return markdown_table(
        ["task", "Cohen's kappa", "Krippendorff's alpha", "observed agreement"],
        ([task, *(f"{agreement['tasks'][task][key]:.3f}"
                  for key in ("cohen_kappa", "krippendorff_alpha", "observed_agreement"))]
         for task in TASKS))
