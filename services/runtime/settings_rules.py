"""What each setting accepts, checked once at start-up for every service.

A bad value must stop a process before it listens or connects, with one line
that names the variable and what it accepts (the CLI exits 2). The rules come
from two places:

* a field's own metadata, given to `setting`: ``choices``, ``minimum``,
  ``maximum``;
* the naming conventions every settings class follows, so that a service's
  settings are checked without repeating them:

  - numbers are never negative (``0`` means "none" or "automatic" where
    it is allowed at all);
  - ``*_concurrency``, ``*_attempts`` and ``*_records`` are at least 1;
  - ``*_port`` is a TCP port, 0 to 65535;
  - ``*_networks`` is a comma-separated list of CIDRs (or bare addresses);
  - a ``*_min_*`` or ``*_max_*`` pair (``poll_min_s`` and ``poll_max_s``,
    ``..._backoff_s`` and ``..._max_backoff_s``) must keep floor ≤ ceiling.

Unknown ``LAUNCHWATCH_*`` variables are most often typos (``POLL_MIN`` for
``POLL_MIN_S``); `unknown_variables` names the closest known one.
"""

from __future__ import annotations

import dataclasses
import difflib
import ipaddress
from collections.abc import Iterable, Mapping
from typing import Any

from services.runtime.errors import ConfigurationError

AT_LEAST_ONE = ("_concurrency", "_attempts", "_records")

OTHER_VARIABLES = frozenset(
    {
        # deploy/kafka/kafka.sh, the local and test broker
        "LAUNCHWATCH_KAFKA_PORT",
        "LAUNCHWATCH_KAFKA_CONTROLLER_PORT",
        "LAUNCHWATCH_KAFKA_DATA_DIR",
        "LAUNCHWATCH_KAFKA_RUN_FILE",
        "LAUNCHWATCH_KAFKA_HEAP",
        "LAUNCHWATCH_KAFKA_START_TIMEOUT",
        "LAUNCHWATCH_KAFKA_SCRAM_USERS",
        "LAUNCHWATCH_CACHE_DIR",
        # the evaluation scripts under bench/
        "LAUNCHWATCH_REALNEWS_CORPUS",
    }
)
"""Variables that are not settings of a service but belong to launchwatch's tools."""


def check_value(field: dataclasses.Field[Any], value: Any, describe: str) -> None:
    """Raise `ConfigurationError` (naming `describe`) when `value` breaks a rule of `field`."""
    if value is None or isinstance(value, bool):
        return
    choices = field.metadata.get("choices")
    if choices is not None and value not in choices:
        raise ConfigurationError(f"{describe}: {value!r} is not one of {', '.join(choices)}")
    if field.name.endswith("_networks") and isinstance(value, str):
        _check_networks(value, describe)
    if not isinstance(value, int | float):
        return
    minimum, maximum = _bounds(field)
    if minimum is not None and value < minimum:
        raise ConfigurationError(f"{describe}: {value} is too small; {_accepts(minimum, maximum)}")
    if maximum is not None and value > maximum:
        raise ConfigurationError(f"{describe}: {value} is too large; {_accepts(minimum, maximum)}")


def check_pairs(instance: Any, describe: Any) -> None:
    """Every floor at most its ceiling (``poll_min_s`` ≤ ``poll_max_s``)."""
    values = {field.name: getattr(instance, field.name) for field in dataclasses.fields(instance)}
    for name, ceiling in values.items():
        if "max_" not in name or not isinstance(ceiling, int | float):
            continue
        for floor_name in (name.replace("_max_", "_min_"), name.replace("max_", "", 1)):
            floor = values.get(floor_name) if floor_name != name else None
            if isinstance(floor, int | float) and floor > ceiling:
                raise ConfigurationError(
                    f"{describe(floor_name)}: {floor} is above {describe(name)} {ceiling};"
                    " the floor must not exceed the ceiling"
                )


def unknown_variables(environ: Mapping[str, str], known: Iterable[str]) -> list[str]:
    """One warning per ``LAUNCHWATCH_*`` variable nothing reads, with the closest known name."""
    names = set(known) | OTHER_VARIABLES
    warnings = []
    for variable in sorted(environ):
        if not variable.startswith("LAUNCHWATCH_") or variable in names:
            continue
        close = difflib.get_close_matches(variable, sorted(names), n=1, cutoff=0.6)
        hint = f"; did you mean {close[0]}?" if close else ""
        warnings.append(f"{variable} is not a launchwatch setting and is ignored{hint}")
    return warnings


def _bounds(field: dataclasses.Field[Any]) -> tuple[float | None, float | None]:
    minimum = field.metadata.get("minimum")
    maximum = field.metadata.get("maximum")
    if field.name.endswith("_port"):
        return (0 if minimum is None else minimum), (65535 if maximum is None else maximum)
    if minimum is None:
        minimum = 1 if field.name.endswith(AT_LEAST_ONE) else 0
    return minimum, maximum


def _accepts(minimum: float | None, maximum: float | None) -> str:
    if maximum is None:
        return f"accepts {minimum:g} or more"
    return f"accepts {minimum:g} to {maximum:g}"


def _check_networks(text: str, describe: str) -> None:
    for item in text.split(","):
        item = item.strip()
        if not item:
            continue
        try:
            ipaddress.ip_network(item, strict=False)
        except ValueError:
            raise ConfigurationError(
                f"{describe}: {item!r} is not a network; accepts comma-separated CIDRs "
                "such as 127.0.0.1/32,10.0.0.0/8"
            ) from None
