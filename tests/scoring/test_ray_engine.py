"""`stance score --engine ray`: the local engine's rows, summary, skips and exit codes, on an
embedded Ray and on a head node started here; folder-level atomic output."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from tests.conftest import ROOT, SEEDS
from tests.scoring.conftest import terminate_mid_run, write_big_corpus

ray = pytest.importorskip("ray")

runner = CliRunner()
PROBABILITIES = ["p_stance_optimistic", "p_stance_skeptical", "p_stance_neutral",
                 "p_claim_type_non_claim", "p_claim_type_policy", "p_claim_type_evaluation",
                 "p_claim_type_prediction", "p_claim_type_fact"]
BAD_INPUTS = ["in/binary.txt", "in/empty.txt", "missing.txt", "news.jsonl:2"]


def score(*args):
    return runner.invoke(app, ["score", *map(str, args), "--no-progress"])


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """The seed articles, a JSONL file with one good and one broken line, and bad files."""
    folder = tmp_path_factory.mktemp("corpus")
    shutil.copytree(SEEDS, folder / "in")
    (folder / "in" / "empty.txt").write_bytes(b"")
    (folder / "in" / "binary.txt").write_bytes(b"\x00\x01\x02\xff")
    (folder / "news.jsonl").write_text(
        '{"id": "n1", "text": "Poland opposes sending troops. Britain is ready."}\n{broken\n',
        encoding="utf-8")
    return folder


def inputs(corpus):
    return [corpus / "in", corpus / "news.jsonl", corpus / "missing.txt"]


@pytest.fixture(scope="module")
def local_run(corpus, tiny_model_dir, tmp_path_factory):
    """The local engine's rows and summary on the corpus, the reference for every Ray run."""
    folder = tmp_path_factory.mktemp("local")
    result = score(*inputs(corpus), "-o", folder / "s.parquet", "--model", tiny_model_dir,
                   "--summary", folder / "sum.csv")
    assert result.exit_code == 1, result.output
    return pd.read_parquet(folder / "s.parquet"), pd.read_csv(folder / "sum.csv"), result.output


def by_sentence(rows):
    return rows.sort_values(["article_id", "sentence_index"]).reset_index(drop=True)


def assert_same_as_local(local_run, output, summary, cli_output):
    rows, articles, local_output = local_run
    ray_rows = pd.read_parquet(output)
    assert sorted(ray_rows.columns) == sorted(rows.columns)
    assert len(ray_rows) == len(rows) == 100
    expected, actual = by_sentence(rows), by_sentence(ray_rows)[rows.columns]
    for column in ("sentence_id", "article_id", "source", "start", "end", "text", "stance",
                   "claim_type"):
        assert actual[column].tolist() == expected[column].tolist(), column
    np.testing.assert_allclose(actual[PROBABILITIES], expected[PROBABILITIES], atol=1e-5)
    pd.testing.assert_frame_equal(pd.read_csv(summary), articles)
    for bad in BAD_INPUTS:  # listed as the local engine lists them
        for listing in (cli_output, local_output):
            assert any(line.startswith("  ") and bad in line
                       for line in listing.splitlines()), bad
    assert "skipped 4 input(s)" in cli_output and "skipped 4 input(s)" in local_output


