"""Interceptor tests: a launch of an air-defence interceptor at a target, in a test.

A state that tests its missile defence (an Arrow, SM-6 or THAAD shot, a ground-based
midcourse interception test) fires a surface-to-air interceptor: that is a launch
report, typed surface-to-air (the corpus card's convention), whatever target it was
fired at. The target ("a medium-range ballistic missile target") is part of the test,
not the launch reported, and an interception test is never civil space, even when the
story recalls the state's space programme beside it.

An interception of incoming fire ("air defences intercepted two missiles") is not a
test: its launch is the attacker's, and the interceptor only the defence.
"""

from __future__ import annotations

import re

_DEFENCE = (
    r"(?:interceptions?|intercepts?|interceptors?|anti-?missile|anti-?ballistic"
    r"|missile[\s\-]defen[cs]e)"
)

INTERCEPTOR_TEST = re.compile(
    r"\b" + _DEFENCE + r"\s+(?:[\w\-]+\s+){0,2}?(?:tests?|testing|trials?|flight[\s\-]tests?)\b"
    r"|\b(?:test(?:s|ed|ing)?|trials?(?:led)?)\s+(?:of\s+)?(?:an?\s+|the\s+|its\s+)?"
    r"(?:[\w\-]+\s+){0,3}?" + _DEFENCE + r"\b",
    re.IGNORECASE,
)
"""An interception test, told either way round: "a midcourse missile interception
test", "Missile Defense Agency test", "tests land-based missile interception system",
"successfully tested its Arrow 2 interceptor"."""

_OUTCOME = re.compile(r"\b(?:achiev\w*|intercept\w*|hit|destroy\w*|reach\w*|engag\w*)\b", re.I)


def tests_interceptor(text: str) -> bool:
    """The sentence tells an interceptor test."""
    lowered = text.lower()
    if "intercept" not in lowered and "anti" not in lowered and "defen" not in lowered:
        return False  # the words every interception test names; most sentences lack them
    return INTERCEPTOR_TEST.search(text) is not None


def negates_outcome(negation: str) -> bool:
    """A negation of a test's outcome, not of its launch: "an intercept was not achieved
    during a test", "did not hit the target in the test". The test flew and failed."""
    return _OUTCOME.search(negation) is not None
