"""Stage `agreement`: two annotations per corpus -> kappa and alpha per task."""

import json

import pytest

from tests.stages.conftest import SEED_COUNTRIES, SYNTHETIC_COUNTRIES, TEMPLATES

# Per article the first annotator gives stance optimistic 2, skeptical 3, neutral 2; the
# second moves one optimistic to neutral. Observed 6/7, expected (2*1 + 3*3 + 2*3)/49 = 17/49,
# so kappa = (6/7 - 17/49) / (1 - 17/49) = 25/32.
STANCE_KAPPA = 25 / 32


@pytest.mark.parametrize(("corpus", "articles"), [("seed", len(SEED_COUNTRIES)),
                                                  ("synthetic", len(SYNTHETIC_COUNTRIES))])
def test_agreement_report_per_corpus(agreement_done, corpus, articles):
    report = json.loads((agreement_done / "reports/agreement.json").read_text())[corpus]
    assert report["units"] == len(TEMPLATES) * articles
    stance = report["tasks"]["stance"]
    assert stance["disagreements"] == articles
    assert stance["observed_agreement"] == pytest.approx(6 / 7)
    assert stance["cohen_kappa"] == pytest.approx(STANCE_KAPPA)
    assert 0 < stance["krippendorff_alpha"] < 1
    for task in ("claim_type", "attributed"):
        assert report["tasks"][task]["cohen_kappa"] == pytest.approx(1.0)
        assert report["tasks"][task]["disagreements"] == 0
    assert [path.endswith(".jsonl") for path in report["annotations"]] == [True, True]
