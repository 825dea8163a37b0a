"""Labeling functions: small named cues that vote for a label or abstain.

Each function takes one sentence unit (its text, and whether the split stage saw it as a
headline or byline) and returns a label of its task, or None to abstain. The docstring of
each says the cue. They are deliberately simple and noisy: the label model weighs them by
their measured accuracy on gold.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from pipeline.labels import TASKS


@dataclass(frozen=True)
class Unit:
    text: str
    kind: str = "body"  # "headline" or "body"
    byline: bool = False


@dataclass(frozen=True)
class LabelingFunction:
    name: str
    task: str
    label: str  # the one label this function can vote for
    func: Callable[[Unit], bool]
    doc: str

    def __call__(self, unit: Unit) -> str | None:
        return self.label if self.func(unit) else None


REGISTRY: list[LabelingFunction] = []


def labeling_function(task: str, label: str):
    """Register `func(unit) -> bool` as a labeling function voting `label` for `task`."""
    if label not in TASKS[task]:
        raise ValueError(f"{label!r} is not a {task} label")

    def register(func: Callable[[Unit], bool]) -> LabelingFunction:
        lf = LabelingFunction(func.__name__, task, label, func, (func.__doc__ or "").strip())
        REGISTRY.append(lf)
        return lf

    return register


def lfs_for(task: str) -> list[LabelingFunction]:
    return [lf for lf in REGISTRY if lf.task == task]


# Cue families, each a tuple of regex alternatives taken from the general cues of the label
# contract and the annotation guidelines (never from the wording of one seed sentence:
# tests/labeling/test_functions.py checks that no alternative fires on a single seed unit
# alone). Matching is case-insensitive and anchored at a word start.
CUES: dict[str, tuple[str, ...]] = {
    # What "the deployment" is: the force, its missions and the backing it depends on.
    "deployment": (r"troops?", r"forces?\b", r"deploy", r"soldiers", r"boots on the ground",
                   r"coalition of the willing", r"reassurance", r"peacekeep", r"contingent",
                   r"missions?\b", r"security guarantees?", r"backstop", r"military presence",
                   r"personnel", r"battalions?", r"brigades?", r"air (?:cover|policing|support)",
                   r"the plan\b", r"the force\b"),
    # Hesitancy, refusal, opposition, warnings, unmet conditions, retreat, risk, weakness.
    "skeptical": (r"hesita", r"unwilling", r"oppos", r"reject", r"refus", r"warn", r"threat",
                  r"unlikely", r"stall", r"doubt", r"s[ck]eptic", r"uncertain", r"symbolic",
                  r"hollow", r"provok", r"escalat", r"legitimate targets?", r"red lines?",
                  r"scal(?:e|ed|ing) back", r"abandon", r"shelv", r"ruled? out", r"shortfall",
                  r"shortage", r"lack(?:s|ing)?\b", r"overstretch", r"stretched",
                  r"too (?:small|few|thin|weak)", r"divisions?\b", r"divided", r"split\b", r"risk",
                  r"danger", r"cautio", r"clash", r"obstacles?", r"setbacks?",
                  r"not (?:yet )?(?:agreed|committed|decided)",
                  r"no (?:country|government|one) has"),
    # Offers, commitments, agreement, confirmed backing, resolve, expected deterrence.
    "optimistic": (r"commit(?:s|ted|ment)", r"pledg", r"offer(?:s|ed)? (?:to|troops|soldiers)",
                   r"willing(?:ness)?\b", r"ready to", r"prepared to", r"agreed", r"finali[sz]",
                   r"confirm", r"back(?:s|ed|ing)\b", r"endorse", r"resolve",
                   r"determin(?:ed|ation)", r"deter(?:s|red|rent|rence)?\b", r"progress",
                   r"breakthrough", r"step(?:s|ped)? up", r"signed",
                   r"join(?:s|ed)? the (?:coalition|force|mission)",
                   r"support(?:s|ed)? (?:the|a) (?:plan|force|deployment|mission|coalition)"),
    # Resolve against an objection: "Moscow will not have a veto" is optimistic (contract).
    "resolve": (r"(?:no|not|never|cannot|\w+n't)\b[^.]{0,40}\bveto", r"undeterred",
                r"(?:will|would) not be (?:deterred|intimidated|dictated)",
                r"regardless of (?:what )?(?:Moscow|Russia|the Kremlin)"),
    "negation": (r"not\b", r"cannot", r"\w+n't\b", r"no\b", r"never", r"without"),
    # Hedged or future outcomes.
    "hedge": (r"likely", r"could", r"might", r"may\b", r"would", r"expected to", r"probabl",
              r"possib", r"potential", r"is set to", r"will\b", r"forecast", r"predict"),
    # An actor's course of action: demands, plans, offers, refusals, willingness.
    "policy": (r"must", r"should", r"need(?:s|ed)? (?:to|for)", r"the need\b",
               r"is (?:needed|essential|vital)", r"prepared to", r"willing", r"ready to",
               r"plans? to", r"propos", r"commit", r"pledg", r"offer", r"oppos", r"refus",
               r"reject", r"demand", r"call(?:s|ed)? (?:for|on)", r"urg(?:e|es|ed)\b",
               r"ruled? out", r"decid", r"intend", r"will send",
               r"stress(?:ed|es)? the (?:need|importance)"),
    # Judgment of worth, significance, quality or effectiveness.
    "evaluative": (r"significant", r"crucial", r"critical", r"major", r"signals?\b", r"represents",
                   r"marks?\b", r"highlight", r"symbolic", r"hollow", r"credib", r"reckless",
                   r"naive", r"mistake", r"wise", r"dangerous", r"strong(?:er)? message",
                   r"(?:is|are|was) (?:right|wrong)\b"),
    # Announced schedules.
    "schedule": (r"on (?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)",
                 r"will (?:convene|meet|host|hold|travel|gather)", r"this week", r"next week",
                 r"last (?:week|month)", r"scheduled"),
    # Checkable record: numbers, events, statements made.
    "factual": (r"\d", r"reported", r"met\b", r"launched", r"said\b", r"includes?", r"involves?",
                r"announced", r"told"),
}


def _cue(family: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(CUES[family]) + r")", re.IGNORECASE)


DEPLOYMENT, SKEPTICAL, OPTIMISTIC, RESOLVE, NEGATION, HEDGE, POLICY, EVALUATIVE, SCHEDULE, \
    FACTUAL = (_cue(family) for family in CUES)
# Crude finite-verb cue for headlines: "Leaders Unveil Plan", "Force Takes Shape", "is/has".
VERBISH = re.compile(r"\b\w+(?:s|ed|es)\b\s+(?:to|a|an|the|over|amid|as|in)\b"
                     r"|\b(?:is|are|was|were|will|has|have)\b", re.IGNORECASE)


def _is_topic_heading(unit: Unit) -> bool:
    short = len(unit.text.split()) <= 5
    return unit.kind == "headline" and (short or not VERBISH.search(unit.text))


# --- claim type -------------------------------------------------------------------------


@labeling_function("claim_type", "non_claim")
def byline_or_heading(unit: Unit) -> bool:
    """Bylines and short topic headings without a verb state no proposition."""
    return unit.byline or _is_topic_heading(unit)


@labeling_function("claim_type", "non_claim")
def question_or_navigation(unit: Unit) -> bool:
    """A question or a call to the reader ("Read", "Subscribe") is not a claim."""
    return unit.text.rstrip().endswith("?") or bool(
        re.match(r"(read|subscribe|share|follow|sign up|click)\b", unit.text, re.IGNORECASE))


@labeling_function("claim_type", "policy")
def modal_or_commitment(unit: Unit) -> bool:
    """Modal demands and commitment verbs (must, prepared to, propose, oppose, ruled out)."""
    return not unit.byline and bool(POLICY.search(unit.text))


@labeling_function("claim_type", "evaluation")
def evaluative_language(unit: Unit) -> bool:
    """Judgment words: significant, crucial, turning point, toothless, represents, signals."""
    return not unit.byline and bool(EVALUATIVE.search(unit.text))


@labeling_function("claim_type", "prediction")
def hedged_future(unit: Unit) -> bool:
    """Hedged or future outcomes (likely, could, might, expected to) with no schedule cue."""
    return bool(HEDGE.search(unit.text)) and not SCHEDULE.search(unit.text) \
        and not POLICY.search(unit.text)


@labeling_function("claim_type", "fact")
def schedule_or_record(unit: Unit) -> bool:
    """Announced schedules, numbers and reports of what happened or was said."""
    return not _is_topic_heading(unit) and not unit.byline and (
        bool(SCHEDULE.search(unit.text)) or (bool(FACTUAL.search(unit.text))
                                             and not HEDGE.search(unit.text)))


# --- stance ------------------------------------------------------------------------------


@labeling_function("stance", "neutral")
def non_claim_is_neutral(unit: Unit) -> bool:
    """Bylines, topic headings and questions are neutral by contract rule 7."""
    return byline_or_heading.func(unit) or question_or_navigation.func(unit)


@labeling_function("stance", "neutral")
def off_target(unit: Unit) -> bool:
    """No mention of troops, forces, deployment or guarantees: nothing about the deployment."""
    return not DEPLOYMENT.search(unit.text)


@labeling_function("stance", "neutral")
def schedule_only(unit: Unit) -> bool:
    """Meetings and schedules without obstacle or progress cues are procedure."""
    return bool(SCHEDULE.search(unit.text)) and not SKEPTICAL.search(unit.text) \
        and not OPTIMISTIC.search(unit.text)


@labeling_function("stance", "skeptical")
def obstacle_cue(unit: Unit) -> bool:
    """Obstacles, opposition, warnings, hesitancy, risk or retreat (not resolve against
    them)."""
    return not unit.byline and bool(SKEPTICAL.search(unit.text)) \
        and not RESOLVE.search(unit.text)


@labeling_function("stance", "skeptical")
def contrast_then_obstacle(unit: Unit) -> bool:
    """After "but/however/yet" the later clause decides; it carries an obstacle."""
    parts = re.split(r"\b(?:but|however|yet)\b", unit.text, flags=re.IGNORECASE)
    return len(parts) > 1 and bool(SKEPTICAL.search(parts[-1]))


@labeling_function("stance", "optimistic")
def progress_cue(unit: Unit) -> bool:
    """Commitments, agreement, backing, willingness, resolve, expected deterrence."""
    return not unit.byline and bool(OPTIMISTIC.search(unit.text)) \
        and not NEGATION.search(unit.text)


@labeling_function("stance", "optimistic")
def resolve_against_objection(unit: Unit) -> bool:
    """Resolve against an objection ("Moscow will not have a veto") is optimistic."""
    return not unit.byline and bool(RESOLVE.search(unit.text))


@labeling_function("stance", "optimistic")
def contrast_then_progress(unit: Unit) -> bool:
    """After "but/however/yet" the later clause decides; it carries progress or resolve."""
    parts = re.split(r"\b(?:but|however|yet)\b", unit.text, flags=re.IGNORECASE)
    return len(parts) > 1 and bool(OPTIMISTIC.search(parts[-1])) \
        and not SKEPTICAL.search(parts[-1])
