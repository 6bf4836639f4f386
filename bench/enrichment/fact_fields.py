"""The launch facts the scorers compare, read from the schema rather than listed by hand.

`LaunchFactFields` is the one list of launch facts. A copy of its field names in a
scorer would let a new fact go unscored without anyone noticing, so both scorers
(`score.py` for the written sets, `realnews.py` for real news) take their fact lists,
the allowed values of each fact and the way values are compared from here:

- a *scalar* fact (an enumeration, a code list, a date, a number) is scored by exact
  match after normalisation, `launch_date` also within one day;
- a *name* fact (a tuple of strings) is scored as a set of names;
- a fact whose value is a structure (a place, a list of claims) has no label to compare
  with and must be named in `NOT_SCORED`, with the reason. A new structured fact that
  is not named there is left in `UNCLASSIFIED`, which a unit test requires to be empty.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import msgspec.inspect as mi

from schemas import LaunchFactFields
from schemas.vocabulary import MissileType, Modality, Outcome, RangeClass

Json = dict[str, Any]

NOT_SCORED: Mapping[str, str] = {
    "weapon_names": "no corpus labels weapon names; the type and range class stand for them",
    "location": "labelled as free text, produced as a gazetteer place: not comparable",
    "impact_area": "labelled as free text, produced as a gazetteer place: not comparable",
    "claims": "figures with their claimants are not labelled",
}


@dataclass(frozen=True)
class FactSpec:
    """How one scalar fact is read: its kind, its allowed values and its default."""

    name: str
    kind: str
    """`choice` (enumeration or code list), `date`, `int` or `str`."""
    allowed: frozenset[str]
    """For a `choice`: every value the schema accepts; empty otherwise."""
    default: str | None
    """The value a producer writes when it knows nothing (`unknown`), or None."""
    optional: bool
    minimum: int | None = None


def _unwrap(kind: mi.Type) -> tuple[mi.Type, bool]:
    """The type inside `X | None`, and whether None was allowed."""
    if isinstance(kind, mi.UnionType):
        rest = [t for t in kind.types if not isinstance(t, mi.NoneType)]
        if len(rest) == 1:
            return rest[0], len(rest) < len(kind.types)
    return kind, False


def _spec(field: mi.Field) -> FactSpec | str:
    """A FactSpec for a scalar field, `names` for a tuple of strings, `other` otherwise."""
    inner, optional = _unwrap(field.type)
    default = field.default if isinstance(field.default, str) else None
    if isinstance(inner, mi.EnumType) and issubclass(inner.cls, enum.Enum):
        allowed = frozenset(str(member.value) for member in inner.cls)
        return FactSpec(field.name, "choice", allowed, default, optional)
    if isinstance(inner, mi.LiteralType) and all(isinstance(v, str) for v in inner.values):
        allowed = frozenset(str(v) for v in inner.values)
        return FactSpec(field.name, "choice", allowed, default, optional)
    if isinstance(inner, mi.DateType):
        return FactSpec(field.name, "date", frozenset(), None, optional)
    if isinstance(inner, mi.IntType):
        minimum = inner.ge if inner.ge is not None else None
        return FactSpec(field.name, "int", frozenset(), None, optional, minimum)
    if isinstance(inner, mi.StrType):
        return FactSpec(field.name, "str", frozenset(), default, optional)
    if isinstance(inner, mi.VarTupleType) and isinstance(inner.item_type, mi.StrType):
        return "names"
    return "other"


@dataclass(frozen=True)
class FactLists:
    """The fields of a fact struct, sorted by how a scorer compares them."""

    scalars: dict[str, FactSpec]
    names: tuple[str, ...]
    unclassified: tuple[str, ...]
    """Fields neither scalar nor names and not excused in `not_scored`: to be decided."""
    every: tuple[str, ...]


def classify(struct: type, not_scored: Mapping[str, str] = NOT_SCORED) -> FactLists:
    """Sort the fields of `struct` (LaunchFactFields) into scalar, name and other facts."""
    info = mi.type_info(struct)
    if not isinstance(info, mi.StructType):
        raise TypeError(f"{struct!r} is not a msgspec Struct")
    scalars: dict[str, FactSpec] = {}
    names: list[str] = []
    unclassified: list[str] = []
    for field in info.fields:
        if field.name in not_scored:
            continue
        spec = _spec(field)
        if isinstance(spec, FactSpec):
            scalars[field.name] = spec
        elif spec == "names":
            names.append(field.name)
        else:
            unclassified.append(field.name)
    every = tuple(field.name for field in info.fields)
    return FactLists(scalars, tuple(names), tuple(unclassified), every)


LAUNCH_FACTS = classify(LaunchFactFields)
FACT_SPECS = LAUNCH_FACTS.scalars
NAME_FACTS: tuple[str, ...] = LAUNCH_FACTS.names
"""Scored as sets of names."""
UNCLASSIFIED: tuple[str, ...] = LAUNCH_FACTS.unclassified
SCALAR_FACTS: tuple[str, ...] = tuple(FACT_SPECS)
"""Scored by exact match, in the schema's order."""

