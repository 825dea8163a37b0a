"""A benchmark corpus of real length: whole seed and synthetic articles, copied until the corpus
holds the number of sentence units asked for.

Short synthetic sentences flatter a transformer (cost grows with tokens), so speed is measured
on whole articles whose sentences are as long as news prose. The seed articles are real
coverage; their mean characters per unit is the reference the corpus must match within 10%.
"""

from __future__ import annotations

import random
import shutil
from dataclasses import dataclass
from pathlib import Path

from pipeline.config import PathsConfig, SplitConfig
from pipeline.text.articles import split_file
from pipeline.text.corpus import list_article_files

# How close the corpus's mean unit length must be to the seed articles' (issue 12).
LENGTH_TOLERANCE = 0.10


@dataclass(frozen=True)
class SourceArticle:
    path: Path
    corpus: str  # "seed" | "synthetic"
    unit_chars: list[int]  # characters of each sentence unit the splitter finds


@dataclass(frozen=True)
class CorpusStats:
    articles: int
    sentences: int
    mean_chars_per_sentence: float
    seed_mean_chars_per_sentence: float

    @property
    def length_ratio(self) -> float:
        """Corpus mean unit length over the seed articles' (1.0 = the same)."""
        return self.mean_chars_per_sentence / self.seed_mean_chars_per_sentence


def source_articles(paths: PathsConfig, split: SplitConfig) -> list[SourceArticle]:
    """Every seed and synthetic article, with the lengths of the units the splitter finds."""
    articles = []
    for corpus, folder in (("seed", paths.raw_articles), ("synthetic", paths.synthetic_articles)):
        files, _ = list_article_files(Path(folder))
        for path in files:
            units = split_file(path, split, keep_repeated_sentences=True).sentences
            articles.append(SourceArticle(path, corpus, [len(unit.text) for unit in units]))
    if not articles:
        raise FileNotFoundError(f"no articles in {paths.raw_articles} or "
                                f"{paths.synthetic_articles}")
    return articles


def build_corpus(folder: Path, sentences: int, paths: PathsConfig, split: SplitConfig,
                 seed: int = 0) -> CorpusStats:
    """Copy whole articles into `folder` (file names `NNNNNN_<stem>.txt`, so every copy is its
    own article) in shuffled rounds until they hold at least `sentences` units."""
    sources = source_articles(paths, split)
    seed_chars = [n for article in sources if article.corpus == "seed" for n in article.unit_chars]
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    chars: list[int] = []
    copies = 0
    while len(chars) < sentences:
        order = list(sources)
        rng.shuffle(order)
        for article in order:
            if len(chars) >= sentences:
                break
            shutil.copyfile(article.path, folder / f"{copies:06d}_{article.path.stem}.txt")
            chars.extend(article.unit_chars)
            copies += 1
    return CorpusStats(articles=copies, sentences=len(chars),
                       mean_chars_per_sentence=sum(chars) / len(chars),
                       seed_mean_chars_per_sentence=sum(seed_chars) / max(len(seed_chars), 1))
