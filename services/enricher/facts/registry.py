"""One extractor per launch fact field, in the order they are read.

The keys are the fields of `LaunchFactFields`, so a new fact is one schema field
and one extractor module; a field with no extractor fails the registry test.
The order matters: the places need the launching state, the range class the
type, the date the site's time zone and the range class (to pass over another
launch's sentences), the time of day the date (to read a clock given in another
zone), and officials and sources the launching state.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import msgspec

from schemas import LaunchFactFields
from services.enricher.facts import (
    claims,
    count,
    country,
    launch_date,
    officials,
    outcome,
    places,
    range_class,
    reported_by,
    time_of_day,
    weapon,
)
from services.enricher.facts.context import Fact, FactContext

Extractor = Callable[[FactContext], Fact[Any] | None]

EXTRACTORS: dict[str, Extractor] = {
    "country": country.extract,
    "location": places.extract_location,
    "impact_area": places.extract_impact_area,
    "missile_type": weapon.extract_type,
    "range_class": range_class.extract,
    "launch_date": launch_date.extract,
    "weapon_names": weapon.extract_names,
    "count": count.extract,
    "outcome": outcome.extract,
    "officials": officials.extract,
    "reported_by": reported_by.extract,
    "claims": claims.extract,
    "time_of_day": time_of_day.extract,
}

FACT_FIELDS: tuple[str, ...] = tuple(f.name for f in msgspec.structs.fields(LaunchFactFields))
"""The launch fact fields, as the schema declares them."""
