"""Flight figures the report states (range, apogee, flight time, speed), with who claims them.

A figure is credited to the first agency its sentence names; the same figure
stated twice is kept once.
"""

from __future__ import annotations

from schemas import Claim, Span
from services.enricher.facts.context import Fact, FactContext
from services.enricher.gazetteer import Agency
from services.enricher.quantities import quantities


def extract(context: FactContext) -> Fact[tuple[Claim, ...]] | None:
    """Every distinct figure stated in the launch sentences; each claim carries its span."""
    claims: list[Claim] = []
    for reading in context.event:
        text, base = reading.sentence.text, reading.sentence.start
        agencies = [f.entry.name for f in reading.founds if isinstance(f.entry, Agency)]
        for quantity in quantities(text):
            if reading.passing_at is not None and base + quantity.start >= reading.passing_at:
                continue
            span = (
                Span(
                    start=base + quantity.start,
                    end=base + quantity.end,
                    text=text[quantity.start : quantity.end],
                )
                if reading.in_text
                else None
            )
            claim = Claim(
                quantity=quantity.quantity,
                value=quantity.value,
                claimed_by=agencies[0] if agencies else None,
                span=span,
            )
            if all((c.quantity, c.value) != (claim.quantity, claim.value) for c in claims):
                claims.append(claim)
    return Fact(tuple(claims)) if claims else None
