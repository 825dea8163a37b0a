"""Inputs of `stance score`: files, folders, globs, stdin and JSONL, as a stream of documents.

Nothing is dropped silently: every input that cannot be used becomes a `Skipped` record with
the file (and line) and the reason.
"""

from __future__ import annotations

import glob
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Document:
    """An article to split: either a file on disk (`path`) or text already in memory."""

    article_id: str
    source: str
    path: Path | None = None
    text: str | None = None


@dataclass(frozen=True)
class Skipped:
    source: str
    reason: str


def expand(inputs: list[str], skipped: list[Skipped]) -> Iterator[Document | Path]:
    """Resolve INPUT arguments in order: `-` (stdin), folders (recursive *.txt), globs, files.

    Yields Documents for text already read (stdin, JSONL lines) and Paths for .txt files.
    """
    for item in inputs:
        if item == "-":
            yield from _stdin()
            continue
        path = Path(item)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*.txt") if p.is_file())
            continue
        matches = sorted(glob.glob(item, recursive=True)) if glob.has_magic(item) else [item]
        if not matches:
            skipped.append(Skipped(item, "no file matches this pattern"))
        for match in matches:
            candidate = Path(match)
            if not candidate.exists():
                skipped.append(Skipped(match, "no such file or folder"))
            elif candidate.is_dir():
                yield from sorted(p for p in candidate.rglob("*.txt") if p.is_file())
            elif candidate.suffix.lower() == ".jsonl":
                yield from _jsonl(candidate, skipped)
            else:
                yield candidate


def _stdin() -> Iterator[Document]:
    text = sys.stdin.read()
    yield Document(article_id="stdin", source="<stdin>", text=text)


def _jsonl(path: Path, skipped: list[Skipped]) -> Iterator[Document]:
    """One document per line: {"id": ..., "text": ...}; bad lines are skipped and reported."""
    try:
        handle = open(path, encoding="utf-8")
    except OSError as error:
        skipped.append(Skipped(str(path), f"cannot open ({error.strerror})"))
        return
    with handle:
        try:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                where = f"{path}:{number}"
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as error:
                    skipped.append(Skipped(where, f"malformed JSON ({error.msg})"))
                    continue
                if not isinstance(record, dict) or not isinstance(record.get("text"), str) \
                        or "id" not in record:
                    skipped.append(Skipped(where, "expected an object with 'id' and 'text'"))
                    continue
                yield Document(article_id=str(record["id"]), source=where, text=record["text"])
        except UnicodeDecodeError:
            skipped.append(Skipped(str(path), "not valid UTF-8 (the rest of the file)"))
