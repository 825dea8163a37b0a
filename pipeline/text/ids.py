"""Stable identifiers for sentences."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_WHITESPACE = re.compile(r"\s+")


def normalize_text(text: str) -> str:
    """Unicode NFKC, whitespace collapsed to single spaces, ends stripped."""
    return _WHITESPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip()


def sentence_id(article_id: str, text: str) -> str:
    """16 hex chars of SHA-1 over article id and normalized text: equal on every run and machine.

    Offsets are deliberately left out, so an edit elsewhere in the article (or a change of
    splitter window) does not change the id of an unchanged sentence.
    """
    digest = hashlib.sha1(f"{article_id}\x1f{normalize_text(text)}".encode())
    return digest.hexdigest()[:16]
