"""The reader process yields exactly what splitting in the main process does."""

import pandas as pd
import pytest

from pipeline.scoring.inputs import DuplicateArticleError, expand
from pipeline.scoring.prefetch import ARTICLES_PER_MESSAGE, can_prefetch, prefetched_splits
from pipeline.scoring.scorer import split_documents


def _articles(folder, n):
    folder.mkdir()
    for i in range(n):
        (folder / f"a{i:03d}.txt").write_text(
            f"Headline number {i}\n\nTroops may go to Ukraine, minister {i} said. "
            "Critics disagree strongly.\n", encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")


def test_reader_process_matches_serial_splitting(tmp_path, split_config):
    _articles(tmp_path / "in", ARTICLES_PER_MESSAGE * 2 + 3)
    serial_skipped, fetched_skipped = [], []
    serial = list(split_documents(expand([str(tmp_path / "in")], serial_skipped), split_config,
                                  serial_skipped))
    fetched = list(prefetched_splits([str(tmp_path / "in")], split_config, fetched_skipped))
    assert [(s, a.article_id, [u.text for u in a.sentences]) for s, a in fetched] == \
        [(s, a.article_id, [u.text for u in a.sentences]) for s, a in serial]
    assert len(fetched) == ARTICLES_PER_MESSAGE * 2 + 3
    assert fetched_skipped == serial_skipped
    assert len(fetched_skipped) == 1 and "empty.txt" in fetched_skipped[0].source


def test_reader_errors_reach_the_main_process(tmp_path, split_config):
    _articles(tmp_path / "in", 2)
    folder = str(tmp_path / "in")
    with pytest.raises(DuplicateArticleError, match="more than once"):
        list(prefetched_splits([folder, folder], split_config, []))


def test_stdin_is_read_in_the_main_process():
    assert not can_prefetch(["a.txt", "-"])
    assert can_prefetch(["a.txt", "folder"])


def test_score_output_is_the_same_with_and_without_the_reader(tmp_path, tiny_transformer):
    from typer.testing import CliRunner

    from pipeline.cli import app
    from tests.conftest import LABELS, SEEDS, TEXTS

    tiny_model_dir = tmp_path / "model"
    tiny_transformer().fit(TEXTS, LABELS).save(tiny_model_dir)

    frames = []
    for flag in ("--reader-process", "--no-reader-process"):
        out = tmp_path / f"{flag}.csv"
        result = CliRunner().invoke(app, ["score", str(SEEDS), "-o", str(out), "--model",
                                          str(tiny_model_dir), "--no-progress", flag])
        assert result.exit_code == 0, result.output
        frames.append(pd.read_csv(out))
    pd.testing.assert_frame_equal(frames[0], frames[1])
    assert len(frames[0]) > 50
