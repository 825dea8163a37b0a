"""The `split` and `params` commands of `stance`, through typer's test runner."""

import json

import pytest
import yaml
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.config import compose_params
from tests.conftest import ROOT

runner = CliRunner()
ARTICLE = ("Spain and the Plan for Ukraine\n\nBy Jane Reporter\n\n"
           "Spain is prepared to send soldiers. Critics called it a gamble.\n\n"
           "Share this article\n")


def test_split_prints_each_sentence_as_json_and_reports_dropped_lines(tmp_path):
    article = tmp_path / "spain.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    result = runner.invoke(app, ["split", str(article)])
    assert result.exit_code == 0, result.output
    sentences = [json.loads(line) for line in result.stdout.splitlines()]
    assert [s["text"] for s in sentences] == [
        "Spain and the Plan for Ukraine", "By Jane Reporter",
        "Spain is prepared to send soldiers.", "Critics called it a gamble."]
    assert [s["kind"] for s in sentences][:2] == ["headline", "body"]
    assert [s["byline"] for s in sentences] == [False, True, False, False]
    assert {s["article_id"] for s in sentences} == {"spain"}
    for sentence in sentences:
        assert ARTICLE[sentence["start"]:sentence["end"]] == sentence["text"]
    assert "dropped line 7" in result.stderr and "Share this article" in result.stderr
    assert "Share this article" not in result.stdout


@pytest.mark.parametrize(("content", "reason"), [
    (b"Caf\xe9 talks\n", "not valid UTF-8 on line 1"),
    (b"\x00\x01binary", "binary file"),
    (b"  \n\n", "empty file"),
])
def test_split_refuses_a_bad_article_by_name_without_a_traceback(tmp_path, content, reason):
    article = tmp_path / "bad.txt"
    article.write_bytes(content)
    result = runner.invoke(app, ["split", str(article)])
    assert result.exit_code == 2
    assert f"error: {article}: {reason}" in result.stderr
    assert "Traceback" not in result.output and not result.stdout


def test_params_writes_the_composition_with_the_overrides(tmp_path):
    target = tmp_path / "params.yaml"
    overrides = ["baseline=tfidf_svm", "transformer.epochs=2", "evaluate.n_resamples=10"]
    result = runner.invoke(app, ["params", *overrides, "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert f"wrote {target}" in result.stdout
    written = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert written == compose_params(overrides)
    assert written["baseline"]["classifier"] == "svm"
    assert written["transformer"]["epochs"] == 2 and written["evaluate"]["n_resamples"] == 10


def test_params_without_overrides_reproduces_the_committed_params(tmp_path):
    target = tmp_path / "params.yaml"
    assert runner.invoke(app, ["params", "-o", str(target)]).exit_code == 0
    assert target.read_bytes() == (ROOT / "params.yaml").read_bytes()
