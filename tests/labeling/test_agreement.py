"""Agreement between two annotations: kappa and alpha on hand-made labels with known values."""

import krippendorff
import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import cohen_kappa_score

from pipeline.labeling.agreement import agreement_report

# Eight sentences; the annotators disagree on stance twice (units 3 and 7).
FIRST_STANCE = ["optimistic"] * 4 + ["skeptical"] * 4
SECOND_STANCE = ["optimistic"] * 3 + ["skeptical"] * 4 + ["optimistic"]
CLAIM = ["policy", "fact", "fact", "prediction", "evaluation", "policy", "fact", "non_claim"]
ATTRIBUTED = [True, False] * 4


def annotation(stance, claim_type=CLAIM, attributed=ATTRIBUTED):
    n = len(stance)
    return pd.DataFrame({"sentence_id": [f"s{i}" for i in range(n)], "stance": stance,
                         "claim_type": claim_type[:n], "attributed": attributed[:n]})


def test_known_kappa_and_alpha_for_two_disagreements():
    report = agreement_report(annotation(FIRST_STANCE), annotation(SECOND_STANCE))
    stance = report["tasks"]["stance"]
    assert report["units"] == 8
    assert stance["observed_agreement"] == 0.75 and stance["disagreements"] == 2
    # both annotators use each of two labels half the time: chance 0.5, kappa (0.75-0.5)/0.5
    assert stance["cohen_kappa"] == pytest.approx(0.5)
    # coincidence matrix: 2 x 2 disagreeing pairs over 16 values of 8 per label:
    # alpha = 1 - (16 - 1) * 4 / (2 * 8 * 8)
    assert stance["krippendorff_alpha"] == pytest.approx(1 - 15 * 4 / 128)
    assert stance["cohen_kappa"] == pytest.approx(cohen_kappa_score(FIRST_STANCE, SECOND_STANCE))
    codes = {"optimistic": 0, "skeptical": 1}
    data = np.array([[codes[x] for x in FIRST_STANCE], [codes[x] for x in SECOND_STANCE]], float)
    assert stance["krippendorff_alpha"] == pytest.approx(
        krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))
    # rows: first annotator, columns: second, in the contract's label order
    assert stance["labels"] == ["optimistic", "skeptical", "neutral"]
    assert stance["confusion_matrix"] == [[3, 1, 0], [1, 3, 0], [0, 0, 0]]


def test_perfect_agreement_on_other_tasks_and_attributed_is_reported():
    report = agreement_report(annotation(FIRST_STANCE), annotation(SECOND_STANCE))
    assert set(report["tasks"]) == {"stance", "claim_type", "attributed"}
    for task in ("claim_type", "attributed"):
        values = report["tasks"][task]
        assert values["cohen_kappa"] == pytest.approx(1.0)
        assert values["krippendorff_alpha"] == pytest.approx(1.0)
        assert values["disagreements"] == 0
    assert report["tasks"]["attributed"]["labels"] == ["false", "true"]


def test_only_sentences_both_annotated_are_compared():
    second = annotation(SECOND_STANCE[:6])
    report = agreement_report(annotation(FIRST_STANCE), second)
    assert report["units"] == 6
    assert report["tasks"]["stance"]["disagreements"] == 1
