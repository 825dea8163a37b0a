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


class DuplicateArticleError(ValueError):
    """Two inputs would give the same article id; their rows would be indistinguishable."""


def expand(inputs: list[str], skipped: list[Skipped]) -> Iterator[Document]:
    """Resolve INPUT arguments in order: `-` (stdin), folders (recursive *.txt), globs, files.

    Article ids are unique: a file found in a folder (or by a glob) is named by its path
    relative to that folder (the glob's fixed leading folders) without `.txt`, so `a/x.txt`
    and `b/x.txt` stay apart; a file given directly keeps its stem; a JSONL record keeps its
    `id`; stdin is `stdin`. Raises DuplicateArticleError when two inputs still share an id.
    """
    seen: dict[str, str] = {}
    for document in _documents(inputs, skipped):
        first = seen.get(document.article_id)
        if first == document.source:
            raise DuplicateArticleError(f"{first} is given more than once")
        if first is not None:
            raise DuplicateArticleError(
                f"article id {document.article_id!r} comes from both {first} and "
                f"{document.source}; rename one, or score them in separate runs")
        seen[document.article_id] = document.source
        yield document


def _documents(inputs: list[str], skipped: list[Skipped]) -> Iterator[Document]:
    for item in inputs:
        if item == "-":
            yield from _stdin()
            continue
        path = Path(item)
        if path.is_dir():
            yield from _folder(path, path, skipped)
            continue
        root = _glob_root(item) if glob.has_magic(item) else None
        matches = sorted(glob.glob(item, recursive=True)) if root is not None else [item]
        if not matches:
            skipped.append(Skipped(item, "no file matches this pattern"))
        for match in matches:
            candidate = Path(match)
            if not candidate.exists():
                skipped.append(Skipped(match, "no such file or folder"))
            elif candidate.is_dir():
                yield from _folder(candidate, candidate if root is None else root, skipped)
            elif candidate.suffix.lower() == ".jsonl":
                yield from _jsonl(candidate, skipped)
            else:
                yield _file(candidate, root)


def _glob_root(pattern: str) -> Path:
    """The leading folders of a glob pattern, up to the first part with a wildcard."""
    fixed = []
    for part in Path(pattern).parts:
        if glob.has_magic(part):
            break
        fixed.append(part)
    return Path(*fixed) if fixed else Path()


def _folder(folder: Path, root: Path, skipped: list[Skipped]) -> Iterator[Document]:
    paths = sorted(p for p in folder.rglob("*.txt") if p.is_file())
    if not paths:
        skipped.append(Skipped(str(folder), "no .txt files in this folder"))
    for path in paths:
        yield _file(path, root)


def _file(path: Path, root: Path | None) -> Document:
    """A file's article id: its path under `root` without the suffix, else its stem."""
    article_id = (path.stem if root is None
                  else path.relative_to(root).with_suffix("").as_posix())
    return Document(article_id=article_id, source=str(path), path=path)


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
        blank = True
        try:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                blank = False
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
            return
        if blank:
            skipped.append(Skipped(str(path), "empty file (no records)"))