MISSILE_TYPES: frozenset[str] = frozenset(m.value for m in MissileType)
RANGE_CLASSES: frozenset[str] = frozenset(m.value for m in RangeClass)
OUTCOMES: frozenset[str] = frozenset(m.value for m in Outcome)
MODALITIES: tuple[str, ...] = tuple(m.value for m in Modality)
"""The product's reasons for rejecting an article, in the vocabulary's order."""


# --------------------------------------------------------------------------- values


def as_date(value: object) -> date | None:
    """The date of `YYYY-MM-DD...` (a date or a timestamp), or None."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def normalise(name: str, value: object) -> object:
    """Comparable form of a fact value; absent and unparseable values become the default."""
    spec = FACT_SPECS[name]
    if spec.kind == "date":
        return as_date(value)
    if spec.kind == "int":
        return value if isinstance(value, int) and not isinstance(value, bool) else None
    if isinstance(value, enum.Enum):
        value = value.value
    if not isinstance(value, str) or not value.strip():
        return spec.default
    text = value.strip()
    if spec.kind == "choice":
        folded = {v.casefold(): v for v in spec.allowed}
        return folded.get(text.casefold(), text)
    return text.casefold()


def check_value(name: str, value: object, *, required: bool = False) -> str | None:
    """Why `value` is not a valid label for fact `name`, or None when it is."""
    spec = FACT_SPECS[name]
    if value is None:
        if required or not (spec.optional or spec.default is not None):
            return f"{name} is required"
        return None
    if spec.kind == "choice":
        return None if value in spec.allowed else f"unknown {name} {value!r}"
    if spec.kind == "date":
        ok = isinstance(value, str) and as_date(value) is not None and len(value) == 10
        return None if ok else f"{name} must be YYYY-MM-DD"
    if spec.kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            return f"{name} must be an integer or null"
        if spec.minimum is not None and value < spec.minimum:
            return f"{name} must be at least {spec.minimum}"
        return None
    return None if isinstance(value, str) else f"{name} must be a string"


# --------------------------------------------------------------------------- ratios


def ratio(num: int, den: int) -> float | None:
    """`num / den`, or None when there is nothing to divide by."""
    return num / den if den else None


def f1(precision: float | None, recall: float | None) -> float | None:
    if precision is None or recall is None:
        return None
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def prf(tp: int, n_pred: int, n_gold: int) -> Json:
    """Precision, recall and F1 with the counts behind them."""
    p, r = ratio(tp, n_pred), ratio(tp, n_gold)
    return {
        "precision": p,
        "recall": r,
        "f1": f1(p, r),
        "tp": tp,
        "predicted": n_pred,
        "gold": n_gold,
    }


def fmt(value: object, digits: int = 3) -> str:
    """A figure for a table: `n/a` for an empty ratio, ratios to `digits` places."""
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def fact_accuracy(pairs: Sequence[tuple[Json, Json]], names: Sequence[str] = SCALAR_FACTS) -> Json:
    """Accuracy of each fact in `names` over (predicted, labelled) fact dictionaries.

    `launch_date_within_1d` is added whenever `launch_date` is scored: a date a day off
    is usually a time-zone or relative-day error, a different kind of failure.
    """
    out: Json = {"n": len(pairs)}
    for name in names:
        correct = sum(
            normalise(name, p.get(name)) == normalise(name, g.get(name)) for p, g in pairs
        )
        out[name] = ratio(correct, len(pairs))
        if name == "launch_date":
            near = 0
            for pred, gold in pairs:
                p, g = as_date(pred.get(name)), as_date(gold.get(name))
                near += p is not None and g is not None and abs((p - g).days) <= 1
            out["launch_date_within_1d"] = ratio(near, len(pairs))
    return out