def test_embedded_ray_gives_the_local_engines_rows(corpus, tiny_model_dir, local_run,
                                                   tmp_path, monkeypatch):
    monkeypatch.delenv("RAY_ADDRESS", raising=False)
    monkeypatch.setenv("RAY_AUTH_MODE", "disabled")  # nothing written to the user's ~/.ray
    monkeypatch.setattr("pipeline.scoring.ray_engine.usable_cores", lambda: 2)
    output, summary = tmp_path / "scores", tmp_path / "sum.csv"
    result = score(*inputs(corpus), "-o", output, "--model", tiny_model_dir, "--summary",
                   summary, "--engine", "ray", "--ray-actors", "2")
    assert result.exit_code == 1, result.output
    assert not ray.is_initialized()  # the engine shut down the Ray it started
    assert_same_as_local(local_run, output, summary, result.output)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["scores", "sum.csv"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def head_node(tmp_path_factory):
    """`ray start --head` on loopback (2 CPUs, bounded ports) in its own process group, so the
    finalizer stops exactly this cluster and nothing else."""
    port, workers = free_port(), 20000 + os.getpid() % 20000
    env = {**cluster_env(), "RAY_ADDRESS": ""}
    folder = tmp_path_factory.mktemp("ray")
    log = folder / "head.log"
    with log.open("w") as handle:
        process = subprocess.Popen(
            [shutil.which("ray") or "ray", "start", "--head", "--block", "--num-cpus=2",
             "--node-ip-address=127.0.0.1", f"--port={port}", "--include-dashboard=false",
             f"--min-worker-port={workers}", f"--max-worker-port={workers + 200}",
             "--disable-usage-stats", f"--temp-dir={folder}"],
            env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 90
        while "Ray runtime started" not in log.read_text():
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "the head node did not start in time"
            time.sleep(0.5)
        yield f"127.0.0.1:{port}"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def cluster_env() -> dict:
    """A loopback-only test cluster and its clients run without Ray's token authentication, so
    that none depends on a token in the user's ~/.ray; each client is a new process, as a
    user's is."""
    return {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1",
            "RAY_AUTH_MODE": "disabled", "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}


def stance_score(*args, address):
    return subprocess.run([sys.executable, "-m", "pipeline.cli", "score", *map(str, args),
                           "--no-progress", "--engine", "ray", "--ray-address", address],
                          env=cluster_env(), capture_output=True, text=True, timeout=300)


def test_a_started_head_node_gives_the_local_engines_rows(corpus, tiny_model_dir, local_run,
                                                          head_node, tmp_path):
    output, summary = tmp_path / "scores", tmp_path / "sum.csv"
    result = stance_score(*inputs(corpus), "-o", output, "--model", tiny_model_dir,
                          "--summary", summary, address=head_node)
    assert result.returncode == 1, result.stderr
    assert_same_as_local(local_run, output, summary, result.stderr)
    # --overwrite replaces the folder as a whole; the other files stay.
    (output / "stale.parquet").write_bytes(b"old")
    again = stance_score(corpus / "in", "-o", output, "--model", tiny_model_dir, "--overwrite",
                         "--skip-errors", address=head_node)
    assert again.returncode == 0, again.stderr
    assert not (output / "stale.parquet").exists() and len(pd.read_parquet(output)) == 98
    assert sorted(p.name for p in tmp_path.iterdir()) == ["scores", "sum.csv"]


class BrokenScorer:
    """A model actor that fails on its first batch (the worker imports it from this module)."""

    def __init__(self, **kwargs):
        pass

    def __call__(self, batch):
        raise RuntimeError("the model crashed")


def score_with_broken_actor(articles: str, output: str, address: str) -> None:
    """Run in a new process by the test below: the Ray engine with BrokenScorer."""
    from pipeline.scoring.job import load_score_params
    from pipeline.scoring.ray_engine import RayRun, score_inputs_on_ray
    from pipeline.scoring.run import EngineError

    _, split_config, config = load_score_params(ROOT)
    run = RayRun(Path(output), {"stance": ["optimistic", "skeptical", "neutral"]}, address)
    try:
        score_inputs_on_ray([articles], Path(output) / "scores", run, split_config, config,
                            summary=Path(output) / "sum.csv", progress=False,
                            scorer=BrokenScorer)
    except EngineError as error:
        print(error)


def test_a_failing_actor_leaves_no_folders(corpus, head_node, tmp_path):
    code = ("import sys; from tests.scoring.test_ray_engine import score_with_broken_actor; "
            "score_with_broken_actor(*sys.argv[1:])")
    result = subprocess.run([sys.executable, "-c", code, str(corpus / "in"), str(tmp_path),
                             head_node], env=cluster_env(), capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    assert "the Ray run failed, nothing was written: RuntimeError: the model crashed" in \
        result.stdout
    assert list(tmp_path.iterdir()) == []


def test_sigterm_leaves_neither_folder_nor_temporary_folder(tmp_path, tiny_model_dir):
    corpus = write_big_corpus(tmp_path / "big.jsonl")
    env = {**cluster_env(), "RAY_ADDRESS": ""}
    process = subprocess.Popen(
        [sys.executable, "-m", "pipeline.cli", "score", str(corpus), "-o", "scores",
         "--model", str(tiny_model_dir), "--engine", "ray", "--ray-actors", "1",
         "--no-progress"], cwd=tmp_path, env=env, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, start_new_session=True)
    # Mid-run: blocks are written into the temporary folder.
    stderr = terminate_mid_run(process, lambda: bool(list(tmp_path.glob(".scores.*.tmp/*.parquet"))))
    assert process.returncode == 143, stderr
    assert "terminated: no output written" in stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.jsonl"]


def test_an_existing_folder_needs_overwrite_and_csv_is_refused(corpus, tiny_model_dir,
                                                               tmp_path):
    output = tmp_path / "scores"
    output.mkdir()
    (output / "keep.parquet").write_bytes(b"keep me")
    result = score(corpus / "in", "-o", output, "--model", tiny_model_dir, "--engine", "ray")
    assert result.exit_code == 2 and "--overwrite" in result.output
    assert "Traceback" not in result.output and not ray.is_initialized()
    assert [p.name for p in tmp_path.iterdir()] == ["scores"]
    assert (output / "keep.parquet").read_bytes() == b"keep me"
    result = score(corpus / "in", "-o", tmp_path / "s.csv", "--model", tiny_model_dir,
                   "--engine", "ray")
    assert result.exit_code == 2 and "folder of Parquet files" in result.output
    assert [p.name for p in tmp_path.iterdir()] == ["scores"]


def test_sentence_rows_round_trip_with_a_fixed_schema(split_config):
    from pipeline.scoring.ray_engine import rows_to_sentences, sentence_rows
    from pipeline.text.articles import split_text

    split = split_text("a1", "Poland opposes troops. Britain is ready.\n", split_config,
                       keep_repeated_sentences=True)
    frame = sentence_rows([{"source": "a1.txt", **s.__dict__} for s in split.sentences])
    assert rows_to_sentences(frame) == [("a1.txt", s) for s in split.sentences]
    assert sentence_rows([]).dtypes.equals(frame.dtypes)  # an empty batch: the same schema
