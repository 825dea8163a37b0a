"""The label contract (shared/spec/labels.md) as code: the one home of every label list."""

from __future__ import annotations

STANCE = ("optimistic", "skeptical", "neutral")
CLAIM_TYPE = ("non_claim", "policy", "evaluation", "prediction", "fact")

# The two tasks the models learn. `attributed` is annotated in gold but not modelled.
TASKS: dict[str, tuple[str, ...]] = {"stance": STANCE, "claim_type": CLAIM_TYPE}

# Stance F_avg (SemEval-2016 Task 6): neutral is scored only through the errors it causes.
FAVG_LABELS = ("optimistic", "skeptical")
