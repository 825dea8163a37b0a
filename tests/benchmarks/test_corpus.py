"""The real-length benchmark corpus: whole articles, copied until it holds enough units."""

from dataclasses import replace

from benchmarks.corpus import build_corpus
from pipeline.config import PathsConfig, load_section
from pipeline.text.corpus import split_corpus

SEED = ("Leaders met in Paris on Tuesday to discuss a reassurance force for Ukraine. "
        "The plan would place European troops far from the front line.\n\n"
        "Officials said no decision had been taken on numbers.\n")
SYNTHETIC = "Germany said it would not send troops without a ceasefire.\n"


def test_corpus_copies_whole_articles_until_it_holds_the_requested_units(tmp_path,
                                                                         split_config):
    (tmp_path / "seed").mkdir()
    (tmp_path / "syn").mkdir()
    (tmp_path / "seed" / "a.txt").write_text(SEED, encoding="utf-8")
    (tmp_path / "syn" / "b.txt").write_text(SYNTHETIC, encoding="utf-8")
    paths = replace(load_section("paths", PathsConfig), raw_articles=str(tmp_path / "seed"),
                    synthetic_articles=str(tmp_path / "syn"))

    stats = build_corpus(tmp_path / "corpus", 10, paths, split_config)

    sentences, _ = split_corpus(tmp_path / "corpus", split_config)
    assert stats.sentences == len(sentences) >= 10
    assert stats.articles == sentences["article_id"].nunique()
    seed_units = [len(t) for t in split_corpus(tmp_path / "seed", split_config)[0]["text"]]
    assert stats.seed_mean_chars_per_sentence == sum(seed_units) / len(seed_units)
    assert stats.mean_chars_per_sentence == sentences["text"].str.len().mean()
