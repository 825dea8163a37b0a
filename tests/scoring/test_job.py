"""The scoring library returns results and raises typed errors; it never prints."""

import pytest

from pipeline.models import ModelLoadError
from pipeline.scoring.job import ScoreRequest, run_score
from pipeline.scoring.run import NoSentencesError
from pipeline.scoring.writers import OutputExistsError
from tests.conftest import SEEDS


def test_a_run_returns_its_counts_and_reports_progress_through_the_callback(tmp_path, model_dir,
                                                                          capsys):
    calls = []
    request = ScoreRequest([str(SEEDS), str(tmp_path / "missing.txt")], tmp_path / "s.csv",
                           model=str(model_dir), on_chunk=lambda *args: calls.append(args))
    result = run_score(request)
    assert (result.sentences, result.articles) == (98, 5)
    assert [(s.source, s.reason) for s in result.skipped] == \
        [(str(tmp_path / "missing.txt"), "no such file or folder")]
    assert calls[0] == (0, 0, 0) and sum(call[0] for call in calls) == 98
    assert calls[-1][1:] == (5, 1)
    assert capsys.readouterr() == ("", "")  # nothing on the terminal: that is the CLI's job


def test_faults_are_raised_as_typed_errors_without_output(tmp_path, model_dir, capsys):
    (tmp_path / "empty.txt").write_bytes(b"")
    with pytest.raises(NoSentencesError) as caught:
        run_score(ScoreRequest([str(tmp_path / "empty.txt")], tmp_path / "s.csv",
                               model=str(model_dir)))
    assert [s.reason for s in caught.value.skipped] == ["empty file (no text)"]
    (tmp_path / "s.csv").write_text("keep me")
    with pytest.raises(OutputExistsError, match="--overwrite"):
        run_score(ScoreRequest([str(SEEDS)], tmp_path / "s.csv", model=str(model_dir)))
    with pytest.raises(ModelLoadError, match="no model at"):
        run_score(ScoreRequest([str(SEEDS)], tmp_path / "t.csv", model=str(tmp_path / "none")))
    assert capsys.readouterr() == ("", "")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.txt", "s.csv"]


@pytest.mark.parametrize(("engine", "units"), [
    # pySBD keeps a quoted question and its attribution together; blingfire cuts after the "?".
    ("pysbd", ['"Why wait?" a senator asked the minister on Tuesday.']),
    ("blingfire", ['"Why wait?"', "a senator asked the minister on Tuesday."]),
])
def test_score_splits_with_score_split_engine(tmp_path, model_dir, engine, units):
    import pandas as pd

    article = tmp_path / "quote.txt"
    article.write_text('"Why wait?" a senator asked the minister on Tuesday.\n', encoding="utf-8")
    run_score(ScoreRequest([str(article)], tmp_path / "s.csv", model=str(model_dir),
                           split_engine=engine))
    assert pd.read_csv(tmp_path / "s.csv")["text"].tolist() == units


def test_an_unknown_split_engine_is_refused_before_any_work(tmp_path, model_dir):
    with pytest.raises(ValueError, match="score.split_engine must be"):
        run_score(ScoreRequest([str(SEEDS)], tmp_path / "s.csv", model=str(model_dir),
                               split_engine="nltk"))
    assert not (tmp_path / "s.csv").exists()
