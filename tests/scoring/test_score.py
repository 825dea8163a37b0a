"""`stance score` end to end on the seed corpus, bad inputs, atomic output, determinism."""

import json
import shutil
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.models.baseline import BaselineModel
from pipeline.scoring import run as run_module
from pipeline.scoring.job import load_score_params
from pipeline.text.corpus import split_corpus
from tests.conftest import LABELS, SEEDS, TEXTS

runner = CliRunner()


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory):
    from pipeline.config import BaselineConfig, compose_params, from_dict

    folder = tmp_path_factory.mktemp("model")
    config = from_dict(BaselineConfig, compose_params()["baseline"])
    BaselineModel(config).fit(TEXTS, LABELS).save(folder)
    return folder


def score(*args, input=None):
    return runner.invoke(app, ["score", *map(str, args), "--no-progress"], input=input)


def test_scores_the_seed_corpus_with_the_pipelines_own_sentences(tmp_path, model_dir,
                                                                split_config):
    out, summary = tmp_path / "scores.csv", tmp_path / "articles.csv"
    result = score(SEEDS, "-o", out, "--model", model_dir, "--summary", summary)
    assert result.exit_code == 0, result.output
    rows = pd.read_csv(out)
    expected, _ = split_corpus(SEEDS, split_config, progress=False)
    assert rows["sentence_id"].tolist() == expected["sentence_id"].tolist()
    assert rows[["start", "end"]].to_numpy().tolist() == \
        expected[["start", "end"]].to_numpy().tolist()
    for task, labels in {"stance": ["optimistic", "skeptical", "neutral"],
                         "claim_type": ["non_claim", "policy", "evaluation", "prediction",
                                        "fact"]}.items():
        proba = rows[[f"p_{task}_{label}" for label in labels]].to_numpy()
        np.testing.assert_allclose(proba.sum(axis=1), 1.0, atol=1e-5)
        assert set(rows[task]) <= set(labels)
    articles = pd.read_csv(summary)
    assert len(articles) == 5 and articles["sentences"].sum() == len(rows)
    assert articles["net_stance"].between(-1, 1).all()
    assert set(articles["overall_stance"]) <= {"optimistic", "skeptical", "neutral", "mixed"}


def test_bad_inputs_are_skipped_listed_and_change_the_exit_code(tmp_path, model_dir):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEEDS / "002_8eedc951aa00b860.txt", folder)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02\xff")
    (folder / "latin1.txt").write_bytes("Caf\u00e9 troops.".encode("latin-1"))
    out = tmp_path / "scores.jsonl"
    result = score(folder, tmp_path / "missing.txt", "-o", out, "--model", model_dir)
    assert result.exit_code == 1
    for name in ("empty.txt", "binary.txt", "latin1.txt", "missing.txt"):
        assert name in result.output
    assert "--skip-errors" in result.output
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert {line["article_id"] for line in lines} == {"002_8eedc951aa00b860"}
    again = score(folder, "-o", out, "--model", model_dir, "--skip-errors", "--overwrite")
    assert again.exit_code == 0


def test_jsonl_and_stdin_inputs(tmp_path, model_dir):
    source = tmp_path / "articles.jsonl"
    source.write_text(json.dumps({"id": "n1", "text": "Poland opposes sending troops."}) + "\n"
                      + "{broken\n", encoding="utf-8")
    out = tmp_path / "s.parquet"
    result = score(source, "-o", out, "--model", model_dir)
    assert result.exit_code == 1 and "articles.jsonl:2: malformed JSON" in result.output
    assert pd.read_parquet(out)["article_id"].tolist() == ["n1"]
    stdin_out = tmp_path / "stdin.csv"
    result = score("-", "-o", stdin_out, "--model", model_dir,
                   input="Leaders met in Paris. They agreed to send troops.\n")
    assert result.exit_code == 0
    assert pd.read_csv(stdin_out)["text"].tolist() == ["Leaders met in Paris.",
                                                       "They agreed to send troops."]


def test_existing_output_needs_overwrite_and_missing_model_says_how_to_train(tmp_path,
                                                                             model_dir):
    out = tmp_path / "scores.csv"
    out.write_text("keep me")
    result = score(SEEDS, "-o", out, "--model", model_dir)
    assert result.exit_code == 2 and "--overwrite" in result.output
    assert out.read_text() == "keep me"
    result = score(SEEDS, "-o", tmp_path / "x.csv", "--model", tmp_path / "no-model")
    assert result.exit_code == 2 and "dvc repro" in result.output


def test_interrupted_run_leaves_no_output(tmp_path, model_dir, monkeypatch):
    calls = {"n": 0}
    original = run_module.score_chunks

    def interrupted(*args, **kwargs):
        for frame in original(*args, **kwargs):
            calls["n"] += 1
            if calls["n"] == 2:
                raise KeyboardInterrupt
            yield frame

    monkeypatch.setattr(run_module, "score_chunks", interrupted)
    paths, split_config, config = load_score_params()
    small_chunks = replace(config, chunk_sentences=10)
    monkeypatch.setattr("pipeline.scoring.job.load_score_params",
                        lambda *_: (paths, split_config, small_chunks))
    out = tmp_path / "scores.csv"
    result = score(SEEDS, "-o", out, "--model", model_dir, "--summary", tmp_path / "a.csv")
    assert result.exit_code == 130
    assert calls["n"] == 2
    assert list(tmp_path.iterdir()) == []  # neither output nor a temporary file remains


def test_two_runs_give_identical_files(tmp_path, model_dir):
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    assert score(SEEDS, "-o", first, "--model", model_dir).exit_code == 0
    assert score(SEEDS, "-o", second, "--model", model_dir).exit_code == 0
    assert first.read_bytes() == second.read_bytes()


def test_transformer_scoring_is_deterministic(tmp_path, tiny_transformer):
    folder = tmp_path / "tiny"
    tiny_transformer().fit(TEXTS, LABELS).save(folder)
    outputs = []
    for name in ("a.csv", "b.csv"):
        assert score(SEEDS, "-o", tmp_path / name, "--model", folder).exit_code == 0
        outputs.append((tmp_path / name).read_bytes())
    assert outputs[0] == outputs[1]
    rows = pd.read_csv(tmp_path / "a.csv")
    assert len(rows) == 98
    stance = rows[[f"p_stance_{label}" for label in ("optimistic", "skeptical", "neutral")]]
    assert np.allclose(stance.sum(axis=1), 1, atol=1e-5)
