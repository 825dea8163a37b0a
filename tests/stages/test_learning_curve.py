"""Stage `learning_curve`: seed scores against the number of synthetic training articles."""

import pandas as pd

from tests.stages.conftest import TEMPLATES


def test_learning_curve_writes_points_means_and_figure(learning_curve_done):
    folder = learning_curve_done / "reports/learning_curve"
    points = pd.read_csv(folder / "points.csv")
    # evaluate.learning_curve_sizes=[0,2], one repeat
    assert points["articles"].tolist() == [0, 2]
    assert points["training_sentences"].tolist() == [0, 2 * len(TEMPLATES)]
    scores = points.filter(regex="^(stance|claim_type)_")
    assert {"stance_f_avg", "claim_type_macro_f1"} <= set(scores)
    assert scores.apply(lambda column: column.between(0, 1)).all().all()
    means = pd.read_csv(folder / "mean.csv")
    assert means["articles"].tolist() == [0, 2] and "repeat" not in means
    assert (folder / "learning_curve.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
