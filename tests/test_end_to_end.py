"""The real DVC pipeline, end to end, on a copy of the repository with a tiny transformer.

Fast configs come from Hydra overrides only (`stance params <overrides>`, then the same
overrides as `dvc exp run -S`), never from edited YAML. Runs `dvc repro`, then
`dvc exp run -S baseline=tfidf_svm`, and checks the metrics, the experiment table and that
`dvc status` is clean. Minutes, not seconds: marked `e2e`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

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


def fast_overrides(encoder_dir: Path) -> list[str]:
    """Hydra overrides for a fast run: a tiny random BERT for the transformer, one epoch, and
    fewer resamples and draws. Hydra refuses a key that no config defines, so a renamed key
    fails the run instead of being silently ignored."""
    return ["encoder.name=tiny-random-bert", "encoder.loader=path", f"encoder.path={encoder_dir}",
            "transformer.epochs=1", "transformer.max_length=32",
            "evaluate.n_resamples=100", "evaluate.synthetic_folds=2",
            "evaluate.learning_curve_sizes=[0,10]", "evaluate.learning_curve_repeats=1"]


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
    overrides = fast_overrides(tiny_encoder_dir)
    run(repo, "stance", "params", *overrides)
    params = yaml.safe_load((repo / "params.yaml").read_text())
    assert params["encoder"]["path"] == str(tiny_encoder_dir)
    assert params["transformer"]["epochs"] == 1
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
    synthetic = json.loads((repo / "reports/metrics_synthetic.json").read_text())
    assert {"transformer", "baseline", "human"} <= set(synthetic["stance"])
    curve = (repo / "reports/learning_curve/mean.csv").read_text().splitlines()
    assert curve[0].startswith("articles,") and len(curve) == 3
    agreement = json.loads((repo / "reports/agreement.json").read_text())
    assert agreement["synthetic"]["units"] >= 1200
    assert "Data and pipelines are up to date" in run(repo, "dvc", "status")
    run(repo, "git", "add", "-A")
    run(repo, "git", "commit", "-q", "-m", "pipeline outputs")

    # `dvc exp run` recomposes params.yaml from configs/, so the fast overrides go again
    run(repo, "dvc", "exp", "run", "-S", "baseline=tfidf_svm",
        *(flag for override in overrides for flag in ("-S", override)))
    table = json.loads(run(repo, "dvc", "exp", "show", "--json"))
    runs = metrics_in(table)
    assert len(runs) >= 2
    baselines = {json.dumps(r["stance"]["baseline"]["macro_f1"], sort_keys=True) for r in runs}
    assert len(baselines) >= 2, "the svm experiment should change the baseline's metrics"
    params = yaml.safe_load((repo / "params.yaml").read_text())
    assert params["baseline"]["classifier"] == "svm"
    assert params["encoder"]["loader"] == "path" and params["transformer"]["epochs"] == 1
    assert "Data and pipelines are up to date" in run(repo, "dvc", "status")
