"""Label Studio interchange: tasks to import, and labels read back from a JSON export.

The labeling config that goes with these tasks is `docs/label_studio.xml`: one `Text` named
`text` and three single-choice `Choices` named after the contract's labels (`stance`,
`claim_type`, `attributed`), plus an optional `note`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from pipeline.labels import TASKS

LABEL_FIELDS = ("stance", "claim_type", "attributed")
TASK_DATA = ("sentence_id", "article_id", "text")


class ExportError(ValueError):
    """The export cannot be read at all; the message names the file and what is wrong."""


def tasks_for_import(selected: pd.DataFrame) -> list[dict]:
    """Label Studio tasks (`{"data": {...}}`), one per selected sentence."""
    extra = [c for c in ("uncertainty", "stance", "claim_type") if c in selected]
    tasks = []
    for record in selected.to_dict(orient="records"):
        data = {key: record[key] for key in TASK_DATA}
        # The model's guess is kept under its own names so it is never mistaken for a label.
        data.update({f"model_{key}": record[key] for key in extra})
        tasks.append({"data": data})
    return tasks


@dataclass
class ImportResult:
    records: list[dict] = field(default_factory=list)  # valid, agreed labels, one per sentence
    invalid: list[dict] = field(default_factory=list)  # annotation that breaks the contract
    disagreements: list[dict] = field(default_factory=list)  # annotators of one task disagree
    skipped: list[dict] = field(default_factory=list)  # cancelled or empty annotations


def _annotator(annotation: dict) -> str:
    who = annotation.get("completed_by")
    if isinstance(who, dict):
        return str(who.get("email") or who.get("id") or "unknown")
    return "unknown" if who is None else str(who)


def _choices(result: list[dict]) -> dict[str, str]:
    values = {}
    for item in result:
        name = item.get("from_name")
        value = item.get("value", {})
        if "choices" in value and value["choices"]:
            values[name] = value["choices"][0]
        elif "text" in value and value["text"]:
            values[name] = " ".join(value["text"])
    return values


def _validate(values: dict[str, str]) -> tuple[dict | None, str]:
    """Contract-checked labels from one annotation, or None and the reason."""
    missing = [name for name in LABEL_FIELDS if name not in values]
    if missing:
        return None, f"missing {', '.join(missing)}"
    labels = {}
    for task, allowed in TASKS.items():
        if values[task] not in allowed:
            return None, f"invalid {task} {values[task]!r} (expected one of {allowed})"
        labels[task] = values[task]
    attributed = str(values["attributed"]).lower()
    if attributed not in ("true", "false"):
        return None, f"invalid attributed {values['attributed']!r} (expected true or false)"
    labels["attributed"] = attributed == "true"
    if labels["claim_type"] == "non_claim" and labels["stance"] != "neutral":
        return None, "a non_claim unit must be neutral (contract rule 7)"
    labels["note"] = values.get("note", "")
    return labels, ""


def read_export(path: Path | str) -> ImportResult:
    """Every annotation of a Label Studio JSON export, checked against the label contract.

    A task labeled identically by all its annotators gives one record (with every
    annotator's name); a task whose annotators disagree is reported, never resolved here.
    """
    path = Path(path)
    try:
        tasks = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ExportError(f"{path}: no such file") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ExportError(f"{path}: not a Label Studio JSON export ({error})") from None
    if not isinstance(tasks, list):
        raise ExportError(f"{path}: expected a JSON list of tasks (Label Studio's JSON export)")
    result = ImportResult()
    for number, task in enumerate(tasks, start=1):
        data = task.get("data", {}) if isinstance(task, dict) else {}
        where = f"task {task.get('id', number) if isinstance(task, dict) else number}"
        missing = [key for key in TASK_DATA if key not in data]
        if missing:
            result.invalid.append({"task": where, "reason": f"task data lacks {missing}"})
            continue
        labeled = []
        for annotation in task.get("annotations", []):
            annotator = _annotator(annotation)
            if annotation.get("was_cancelled") or not annotation.get("result"):
                result.skipped.append({"task": where, "sentence_id": data["sentence_id"],
                                       "annotator": annotator, "reason": "cancelled or empty"})
                continue
            labels, reason = _validate(_choices(annotation["result"]))
            if labels is None:
                result.invalid.append({"task": where, "sentence_id": data["sentence_id"],
                                       "annotator": annotator, "reason": reason})
                continue
            labeled.append((annotator, labels, annotation.get("updated_at")
                            or annotation.get("created_at")))
        if not labeled:
            continue
        keys = {tuple(labels[name] for name in LABEL_FIELDS) for _, labels, _ in labeled}
        if len(keys) > 1:
            result.disagreements.append({
                "sentence_id": data["sentence_id"], "text": data["text"],
                "labels": {annotator: {name: labels[name] for name in LABEL_FIELDS}
                           for annotator, labels, _ in labeled}})
            continue
        _, labels, when = labeled[0]
        notes = "; ".join(sorted({lab["note"] for _, lab, _ in labeled if lab["note"]}))
        result.records.append({
            "sentence_id": data["sentence_id"], "article_id": data["article_id"],
            "text": data["text"], **{name: labels[name] for name in LABEL_FIELDS},
            "disputed": False, "note": notes,
            "annotators": sorted({annotator for annotator, _, _ in labeled}),
            "labeled_at": when, "imported_from": path.name,
        })
    return result


@dataclass
class MergePlan:
    new: list[dict]
    unchanged: list[dict]
    conflicts: list[dict]


def plan_merge(records: list[dict], gold_path: Path | str) -> MergePlan:
    """Compare imported records with an existing gold file: new sentences are added, equal
    labels are left alone, and different labels are conflicts that are never overwritten."""
    existing: dict[str, dict] = {}
    gold_path = Path(gold_path)
    if gold_path.exists():
        with open(gold_path, encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    record = json.loads(line)
                    existing[record["sentence_id"]] = record
    plan = MergePlan([], [], [])
    for record in records:
        old = existing.get(record["sentence_id"])
        if old is None:
            plan.new.append(record)
        elif all(old.get(name) == record[name] for name in LABEL_FIELDS):
            plan.unchanged.append(record)
        else:
            plan.conflicts.append({
                "sentence_id": record["sentence_id"], "text": record["text"],
                "gold": {name: old.get(name) for name in LABEL_FIELDS},
                "imported": {name: record[name] for name in LABEL_FIELDS},
                "annotators": record["annotators"]})
    return plan


def append_jsonl(path: Path | str, records: list[dict]) -> None:
    """Append `records` as JSON lines; nothing to append leaves the file untouched."""
    if not records:
        return
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
