"""Sentence boundaries inside one paragraph, as character spans.

Two engines behind one function: pySBD (default, careful with abbreviations and quotes) and
blingfire (much faster). Long paragraphs are first cut into bounded windows, because pySBD's
cost grows faster than linearly with paragraph length.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

Span = tuple[int, int]

# A likely sentence end: terminal punctuation, optional closing quotes or brackets, whitespace.
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s+")
_WHITESPACE = re.compile(r"\s+")
# A boundary both engines miss: end punctuation inside a closing curly quote, then a new
# sentence ("... invasion.’ The plan ...").
_MISSED_BOUNDARY = re.compile(r"(?<=[.!?][’”])\s+(?=[‘“\"A-Z])")


@lru_cache(maxsize=4)
def _segmenter(engine: str, language: str) -> Callable[[str], list[str]]:
    if engine == "pysbd":
        import pysbd

        segmenter = pysbd.Segmenter(language=language, clean=False)
        return segmenter.segment
    if engine == "blingfire":
        import blingfire

        return lambda text: blingfire.text_to_sentences(text).split("\n")
    raise ValueError(f"unknown sentence splitting engine {engine!r} (use pysbd or blingfire)")


def windows(text: str, size: int) -> list[Span]:
    """Cut `text` into consecutive spans of at most `size` characters.

    Each cut falls at the last likely sentence end in the second half of the window, else at
    the last whitespace, else (one unbroken token) exactly at `size`.
    """
    spans: list[Span] = []
    start = 0
    while len(text) - start > size:
        limit = start + size
        cut = None
        for match in _SENTENCE_END.finditer(text, start + size // 2, limit):
            cut = match.end()
        if cut is None:
            spaces = [m.end() for m in _WHITESPACE.finditer(text, start + 1, limit)]
            cut = spaces[-1] if spaces else limit
        spans.append((start, cut))
        start = cut
    spans.append((start, len(text)))
    return spans


def _locate(text: str, pieces: list[str], base: int) -> list[Span]:
    """Map sentence strings back to spans of `text`, searching forward from a cursor."""
    spans: list[Span] = []
    cursor = 0
    for piece in pieces:
        piece = piece.strip()
        if not piece:
            continue
        found = text.find(piece, cursor)
        if found < 0:
            # The engine changed whitespace inside the piece; match it whitespace-insensitively.
            pattern = r"\s+".join(re.escape(tok) for tok in piece.split())
            match = re.compile(pattern).search(text, cursor)
            if match is None:
                continue
            found, end = match.start(), match.end()
        else:
            end = found + len(piece)
        spans.append((base + found, base + end))
        cursor = end
    return spans


def sentence_spans(paragraph: str, engine: str = "pysbd", language: str = "en",
                   window_chars: int = 4000) -> list[Span]:
    """Character spans of the sentences in `paragraph`, whitespace trimmed, in order.

    Any text the engine did not assign to a sentence (rare) is attached to the nearest span,
    so the spans always cover every non-space character of the paragraph.
    """
    segment = _segmenter(engine, language)
    spans: list[Span] = []
    for win_start, win_end in windows(paragraph, window_chars):
        chunk = paragraph[win_start:win_end]
        spans.extend(_locate(chunk, segment(chunk), win_start))
    return _cover(paragraph, [piece for span in spans for piece in _resplit(paragraph, span)])


def _resplit(text: str, span: Span) -> list[Span]:
    start, end = span
    pieces = []
    for match in _MISSED_BOUNDARY.finditer(text, start, end):
        pieces.append((start, match.start()))
        start = match.end()
    pieces.append((start, end))
    return pieces


def _cover(text: str, spans: list[Span]) -> list[Span]:
    """Widen spans over any non-space text between them, so no text is lost."""
    first = len(text) - len(text.lstrip())
    last = len(text.rstrip())
    if first >= last:
        return []
    if not spans:
        return [(first, last)]
    covered = [[min(first, spans[0][0]), spans[0][1]]]
    for start, end in spans[1:]:
        gap = text[covered[-1][1]:start]
        if gap.strip():
            covered[-1][1] += len(gap.rstrip())
        covered.append([start, end])
    covered[-1][1] = max(covered[-1][1], last)
    return [(start, end) for start, end in covered]
