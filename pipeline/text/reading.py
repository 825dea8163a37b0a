"""Reading article files safely: UTF-8 only, streamed line by line, with character offsets."""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SNIFF_BYTES = 8192
READ_CHUNK = 1 << 20


class ArticleError(Exception):
    """An article file that cannot be used; `reason` says why in words a user understands."""

    def __init__(self, path: Path | str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason


@dataclass(frozen=True)
class Line:
    """One line of an article. `start` is its character offset in the decoded text."""

    number: int  # 1-based line number in the file
    start: int
    text: str  # without its line ending


def check_article_file(path: Path) -> None:
    """Raise ArticleError for a file that is missing, binary or empty; cheap, reads 8 KiB."""
    if not path.is_file():
        raise ArticleError(path, "not a regular file")
    with open(path, "rb") as handle:
        head = handle.read(SNIFF_BYTES)
    if b"\x00" in head:
        raise ArticleError(path, "binary file (contains NUL bytes)")
    if not head.strip() or not head.removeprefix(codecs.BOM_UTF8).strip():
        # Only whitespace at the start: make sure the whole file is blank before refusing it.
        if path.stat().st_size <= SNIFF_BYTES or _is_blank(path):
            raise ArticleError(path, "empty file (no text)")


def _is_blank(path: Path) -> bool:
    with open(path, "rb") as handle:
        while chunk := handle.read(READ_CHUNK):
            if chunk.removeprefix(codecs.BOM_UTF8).strip():
                return False
    return True


def iter_lines(path: Path) -> Iterator[Line]:
    """Yield the lines of a UTF-8 text file with offsets into its decoded text.

    The decoded text is the file's bytes as UTF-8 with a leading byte-order mark removed and
    line endings kept as they are (`\\n`, `\\r\\n` or `\\r`), so `raw[start:end]` slices work
    on `read_raw_text(path)`. Memory is bounded by the longest line. Raises ArticleError on
    bytes that are not UTF-8, naming the line.
    """
    offset = 0
    number = 0
    with open(path, "rb") as handle:
        for raw in handle:
            if number == 0:
                raw = raw.removeprefix(codecs.BOM_UTF8)
            try:
                decoded = raw.decode("utf-8")
            except UnicodeDecodeError as error:
                raise ArticleError(
                    path,
                    f"not valid UTF-8 on line {number + 1} (byte 0x{raw[error.start]:02x}); "
                    "convert it with `iconv -f <encoding> -t utf-8`",
                ) from None
            # Old Mac files end lines with a lone \r, which bytes iteration does not split on.
            for line in decoded.splitlines(keepends=True):
                number += 1
                yield Line(number=number, start=offset, text=line.rstrip("\r\n"))
                offset += len(line)


def read_raw_text(path: Path) -> str:
    """The decoded text that `start`/`end` offsets refer to."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return handle.read()
