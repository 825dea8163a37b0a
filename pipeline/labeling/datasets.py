"""Loading gold annotations and synthetic training sentences, with line-precise errors."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from pipeline.labels import TASKS
from pipeline.text.ids import normalize_text

GOLD_COLUMNS = ["sentence_id", "article_id", "text", "stance", "claim_type", "attributed",
                "disputed", "note"]
AUGMENT_COLUMNS = ["id", "text", "stance", "claim_type", "attributed", "source"]


class LabelFileError(ValueError):
    """A problem in a labels file; the message names the file and the line."""


def _read_jsonl(path: Path, required: list[str]) -> list[tuple[int, dict]]:
    records = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                raise LabelFileError(f"{path}:{number}: malformed JSON ({error.msg})") from None
            if not isinstance(record, dict):
                raise LabelFileError(f"{path}:{number}: expected a JSON object")
            missing = [key for key in required if key not in record]
            if missing:
                raise LabelFileError(f"{path}:{number}: missing field(s) {missing}")
            _check_labels(path, number, record)
            records.append((number, record))
    return records


def _check_labels(path: Path, number: int, record: dict) -> None:
    for task, labels in TASKS.items():
        if record[task] not in labels:
            raise LabelFileError(
                f"{path}:{number}: invalid {task} {record[task]!r} (expected one of {labels})"
            )
    if not isinstance(record["attributed"], bool):
        raise LabelFileError(f"{path}:{number}: attributed must be true or false")
    if record["stance"] != "neutral" and record["claim_type"] == "non_claim":
        raise LabelFileError(f"{path}:{number}: a non_claim unit must be neutral (contract rule 7)")


def load_gold(path: Path | str, sentences: pd.DataFrame) -> pd.DataFrame:
    """Validated gold labels for `sentences` (the split stage's table).

    Raises LabelFileError naming the line for malformed JSON, an invalid label, a duplicate,
    an unknown or stale sentence_id, or a text that no longer matches the split.
    """
    path = Path(path)
    by_id = sentences.set_index("sentence_id")["text"].to_dict()
    seen: dict[str, int] = {}
    rows = []
    for number, record in _read_jsonl(path, GOLD_COLUMNS[:6]):
        sid = record["sentence_id"]
        if sid in seen:
            raise LabelFileError(f"{path}:{number}: duplicate sentence_id {sid} "
                                 f"(first on line {seen[sid]})")
        seen[sid] = number
        if sid not in by_id:
            raise LabelFileError(
                f"{path}:{number}: unknown or stale sentence_id {sid} "
                "(not produced by the split stage; was the article or splitter changed?)"
            )
        if normalize_text(record["text"]) != normalize_text(by_id[sid]):
            raise LabelFileError(f"{path}:{number}: text does not match sentence {sid}: "
                                 f"{record['text'][:60]!r} vs {by_id[sid][:60]!r}")
        rows.append({key: record.get(key, default) for key, default in
                     zip(GOLD_COLUMNS, [None] * 6 + [False, ""], strict=True)})
    return pd.DataFrame(rows, columns=GOLD_COLUMNS)


def load_augment(folder: Path | str) -> pd.DataFrame:
    """All synthetic training sentences in `folder/*.jsonl` (training only, never evaluated)."""
    frames = []
    seen: dict[str, str] = {}
    for path in sorted(Path(folder).glob("*.jsonl")):
        rows = []
        for number, record in _read_jsonl(path, AUGMENT_COLUMNS):
            if record["id"] in seen:
                raise LabelFileError(f"{path}:{number}: duplicate id {record['id']} "
                                     f"(also in {seen[record['id']]})")
            seen[record["id"]] = str(path)
            rows.append({key: record[key] for key in AUGMENT_COLUMNS})
        frames.append(pd.DataFrame(rows, columns=AUGMENT_COLUMNS))
    if not frames:
        return pd.DataFrame(columns=AUGMENT_COLUMNS)
    return pd.concat(frames, ignore_index=True)


def sentences_without_gold(sentences: pd.DataFrame, gold: pd.DataFrame) -> pd.DataFrame:
    return sentences[~sentences["sentence_id"].isin(gold["sentence_id"])]


def gold_rows(labeled: pd.DataFrame, corpus: str) -> pd.DataFrame:
    """Rows of the labeled table that carry gold labels and come from `corpus` ("seed" or
    "synthetic")."""
    return labeled[(labeled["label_source"] == "gold") & (labeled["corpus"] == corpus)]
