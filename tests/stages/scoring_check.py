"""Score one article of the tiny project with a trained model folder through `stance score`."""

from pathlib import Path

import numpy as np
import pandas as pd
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.labels import TASKS
from tests.stages.conftest import TEMPLATES


def score_one_article(project: Path, model: Path, out: Path) -> pd.DataFrame:
    """Rows of `stance score` on the first seed article; asserts the probabilities are sane."""
    article = sorted((project / "data/raw/articles").glob("*.txt"))[0]
    result = CliRunner().invoke(app, ["score", str(article), "-o", str(out), "--model",
                                      str(model), "--no-progress"])
    assert result.exit_code == 0, result.output
    rows = pd.read_csv(out)
    assert len(rows) == len(TEMPLATES) + 2
    for task, labels in TASKS.items():
        proba = rows[[f"p_{task}_{label}" for label in labels]].to_numpy()
        assert np.allclose(proba.sum(axis=1), 1, atol=1e-5)
    return rows
