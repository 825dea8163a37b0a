"""Gold + weak labels for every sentence: what the `label` stage computes."""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.config import LabelingConfig
from pipeline.evaluation.folds import leave_one_article_out
from pipeline.evaluation.metrics import accuracy, macro_f1
from pipeline.evaluation.report import markdown_table
from pipeline.labeling.analysis import lf_summary
from pipeline.labeling.apply import units_of
from pipeline.labeling.weak import LabelingFunctionClassifier
from pipeline.labels import TASKS

LABELED_COLUMNS = ["sentence_id", "article_id", "corpus", "paragraph", "index", "text", "kind",
                   "byline",
                   "label_source", "stance", "stance_confidence", "claim_type",
                   "claim_type_confidence", "attributed", "disputed",
                   "weak_stance", "weak_claim_type"]


def _classifier(task: str, config: LabelingConfig) -> LabelingFunctionClassifier:
    return LabelingFunctionClassifier(task, config.smoothing, config.default_accuracy)


def _quality(y_true, y_pred, labels) -> dict:
    return {"accuracy": accuracy(y_true, y_pred), "macro_f1": macro_f1(labels)(y_true, y_pred)}


def held_out_label_votes(units, gold: pd.DataFrame, task: str,
                         config: LabelingConfig) -> np.ndarray:
    """Label-model predictions for each gold sentence, leave one article out (the folds of
    `evaluation.folds`): its accuracies are fit on the other articles' gold."""
    predictions = np.empty(len(gold), dtype=object)
    for fold in leave_one_article_out(gold["article_id"]):
        test = fold.holds_out(gold["article_id"])
        model = _classifier(task, config).fit(
            [u for u, t in zip(units, test, strict=True) if not t],
            gold.loc[~test, task].tolist())
        predictions[test] = model.predict([u for u, t in zip(units, test, strict=True) if t])
    return predictions


def label_corpus(sentences: pd.DataFrame, gold: pd.DataFrame,
                 config: LabelingConfig) -> tuple[pd.DataFrame, dict]:
    """Label every sentence: gold where annotated, else the label model's vote.

    Returns the labeled table (LABELED_COLUMNS) and the labeling-function report: per task
    and function Snorkel's coverage, overlaps, conflicts and empirical accuracy on gold, and
    the label model's accuracy and macro-F1 on gold (in-sample, and leave-one-article-out).
    """
    gold = gold.merge(sentences[["sentence_id", "kind", "byline"]], on="sentence_id")
    gold = gold.reset_index(drop=True)
    units, gold_units = units_of(sentences), units_of(gold)
    labeled = sentences[["sentence_id", "article_id", "corpus", "paragraph", "index", "text",
                         "kind", "byline"]].copy()
    by_gold = labeled[["sentence_id"]].merge(gold, on="sentence_id", how="left")
    has_gold = by_gold["stance"].notna().to_numpy()
    labeled["label_source"] = np.where(has_gold, "gold", "weak")
    report: dict = {"sentences": len(labeled), "gold": int(has_gold.sum()),
                    "weak": int((~has_gold).sum()), "tasks": {}}
    for task, labels in TASKS.items():
        model = _classifier(task, config).fit(gold_units, gold[task].tolist())
        proba = model.predict_proba(units)
        weak = model.classes_[proba.argmax(axis=1)]
        labeled[f"weak_{task}"] = weak
        labeled[task] = np.where(has_gold, by_gold[task], weak)
        labeled[f"{task}_confidence"] = np.where(has_gold, 1.0, proba.max(axis=1))
        gold_index = np.array([labels.index(v) for v in gold[task]])
        corpus_matrix = model.label_matrix(units)
        gold_matrix = model.label_matrix(gold_units)
        in_sample = model.predict(gold_units)
        held_out = held_out_label_votes(gold_units, gold, task, config)
        report["tasks"][task] = {
            "labeling_functions": [
                {**row, "corpus_coverage": float((corpus_matrix[:, j] >= 0).mean()),
                 "estimated_accuracy": float(model.model_.accuracies_[j])}
                for j, row in enumerate(lf_summary(gold_matrix, model.lf_names_, gold_index))
            ],
            "label_model_on_gold": {
                "in_sample": _quality(gold[task], in_sample, labels),
                "leave_one_article_out": _quality(gold[task], held_out, labels),
            },
            "abstain_all_share": float((corpus_matrix < 0).all(axis=1).mean()),
        }
    labeled["attributed"] = by_gold["attributed"].astype("boolean")
    labeled["disputed"] = by_gold["disputed"].astype("boolean")
    return labeled[LABELED_COLUMNS], report


def refit_weak_labels(labeled: pd.DataFrame, exclude_articles, config: LabelingConfig,
                      ) -> pd.DataFrame:
    """`labeled` with every weak label re-voted by a label model fitted on the gold of all
    articles except `exclude_articles`.

    The `label` stage fits its label model on all gold; a cross-validation fold must not use
    weak labels from a model that saw its held-out article, so each fold calls this first.
    """
    weak = (labeled["label_source"] == "weak").to_numpy()
    if not weak.any():
        return labeled
    excluded = labeled["article_id"].isin(set(exclude_articles)).to_numpy()
    train = (labeled["label_source"] == "gold").to_numpy() & ~excluded
    units = units_of(labeled)
    train_units = [u for u, keep in zip(units, train, strict=True) if keep]
    weak_units = [u for u, keep in zip(units, weak, strict=True) if keep]
    out = labeled.copy()
    for task in TASKS:
        model = _classifier(task, config).fit(train_units,
                                              labeled.loc[train, task].tolist())
        proba = model.predict_proba(weak_units)
        out.loc[weak, task] = model.classes_[proba.argmax(axis=1)]
        out.loc[weak, f"weak_{task}"] = out.loc[weak, task]
        out.loc[weak, f"{task}_confidence"] = proba.max(axis=1)
    return out


def report_markdown(report: dict) -> str:
    """reports/labeling.md: one table per task, then the label model's quality on gold."""
    lines = ["# Labeling functions", "",
             f"{report['sentences']} sentences: {report['gold']} gold, {report['weak']} weakly "
             "labeled. Coverage, overlaps and conflicts are shares of gold sentences "
             "(Snorkel's definitions); accuracy is empirical accuracy on gold.", ""]
    for task, section in report["tasks"].items():
        lines += [f"## {task}", ""]
        lines += markdown_table(
            ["function", "coverage", "overlaps", "conflicts", "accuracy on gold",
             "corpus coverage"],
            ([f"`{row['name']}`", f"{row['coverage']:.2f}", f"{row['overlaps']:.2f}",
              f"{row['conflicts']:.2f}",
              "n/a" if row["empirical_accuracy"] is None else f"{row['empirical_accuracy']:.2f}",
              f"{row['corpus_coverage']:.2f}"] for row in section["labeling_functions"]))
        lines.append("")
        lines += markdown_table(
            ["label model on gold", "accuracy", "macro-F1"],
            ([name.replace("_", " "), f"{values['accuracy']:.3f}", f"{values['macro_f1']:.3f}"]
             for name, values in section["label_model_on_gold"].items()))
        lines.append("")
    return "\n".join(lines)
