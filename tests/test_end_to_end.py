"""The real DVC pipeline, end to end, on a copy of the repository with a tiny transformer.

Runs `dvc repro`, then `dvc exp run -S baseline=tfidf_svm`, and checks the metrics, the
experiment table and that `dvc status` is clean. Minutes, not seconds: marked `e2e`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.e2e
BIN = Path(sys.executable).parent
METRIC_NAMES = {"stance": {"f_avg", "macro_f1", "accuracy"},
                "claim_type": {"macro_f1", "accuracy"}}
MODELS = {"majority", "label_model", "baseline", "transformer", "human"}


def run(repo: Path, *command: str) -> str:
    env = {**os.environ, "PATH": f"{BIN}:{os.environ['PATH']}", "HF_HUB_OFFLINE": "1",
           "DVC_NO_ANALYTICS": "1", "GIT_AUTHOR_NAME": "e2e", "GIT_AUTHOR_EMAIL": "e2e@test",
           "GIT_COMMITTER_NAME": "e2e", "GIT_COMMITTER_EMAIL": "e2e@test"}
    done = subprocess.run(command, cwd=repo, env=env, capture_output=True, text=True)
    assert done.returncode == 0, f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def copy_repository(target: Path) -> None:
    files = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"],
                           cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    for name in files:
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


def use_fast_configs(repo: Path, encoder_dir: Path) -> None:
    """A tiny random BERT for the transformer and fewer bootstrap resamples."""
    tiny = (repo / "configs/transformer/finetune.yaml").read_text(encoding="utf-8")
    tiny = tiny.replace("model_name_or_path: null", f"model_name_or_path: {encoder_dir}")
    tiny = tiny.replace("epochs: 6 ", "epochs: 1 ").replace("max_length: 96", "max_length: 32")
    (repo / "configs/transformer/ci_tiny.yaml").write_text(tiny, encoding="utf-8")
    config = (repo / "configs/config.yaml").read_text(encoding="utf-8")
    (repo / "configs/config.yaml").write_text(
        config.replace("transformer: finetune", "transformer: ci_tiny"), encoding="utf-8")
    evaluate = (repo / "configs/evaluate/default.yaml").read_text(encoding="utf-8")
    (repo / "configs/evaluate/default.yaml").write_text(
        evaluate.replace("n_resamples: 1000", "n_resamples: 100"), encoding="utf-8")


def metrics_in(tree) -> list[dict]:
    """Every reports/metrics.json payload found in `dvc exp show --json` output."""
    found = []
    if isinstance(tree, dict):
        for key, value in tree.items():
            if key == "reports/metrics.json" and isinstance(value, dict) and "data" in value:
                found.append(value["data"])
            else:
                found.extend(metrics_in(value))
    elif isinstance(tree, list):
        for item in tree:
            found.extend(metrics_in(item))
    return found


def test_dvc_repro_then_experiment(tmp_path, tiny_encoder_dir):
    repo = tmp_path / "repo"
    copy_repository(repo)
    use_fast_configs(repo, tiny_encoder_dir)
    run(repo, "stance", "params")
    run(repo, "git", "init", "-q", "-b", "main")
    run(repo, "git", "add", "-A")
    run(repo, "git", "commit", "-q", "-m", "fast config")

    run(repo, "dvc", "repro")
    metrics = json.loads((repo / "reports/metrics.json").read_text())
    for task, names in METRIC_NAMES.items():
        assert MODELS <= set(metrics[task])
        for model in MODELS:
            entry = metrics[task][model]
            assert names <= set(entry)
            for name in names:
                assert entry[name]["sentence_low"] <= entry[name]["value"] \
                    <= entry[name]["sentence_high"]
            assert set(entry["per_class"]) and all("support" in v
                                                   for v in entry["per_class"].values())
        assert "transformer_minus_baseline" in metrics[task]
    assert (repo / "reports/evaluation.md").read_text().count("## Most confident errors") == 1
    assert (repo / "reports/figures/model_comparison.png").stat().st_size > 0
    assert "Data and pipelines are up to date" in run(repo, "dvc", "status")
    run(repo, "git", "add", "-A")
    run(repo, "git", "commit", "-q", "-m", "pipeline outputs")

    run(repo, "dvc", "exp", "run", "-S", "baseline=tfidf_svm")
    table = json.loads(run(repo, "dvc", "exp", "show", "--json"))
    runs = metrics_in(table)
    assert len(runs) >= 2
    baselines = {json.dumps(r["stance"]["baseline"]["macro_f1"], sort_keys=True) for r in runs}
    assert len(baselines) >= 2, "the svm experiment should change the baseline's metrics"
    assert "classifier: svm" in (repo / "params.yaml").read_text()
    assert "Data and pipelines are up to date" in run(repo, "dvc", "status")
