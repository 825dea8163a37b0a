"""`stance score` from any folder, article ids, skipped inputs, SIGTERM, repeats, quiet loading."""

import shutil

import pandas as pd
import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.models.baseline import BaselineModel
from tests.conftest import LABELS, ROOT, SEEDS, TEXTS

runner = CliRunner()


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory):
    from pipeline.config import BaselineConfig, compose_params, from_dict

    folder = tmp_path_factory.mktemp("model")
    config = from_dict(BaselineConfig, compose_params(config_dir=ROOT / "configs")["baseline"])
    BaselineModel(config).fit(TEXTS, LABELS).save(folder)
    return folder


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


def test_named_models_resolve_in_the_project_not_the_cwd(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    decoy = tmp_path / "models" / "baseline"  # what a cwd-relative lookup would find
    decoy.mkdir(parents=True)
    (decoy / "model.json").write_text("not json")
    result = score(SEEDS, "-o", "out.csv", "--model", "baseline")
    assert "corrupt" not in result.output
    if (ROOT / "models" / "baseline" / "model.json").exists():  # trained by `dvc repro`
        assert result.exit_code == 0, result.output
    else:
        assert result.exit_code == 2
        assert f"no model at {ROOT / 'models' / 'baseline'}" in result.output


def test_no_project_is_a_clear_error(tmp_path, model_dir, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("pipeline.config.package_root", lambda: tmp_path / "site-packages")
    result = score(SEEDS, "-o", "out.csv", "--model", model_dir)
    assert result.exit_code == 2
    assert "cannot find the stance project" in result.output
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)
    assert not (tmp_path / "out.csv").exists()
