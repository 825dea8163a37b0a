"""Each labeling function on hand-written sentences: one it should fire on, one it should not."""

import pytest

from pipeline.labeling import functions as lf
from pipeline.labeling.functions import REGISTRY, Unit

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
