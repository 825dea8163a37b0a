"""`stance score` from any folder, article ids, skipped inputs, SIGTERM, repeats, quiet loading."""

import os
import shutil
import subprocess
import sys

import pandas as pd
import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from tests.conftest import ROOT, SEEDS
from tests.scoring.conftest import terminate_mid_run, write_big_corpus

runner = CliRunner()


def stance(*args, cwd):
    """`stance ...` as a user runs it: a new process, in `cwd`, on this checkout's code."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1",
           "TRANSFORMERS_OFFLINE": "1"}
    return subprocess.Popen([sys.executable, "-m", "pipeline.cli", *map(str, args)], cwd=cwd,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def score(*args, input=None):
    return runner.invoke(app, ["score", *map(str, args), "--no-progress"], input=input)


def test_runs_from_any_folder_with_a_model_path(tmp_path, model_dir, monkeypatch):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.copytree(model_dir, elsewhere / "my-model")
    shutil.copy(SEEDS / "002_8eedc951aa00b860.txt", elsewhere / "article.txt")
    monkeypatch.chdir(elsewhere)
    result = score("article.txt", "-o", "out.csv", "--model", "my-model")  # relative to cwd
    assert result.exit_code == 0, result.output
    rows = pd.read_csv(elsewhere / "out.csv")
    assert len(rows) > 0 and set(rows["article_id"]) == {"article"}


def test_named_models_resolve_in_the_project_not_the_cwd(tmp_path, model_dir, monkeypatch):
    """A project of its own (params.yaml and models/baseline), so the outcome does not hang
    on whether `dvc repro` has trained the checkout's models."""
    project = tmp_path / "project"
    shutil.copytree(model_dir, project / "models" / "baseline")
    shutil.copy(ROOT / "params.yaml", project / "params.yaml")
    inside = project / "notes"
    decoy = inside / "models" / "baseline"  # what a cwd-relative lookup would find
    decoy.mkdir(parents=True)
    (decoy / "model.json").write_text("not json")
    monkeypatch.chdir(inside)
    result = score(SEEDS, "-o", "out.csv", "--model", "baseline")
    assert result.exit_code == 0, result.output
    assert "corrupt" not in result.output
    assert len(pd.read_csv(inside / "out.csv")) > 0
    shutil.rmtree(project / "models")
    missing = score(SEEDS, "-o", "again.csv", "--model", "baseline")
    assert missing.exit_code == 2
    assert f"no model at {project / 'models' / 'baseline'}" in missing.output


def test_no_project_is_a_clear_error(tmp_path, model_dir, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("pipeline.config.package_root", lambda: tmp_path / "site-packages")
    result = score(SEEDS, "-o", "out.csv", "--model", model_dir)
    assert result.exit_code == 2
    assert "cannot find the stance project" in result.output
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)
    assert not (tmp_path / "out.csv").exists()


def _article(path, text="Poland opposes sending troops. Britain is prepared to send soldiers.\n"):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_same_file_name_in_two_folders_gives_two_articles(tmp_path, model_dir):
    _article(tmp_path / "in" / "a" / "x.txt")
    _article(tmp_path / "in" / "b" / "x.txt", "Moscow warned against the deployment.\n")
    _article(tmp_path / "in" / "top.txt")
    out, summary = tmp_path / "s.csv", tmp_path / "sum.csv"
    result = score(tmp_path / "in", "-o", out, "--model", model_dir, "--summary", summary)
    assert result.exit_code == 0, result.output
    assert "from 3 articles" in result.output
    articles = pd.read_csv(summary).set_index("article_id")
    assert sorted(articles.index) == ["a/x", "b/x", "top"]
    assert articles.loc["a/x", "sentences"] == 2 and articles.loc["b/x", "sentences"] == 1
    rows = pd.read_csv(out)
    assert rows.groupby("article_id")["sentence_index"].apply(list).to_dict() == \
        {"a/x": [0, 1], "b/x": [0], "top": [0, 1]}
    # A glob names files relative to its fixed leading folders, so they stay apart too.
    by_glob = score(f"{tmp_path / 'in'}/**/x.txt", "-o", tmp_path / "g.csv",
                    "--model", model_dir)
    assert by_glob.exit_code == 0, by_glob.output
    assert sorted(set(pd.read_csv(tmp_path / "g.csv")["article_id"])) == ["a/x", "b/x"]


def test_seed_folder_article_ids_are_the_file_stems(tmp_path, model_dir):
    out = tmp_path / "s.csv"
    assert score(SEEDS, "-o", out, "--model", model_dir).exit_code == 0
    assert sorted(set(pd.read_csv(out)["article_id"])) == sorted(p.stem for p in
                                                                 SEEDS.glob("*.txt"))


@pytest.mark.parametrize("case", ["jsonl", "files"])
def test_two_inputs_with_one_article_id_are_an_error_not_a_merge(tmp_path, model_dir, case):
    if case == "jsonl":
        source = tmp_path / "n.jsonl"
        source.write_text('{"id": "n1", "text": "Poland opposes troops."}\n'
                          '{"id": "n1", "text": "Britain will send soldiers."}\n')
        args, sources = [source], [f"{source}:1", f"{source}:2"]
    else:
        args = sources = [_article(tmp_path / "a" / "x.txt"), _article(tmp_path / "b" / "x.txt")]
    out = tmp_path / "s.csv"
    result = score(*args, "-o", out, "--model", model_dir)
    assert result.exit_code == 2
    assert "comes from both" in result.output
    assert all(str(s) in result.output for s in sources)
    assert isinstance(result.exception, SystemExit)
    assert not out.exists() and list(tmp_path.glob(".s.csv.*")) == []


