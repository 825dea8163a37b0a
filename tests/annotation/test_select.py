"""`stance select`: the most uncertain sentences, capped per article, without near-duplicates."""

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from pipeline.annotation.select import SelectionError, select_for_labeling, uncertainty
from pipeline.cli import app


def scores_frame() -> pd.DataFrame:
    rows = [
        # article, text, stance probabilities (opt, skep, neu), claim-type probabilities
        ("a", "Paris and London are split over the size of the force.", (0.34, 0.33, 0.33)),
        ("a", "Paris and London are split over the size of the force!", (0.35, 0.33, 0.32)),
        ("a", "The summit ends on Friday.", (0.05, 0.05, 0.90)),
        ("a", "Berlin may or may not send a brigade.", (0.45, 0.45, 0.10)),
        ("a", "Rome has not decided whether to join.", (0.40, 0.42, 0.18)),
        ("b", "Warsaw offers logistics but no soldiers.", (0.30, 0.40, 0.30)),
        ("b", "Oslo pledged two frigates.", (0.90, 0.05, 0.05)),
    ]
    frame = pd.DataFrame({
        "article_id": [r[0] for r in rows], "text": [r[1] for r in rows],
        "sentence_id": [f"s{i}" for i in range(len(rows))],
        "p_stance_optimistic": [r[2][0] for r in rows],
        "p_stance_skeptical": [r[2][1] for r in rows],
        "p_stance_neutral": [r[2][2] for r in rows],
    })
    for label in ("non_claim", "policy", "evaluation", "prediction", "fact"):
        frame[f"p_claim_type_{label}"] = 0.2
    return frame


def test_margin_ranks_a_tie_first_and_entropy_the_flattest():
    frame = scores_frame()
    margin = uncertainty(frame, "margin", ("stance",))
    entropy = uncertainty(frame, "entropy", ("stance",))
    assert margin.argmax() == 3  # 0.45 vs 0.45: no margin at all
    assert entropy.argmax() == 0  # 0.34 / 0.33 / 0.33: nearly uniform
    for ranked in (margin, entropy):
        assert ranked.argmin() in (2, 6)
        assert ((0 <= ranked) & (ranked <= 1)).all()


def test_cap_per_article_and_near_duplicates():
    chosen = select_for_labeling(scores_frame(), n=10, strategy="entropy", tasks=("stance",),
                                 per_article=3)
    assert chosen["sentence_id"].tolist()[0] == "s0"
    assert "s1" not in chosen["sentence_id"].tolist()  # near-duplicate of s0
    assert chosen["article_id"].value_counts().max() <= 3
    assert chosen["uncertainty"].is_monotonic_decreasing


def test_missing_probabilities_are_a_clear_error():
    with pytest.raises(SelectionError, match="p_stance_optimistic"):
        select_for_labeling(scores_frame().drop(columns="p_stance_optimistic"), n=2)


def test_cli_writes_label_studio_tasks(tmp_path):
    scores = tmp_path / "scores.csv"
    scores_frame().to_csv(scores, index=False)
    out = tmp_path / "tasks.json"
    result = CliRunner().invoke(app, ["select", str(scores), "-n", "3", "-o", str(out),
                                      "--task", "stance"])
    assert result.exit_code == 0, result.output
    tasks = json.loads(out.read_text())
    assert len(tasks) == 3
    assert set(tasks[0]["data"]) >= {"sentence_id", "article_id", "text", "model_uncertainty"}
    again = CliRunner().invoke(app, ["select", str(scores), "-o", str(out)])
    assert again.exit_code == 2 and "--overwrite" in again.output
