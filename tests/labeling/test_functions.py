"""Each labeling function on hand-written sentences: one it should fire on, one it should not.
And no cue is fitted to one seed sentence."""

import json
import re

import pytest

from pipeline.labeling import functions as lf
from pipeline.labeling.functions import CUES, REGISTRY, Unit
from tests.conftest import ROOT

# A cue that fires on a single seed unit must show it is general by firing on at least this
# many units of the team's synthetic articles, which were written without sight of the cues.
MIN_SYNTHETIC_SUPPORT = 3

CASES = {
    "byline_or_heading": (Unit("By Jane Fielding", byline=True),
                          Unit("Ministers agreed the plan on Monday.")),
    "question_or_navigation": (Unit("Will the coalition hold together?"),
                               Unit("The coalition held together.")),
    "modal_or_commitment": (Unit("Europe must be ready to act alone."),
                            Unit("The ministers met in Brussels.")),
    "evaluative_language": (Unit("The offer marks a turning point for the alliance."),
                            Unit("The offer was sent on Friday.")),
    "hedged_future": (Unit("A larger force could deter renewed attacks."),
                      Unit("The force deterred attacks last year.")),
    "schedule_or_record": (Unit("Defence chiefs will meet in Rome on Thursday."),
                           Unit("A force might eventually be formed.")),
    "non_claim_is_neutral": (Unit("Coalition Questions", kind="headline"),
                             Unit("Nordic states pledged two battalions.")),
    "off_target": (Unit("Energy prices rose sharply in October."),
                   Unit("Nordic states pledged troops.")),
    "schedule_only": (Unit("Defence ministers will meet in Rome on Thursday to discuss troops."),
                      Unit("Defence ministers agreed on Thursday to send troops.")),
    "obstacle_cue": (Unit("Several governments remain hesitant to send troops."),
                     Unit("Several governments offered troops.")),
    "contrast_then_obstacle": (Unit("Paris offered troops, but Berlin refused to join."),
                               Unit("Paris offered troops and Berlin joined.")),
    "progress_cue": (Unit("Twelve countries have committed troops to the force."),
                     Unit("No country has committed troops to the force.")),
    "resolve_against_objection": (Unit("Leaders said Moscow will not have a veto over the force."),
                                  Unit("Moscow threatened to veto the resolution.")),
    "contrast_then_progress": (Unit("Critics doubted it, but the coalition pledged troops."),
                               Unit("The coalition pledged troops, but critics doubted it.")),
}


def test_every_labeling_function_has_cases_and_a_docstring():
    assert {f.name for f in REGISTRY} == set(CASES)
    assert all(f.doc for f in REGISTRY)


@pytest.mark.parametrize("function", REGISTRY, ids=lambda f: f.name)
def test_function_hits_and_misses(function):
    hit, miss = CASES[function.name]
    assert function(hit) == function.label
    assert function(miss) is None


def test_registering_an_invalid_label_is_refused():
    with pytest.raises(ValueError, match="not a stance label"):
        lf.labeling_function("stance", "fact")


def _texts(path) -> list[str]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line)["text"] for line in handle if line.strip()]


def test_no_cue_is_fitted_to_a_single_seed_sentence():
    seed = _texts(ROOT / "data/annotations/gold.jsonl")
    synthetic = _texts(ROOT / "data/annotations/synthetic/gold.jsonl")
    assert len(seed) == 98 and len(synthetic) >= 1200
    fitted = []
    for family, alternatives in CUES.items():
        for alternative in alternatives:
            pattern = re.compile(r"\b(?:" + alternative + ")", re.IGNORECASE)
            seed_hits = sum(bool(pattern.search(text)) for text in seed)
            synthetic_hits = sum(bool(pattern.search(text)) for text in synthetic)
            if seed_hits == 1 and synthetic_hits < MIN_SYNTHETIC_SUPPORT:
                fitted.append((family, alternative, synthetic_hits))
    assert not fitted, f"cues that only fit one seed sentence: {fitted}"


def test_veto_denied_is_resolve_not_an_obstacle():
    unit = Unit("European leaders insist that Russia cannot have a veto over their plans.")
    assert lf.resolve_against_objection(unit) == "optimistic"
    assert lf.obstacle_cue(unit) is None
