"""Whether the launch succeeded: a failure word anywhere in its sentences wins.

A failure of earlier attempts ("has failed in several previous tries") is not this
launch's; success words count only when no sentence reports a failure.
"""

from __future__ import annotations

from schemas import Outcome
from services.enricher import cues
from services.enricher.facts.context import Fact, FactContext, launch_limit, span


def extract(context: FactContext) -> Fact[Outcome] | None:
    """The outcome the report states, if any."""
    success: Fact[Outcome] | None = None
    for reading in context.event:
        text, base = reading.sentence.text, reading.sentence.start
        limit = launch_limit(reading)
        failure = cues.FAILURE.search(text, 0, limit)
        if failure and cues.EARLIER_FAILURE.search(text):
            failure = None  # "has failed in several previous attempts": not this launch
        if failure:
            start, end = base + failure.start(), base + failure.end()
            return Fact(Outcome.FAILURE, span(reading, start, end, failure.group()))
        found = cues.SUCCESS.search(text, 0, limit)
        if found and success is None:
            start, end = base + found.start(), base + found.end()
            success = Fact(Outcome.SUCCESS, span(reading, start, end, found.group()))
    return success