def test_when_every_input_is_skipped_each_is_listed_with_its_reason(tmp_path, model_dir):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02\xff")
    (tmp_path / "latin1.txt").write_bytes("Caf\u00e9 troops.".encode("latin-1"))
    (tmp_path / "nothing").mkdir()
    (tmp_path / "blank.jsonl").write_text("\n")
    inputs = [tmp_path / n for n in ("empty.txt", "binary.txt", "latin1.txt", "missing.txt",
                                     "nothing", "blank.jsonl")]
    for flags in ([], ["--skip-errors"]):
        out = tmp_path / "s.csv"
        result = score(*inputs, "-o", out, "--model", model_dir, *flags)
        assert result.exit_code == 2, result.output
        assert "skipped 6 input(s)" in result.output
        for path, reason in zip(inputs, ["empty file", "binary file", "not valid UTF-8",
                                         "no such file", "no .txt files", "empty file"],
                                strict=True):
            assert f"  {path}: {reason}" in result.output
        assert not out.exists() and [p.name for p in tmp_path.glob(".*")] == []


@pytest.mark.parametrize("reader", ["--no-reader-process", "--reader-process"])
def test_sigterm_leaves_neither_output_nor_temporary_file(tmp_path, tiny_model_dir, reader):
    corpus = write_big_corpus(tmp_path / "big.jsonl")
    out = tmp_path / "scores.csv"
    process = stance("score", corpus, "-o", out, "--model", tiny_model_dir, "--no-progress",
                     reader, cwd=tmp_path)
    # Mid-run: the temporary file holds the first chunk's rows.
    stderr = terminate_mid_run(process, lambda: any(
        p.stat().st_size > 0 for p in tmp_path.glob(".scores.csv.*.tmp")))
    assert process.returncode == 143, stderr
    assert "terminated: no output written" in stderr and "Traceback" not in stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.jsonl"]


def test_an_existing_summary_leaves_no_temporary_output(tmp_path, model_dir):
    summary = tmp_path / "sum.csv"
    summary.write_text("keep me")
    result = score(SEEDS, "-o", tmp_path / "s.csv", "--model", model_dir, "--summary", summary)
    assert result.exit_code == 2 and "--overwrite" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sum.csv"]


def test_a_repeated_sentence_gets_a_row_per_occurrence(tmp_path, model_dir, split_config):
    from pipeline.text.articles import split_text

    text = ("Troops Head East\n"
            "Troops Head East\n"  # a scraped copy of the title: still dropped
            "Poland opposes sending troops. Poland opposes sending troops.\n"
            "Britain is prepared to send soldiers.\n"
            "Poland opposes sending troops.\n")
    article = _article(tmp_path / "rep.txt", text)
    out = tmp_path / "s.csv"
    result = score(article, "-o", out, "--model", model_dir)
    assert result.exit_code == 0, result.output
    rows = pd.read_csv(out)
    assert rows["text"].tolist() == ["Troops Head East", *["Poland opposes sending troops."] * 2,
                                     "Britain is prepared to send soldiers.",
                                     "Poland opposes sending troops."]
    assert rows["sentence_index"].tolist() == [0, 1, 2, 3, 4]
    assert [text[s:e] for s, e in zip(rows["start"], rows["end"], strict=True)] == \
        rows["text"].tolist()
    repeats = rows[rows["text"] == "Poland opposes sending troops."]
    assert repeats["start"].is_unique and repeats["sentence_id"].nunique() == 1
    # The split stage's own behaviour is unchanged: it keeps one of each.
    split = split_text("rep", text, split_config)
    assert [s.text for s in split.sentences] == ["Troops Head East",
                                                 "Poland opposes sending troops.",
                                                 "Britain is prepared to send soldiers."]
    assert [d["reason"] for d in split.dropped] == ["repeated line"] * 3


def test_model_loading_is_quiet_unless_verbose(tmp_path, tiny_model_dir):
    # A new process in a folder outside the project, as a user runs it.
    _article(tmp_path / "article.txt")
    outputs = {}
    for flags in ([], ["--verbose"]):
        out = tmp_path / f"s{len(flags)}.csv"
        # The eager runtime loads through transformers on every call (torchscript only once).
        process = stance("score", "article.txt", "-o", out, "--model", tiny_model_dir,
                         "--runtime", "torch", *flags, cwd=tmp_path)
        _, stderr = process.communicate(timeout=60)
        assert process.returncode == 0, stderr
        assert len(pd.read_csv(out)) == 2
        outputs[bool(flags)] = stderr
    assert "Loading weights" not in outputs[False]
    assert "scored 2 sentences from 1 articles" in outputs[False]
    assert "inference precision" in outputs[False] and "inference runtime torch" in outputs[False]
    assert "Loading weights" in outputs[True]


def test_another_projects_params_are_not_taken_for_ours(tmp_path, model_dir, monkeypatch):
    from pipeline.config import find_project_root

    (tmp_path / "params.yaml").write_text("train:\n  epochs: 3\n")  # the user's own project
    (tmp_path / "work").mkdir()
    monkeypatch.chdir(tmp_path / "work")
    assert find_project_root() == ROOT
    _article(tmp_path / "work" / "x.txt")
    result = score("x.txt", "-o", "out.csv", "--model", model_dir)
    assert result.exit_code == 0, result.output
