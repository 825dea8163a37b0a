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


def _cue(*patterns: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(patterns) + r")", re.IGNORECASE)


DEPLOYMENT = _cue(r"troops?", r"forces?\b", r"deploy", r"soldiers", r"boots on the ground",
                  r"coalition of the willing", r"reassurance", r"peacekeep", r"contingent",
                  r"mission", r"security guarantees?", r"backstop", r"military presence")
SKEPTICAL = _cue(r"hesitan", r"reluctan", r"oppos", r"reject", r"warn", r"unlikely",
                 r"stall", r"uncertain", r"sticking point", r"hurdles?", r"toothless",
                 r"ineffective", r"provok", r"escalat", r"step back", r"moving away",
                 r"unsuccessful", r"skeptic", r"dismiss", r"ruled out", r"refus", r"doubt",
                 r"without (?:clear )?(?:US|U\.S\.|American) (?:support|backing)",
                 r"not (?:very|be|yet)", r"cautio", r"clash", r"risks?\b", r"vulnerable",
                 r"scaled? back", r"abandon", r"veto(?:ed)?\b", r"pose\b", r"unanswered")
OPTIMISTIC = _cue(r"finaliz", r"agreed", r"commit", r"willing", r"prepared to",
                  r"assur", r"confirmed", r"back(?:ing|ed)\b", r"resolve", r"unlock",
                  r"leading the charge", r"in motion", r"pushing for", r"deter",
                  r"pledg", r"ready to", r"support(?:ed|s)? (?:the|a) (?:plan|force|deployment)",
                  r"expressed (?:their |its )?willingness", r"significant (?:shift|escalation)")
NEGATION = _cue(r"not\b", r"n't\b", r"no\b", r"never", r"without", r"unsuccessful")
HEDGE = _cue(r"likely", r"could", r"might", r"may\b", r"would", r"expected to", r"probabl",
             r"possib", r"potential", r"appears? to", r"is set to", r"will\b")
POLICY = _cue(r"must", r"should", r"need(?:s|ed)? (?:to|for)", r"the need\b", r"prepared to",
              r"willing", r"plans? to", r"planning to", r"propos", r"commit", r"pledg",
              r"offer", r"oppos", r"refus", r"reject", r"demand", r"pushing for", r"ruled out",
              r"directed", r"decid", r"emphasi[sz]ed the need",
              r"stress(?:ed)? the (?:need|importance)",
              r"is essential", r"are considering", r"suggested extending", r"leading the charge")
EVALUATIVE = _cue(r"significant", r"crucial", r"critical", r"major", r"unprecedented",
                  r"toothless", r"ineffective", r"turning point", r"fundamental", r"successful",
                  r"ambitious", r"sensible", r"cost-effective", r"bold", r"signals?\b",
                  r"represents", r"marks?\b", r"mirrors", r"reflects", r"highlight", r"sexy",
                  r"unmatched", r"calculated", r"posture and a pose", r"hurdles")
SCHEDULE = _cue(r"on (?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)",
                r"will (?:convene|meet|host|hold|travel)", r"is hosting", r"set to meet",
                r"this week", r"next week", r"last (?:week|month)", r"earlier this")
FACTUAL = _cue(r"\d", r"has (?:already )?(?:deployed|signed|announced|sent)", r"reported",
               r"met\b", r"launched", r"said\b", r"stated", r"revealed", r"outlined",
               r"includes?", r"involves?")
ATTRIBUTION = _cue(r"said", r"says", r"according to", r"warned", r"stated", r"reported",
                   r"told", r"added", r"emphasi[sz]ed", r"stressed", r"revealed", r"reportedly")
QUOTE = re.compile(r"[\"“”‘’]")
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
    """Obstacles, opposition, warnings, hesitancy, risk or retreat."""
    return not unit.byline and bool(SKEPTICAL.search(unit.text))


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
def contrast_then_progress(unit: Unit) -> bool:
    """After "but/however/yet" the later clause decides; it carries progress or resolve."""
    parts = re.split(r"\b(?:but|however|yet)\b", unit.text, flags=re.IGNORECASE)
    return len(parts) > 1 and bool(OPTIMISTIC.search(parts[-1])) \
        and not SKEPTICAL.search(parts[-1])


def attributed(unit: Unit) -> bool:
    """Heuristic for the `attributed` flag: a quote mark or a reporting verb."""
    return bool(QUOTE.search(unit.text) or ATTRIBUTION.search(unit.text))
