"""Articles -> sentence units: paragraphs, boilerplate and repeated titles, headlines, sentences.

The one home of splitting logic: the `split` stage and `stance score` both call
`split_article`, so a sentence means the same thing in training, evaluation and scoring.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.config import SplitConfig
from pipeline.text.ids import normalize_text, sentence_id
from pipeline.text.reading import ArticleError, Line, check_article_file, iter_lines
from pipeline.text.sentences import sentence_spans

SENTENCE_COLUMNS = ["sentence_id", "article_id", "paragraph", "index", "start", "end",
                    "text", "kind", "byline"]
_END_PUNCTUATION = re.compile(r"[.!?…:;][\"'”’)\]]*$")
_TRUNCATED = re.compile(r"(\.\.\.|…)$")
_WORD = re.compile(r"\w+")
REPORT_TEXT_CHARS = 300  # a dropped line is quoted in the report up to this length


@dataclass(frozen=True)
class Sentence:
    sentence_id: str
    article_id: str
    paragraph: int  # 0-based ordinal of the non-blank line in the file
    index: int  # 0-based position of the unit in the article
    start: int  # character offsets into the decoded raw text
    end: int
    text: str
    kind: str  # "headline" (a one-line title or heading) or "body"
    byline: bool


@dataclass
class ArticleSplit:
    article_id: str
    sentences: list[Sentence] = field(default_factory=list)
    dropped: list[dict] = field(default_factory=list)


class LineRules:
    """Compiled boilerplate, byline and repeated-title rules from a SplitConfig."""

    def __init__(self, config: SplitConfig):
        self.config = config
        self.drop = [re.compile(p, re.IGNORECASE) for p in config.drop_patterns]
        # Bylines are case-sensitive: "By Jane Doe" is one, "by ceding ground, ..." is not.
        self.bylines = [re.compile(p) for p in config.byline_patterns]

    def boilerplate(self, text: str) -> str | None:
        for pattern in self.drop:
            if pattern.fullmatch(text):
                return pattern.pattern
        return None

    def is_byline(self, text: str) -> bool:
        return any(p.fullmatch(text) for p in self.bylines)

    def is_headline(self, text: str) -> bool:
        return is_headline(text, self.config.headline_max_words)


def is_headline(text: str, max_words: int) -> bool:
    """The one headline rule: a line of at most `max_words` words with no sentence-final
    punctuation (a cut-off "..." allowed). The `split` stage applies it to one-line
    paragraphs; the label model applies it to plain sentence text."""
    ended = _END_PUNCTUATION.search(text) and not _TRUNCATED.search(text)
    return not ended and len(text.split()) <= max_words


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


class _RepeatTracker:
    """Remembers what an article said so far, to drop scraped repeats of lines and titles."""

    def __init__(self, similarity: float):
        self.similarity = similarity
        self.seen: set[str] = set()
        self.headlines: list[tuple[str, set[str]]] = []

    def repeat_reason(self, text: str, headline: bool) -> str | None:
        key = normalize_text(text).lower()
        if key in self.seen:
            return "repeated line"
        if headline:
            stem = _TRUNCATED.sub("", key).strip()
            words = _words(stem)
            for earlier, earlier_words in self.headlines:
                if _TRUNCATED.search(key) and earlier.startswith(stem):
                    return "truncated repeat of an earlier title"
                # Share of this line's words already in an earlier title: catches re-worded
                # copies ("Countries Prepare" / "Powers Prepared") that scrapers emit.
                if len(words) >= 4 and len(words & earlier_words) / len(words) >= self.similarity:
                    return "repeated title"
        return None

    def remember(self, text: str, headline: bool) -> None:
        key = normalize_text(text).lower()
        self.seen.add(key)
        if headline:
            stem = _TRUNCATED.sub("", key).strip()
            self.headlines.append((stem, _words(stem)))


def split_lines(article_id: str, lines: Iterable[Line], config: SplitConfig, *,
                keep_repeated_sentences: bool = False) -> ArticleSplit:
    """Split an article given as lines (with offsets) into sentence units.

    Exact repeats of a unit are dropped as scraped copies, unless `keep_repeated_sentences`:
    then a body sentence gets a unit per occurrence (same `sentence_id`, its own index and
    offsets), while repeated headlines and bylines are still dropped. `stance score` sets it;
    the `split` stage does not.
    """
    rules = LineRules(config)
    repeats = _RepeatTracker(config.repeat_similarity)
    result = ArticleSplit(article_id)
    paragraph = -1
    for line in lines:
        text = line.text.strip()
        if not text:
            continue
        paragraph += 1
        start = line.start + (len(line.text) - len(line.text.lstrip()))

        def drop(reason: str, text: str = text, line: Line = line) -> None:
            result.dropped.append({"line": line.number, "reason": reason,
                                   "text": text[:REPORT_TEXT_CHARS]})

        if pattern := rules.boilerplate(text):
            drop(f"boilerplate: {pattern}")
            continue
        byline = rules.is_byline(text)
        if byline or rules.is_headline(text):
            units = [(start, start + len(text))]
            kind = "body" if byline else "headline"
        else:
            units = [(start + s, start + e) for s, e in sentence_spans(
                text, config.engine, config.language, config.window_chars)]
            kind = "body"
        for unit_start, unit_end in units:
            unit = line.text[unit_start - line.start:unit_end - line.start]
            reason = repeats.repeat_reason(unit, kind == "headline")
            if reason and not (keep_repeated_sentences and kind == "body" and not byline):
                drop(reason, unit)
                continue
            repeats.remember(unit, kind == "headline")
            result.sentences.append(Sentence(
                sentence_id=sentence_id(article_id, unit), article_id=article_id,
                paragraph=paragraph, index=len(result.sentences), start=unit_start,
                end=unit_end, text=unit, kind=kind, byline=byline,
            ))
    return result


def split_text(article_id: str, text: str, config: SplitConfig, *,
               keep_repeated_sentences: bool = False) -> ArticleSplit:
    """Split an in-memory article (for stdin or JSONL input); offsets index `text`."""
    return split_lines(article_id, _lines_of(text), config,
                       keep_repeated_sentences=keep_repeated_sentences)


def _lines_of(text: str) -> Iterator[Line]:
    offset = 0
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        yield Line(number=number, start=offset, text=line.rstrip("\r\n"))
        offset += len(line)


def split_file(path: Path, config: SplitConfig, article_id: str | None = None, *,
               keep_repeated_sentences: bool = False) -> ArticleSplit:
    """Split one article file. Raises ArticleError (with the reason) for an unusable file."""
    path = Path(path)
    check_article_file(path)
    result = split_lines(article_id or path.stem, iter_lines(path), config,
                         keep_repeated_sentences=keep_repeated_sentences)
    if not result.sentences:
        raise ArticleError(path, "no sentences left after removing boilerplate")
    return result


__all__ = ["ArticleError", "ArticleSplit", "LineRules", "SENTENCE_COLUMNS", "Sentence",
           "split_file", "split_lines", "split_text"]
