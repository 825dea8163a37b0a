"""Every kind of bad input gives a clear reason naming the file, and nothing is lost silently."""

import codecs
import random
from pathlib import Path

import pytest

from pipeline.text.articles import ArticleError, split_file
from pipeline.text.corpus import split_corpus
from pipeline.text.reading import read_raw_text

GOOD = "Leaders met in Paris on Thursday. They discussed a reassurance force for Ukraine.\n"


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_empty_file_is_refused_with_its_name(tmp_path, split_config):
    path = write(tmp_path / "empty.txt", b"")
    with pytest.raises(ArticleError, match="empty.txt: empty file"):
        split_file(path, split_config)
    blank = write(tmp_path / "blank.txt", b"  \n\n \r\n")
    with pytest.raises(ArticleError, match="empty file"):
        split_file(blank, split_config)


def test_non_utf8_file_names_the_line_and_the_fix(tmp_path, split_config):
    text = "First line.\nCaf\u00e9 cr\u00e8me in Paris.\n"
    path = write(tmp_path / "latin1.txt", text.encode("latin-1"))
    with pytest.raises(ArticleError, match=r"latin1.txt: not valid UTF-8 on line 2.*iconv"):
        split_file(path, split_config)


def test_binary_file_is_refused(tmp_path, split_config):
    path = write(tmp_path / "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with pytest.raises(ArticleError, match="binary file"):
        split_file(path, split_config)


def test_windows_line_endings_and_bom_keep_offsets_exact(tmp_path, split_config):
    text = "A Headline About Troops\r\n\r\n" + GOOD.replace("\n", "\r\n")
    path = write(tmp_path / "crlf.txt", codecs.BOM_UTF8 + text.encode("utf-8"))
    sentences = split_file(path, split_config).sentences
    raw = read_raw_text(path)
    assert [s.text for s in sentences] == [
        "A Headline About Troops",
        "Leaders met in Paris on Thursday.",
        "They discussed a reassurance force for Ukraine.",
    ]
    assert all(raw[s.start:s.end] == s.text for s in sentences)
    assert sentences[0].kind == "headline"
    assert "\ufeff" not in sentences[0].text and "\r" not in "".join(s.text for s in sentences)


def test_long_article_without_punctuation_is_cut_into_bounded_units(tmp_path, split_config):
    rng = random.Random(0)
    words = "troops deploy ukraine ceasefire allies force europe backing warn plan".split()
    text = " ".join(rng.choice(words) for _ in range(60_000))  # ~400 KB, one paragraph
    path = write(tmp_path / "nopunct.txt", text.encode())
    sentences = split_file(path, split_config).sentences
    assert all(len(s.text) <= split_config.window_chars for s in sentences)
    assert sum(len(s.text.split()) for s in sentences) == 60_000  # no word lost
    raw = read_raw_text(path)
    assert all(raw[s.start:s.end] == s.text for s in sentences)


def test_folder_reports_every_skipped_file(tmp_path, split_config):
    (tmp_path / "ok.txt").write_text(GOOD, encoding="utf-8")
    write(tmp_path / "empty.txt", b"")
    write(tmp_path / "bad.txt", b"caf\xe9\n")
    write(tmp_path / "blob.txt", b"\x00\x01\x02")
    (tmp_path / "notes.md").write_text("# not an article", encoding="utf-8")
    (tmp_path / "only_nav.txt").write_text("Skip to content\nRead also:\n", encoding="utf-8")
    frame, report = split_corpus(tmp_path, split_config, progress=False)
    assert frame["article_id"].unique().tolist() == ["ok"]
    reasons = {Path(r["file"]).name: r["reason"] for r in report["skipped_files"]}
    assert set(reasons) == {"empty.txt", "bad.txt", "blob.txt", "notes.md", "only_nav.txt"}
    assert "not a .txt file" in reasons["notes.md"]
    assert "no sentences left" in reasons["only_nav.txt"]
    assert report["totals"] == {"files_seen": 6, "articles": 1, "sentences": 2,
                                "lines_dropped": 0, "files_skipped": 5}


def test_fifty_megabyte_article_completes(tmp_path, split_config):
    """A 50 MB article streams line by line; the fast engine keeps this test short."""
    from dataclasses import replace

    rng = random.Random(1)
    words = "the force would deploy troops to ukraine after a ceasefire while allies".split()
    path = tmp_path / "huge.txt"
    with open(path, "w", encoding="utf-8") as handle:
        while handle.tell() < 50 * 1024 * 1024:
            handle.write(" ".join(
                f"Sentence {rng.random():.12f} says " + " ".join(rng.choices(words, k=12)) + "."
                for _ in range(300)
            ) + "\n")
    result = split_file(path, replace(split_config, engine="blingfire"))
    assert len(result.sentences) > 300_000
    assert result.sentences[-1].end == len(read_raw_text(path).rstrip())
