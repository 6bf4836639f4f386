"""The facts of a recognised launch report, each with the text it came from.

One module per fact reads a shared `FactContext` and returns a `Fact` (the value
and its evidence spans) or None; `EXTRACTORS` lists them by schema field. See
`registry` for the order in which facts that depend on others are read.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, get_args

from schemas import LaunchFacts, Span
from schemas.launches import FactName
from services.enricher.facts.context import Fact, FactContext
from services.enricher.facts.mentions import extract_mentions
from services.enricher.facts.registry import EXTRACTORS, FACT_FIELDS
from services.enricher.gazetteer import Gazetteer
from services.enricher.recognition import Recognition

_EVIDENCED: tuple[FactName, ...] = get_args(FactName)
"""The facts that carry evidence spans (claims carry their own)."""


def extract_facts(
    recognition: Recognition, gazetteer: Gazetteer, published_at: datetime | None
) -> LaunchFacts | None:
    """The facts of the launch the article reports, or None when it reports none."""
    if recognition.primary is None:
        return None
    context = FactContext(recognition, gazetteer, published_at)
    for name, extractor in EXTRACTORS.items():
        context = context.knowing(name, extractor(context))
    values: dict[str, Any] = {name: fact.value for name, fact in context.known.items()}
    evidence: dict[FactName, tuple[Span, ...]] = {}
    for name in _EVIDENCED:
        fact = context.known.get(name)
        if fact is not None and fact.evidence:
            evidence[name] = fact.evidence
    return LaunchFacts(**values, evidence=evidence)


__all__ = [
    "EXTRACTORS",
    "FACT_FIELDS",
    "Fact",
    "FactContext",
    "extract_facts",
    "extract_mentions",
]
