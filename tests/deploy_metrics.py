"""The metrics the code exposes, and which names of a PromQL expression are not among them.

The alert rules, the dashboard and the ServiceMonitor are checked against what the
services register with prometheus_client, so a renamed metric or label fails a test
instead of leaving a panel empty or an alert silent.
"""

from __future__ import annotations

import dataclasses
import importlib
import re
import sys
from functools import cache

from prometheus_client import REGISTRY
from prometheus_client.metrics import MetricWrapperBase

from tests.deploy_files import ROOT

DELIVERY_OUTCOMES = frozenset({"delivered", "retry", "failed", "expired"})
"""Values of the `outcome` label of launchwatch_alert_deliveries_total."""
PROMETHEUS_METRICS = frozenset({"up"})
"""Series Prometheus makes itself, which rules may use beside launchwatch's."""
PROMETHEUS_LABELS = frozenset({"instance", "job", "le", "namespace"})
"""Labels Prometheus gives every series: of its target (`namespace` under the Prometheus
operator; absent under compose, where `namespace=~".*"` still matches) and `le`."""


@dataclasses.dataclass(frozen=True)
class Exposed:
    series: frozenset[str]
    """Every series name /metrics can show (counters with _total, histograms with _bucket)."""
    labels: dict[str, frozenset[str]]
    """Label names of each series."""


@cache
def exposed_metrics() -> Exposed:
    # Importing the services registers their metrics; metrics modules are imported too,
    # in case a service defines metrics the catalog does not import yet.
    for path in sorted((ROOT / "services").rglob("metrics.py")):
        importlib.import_module(".".join(path.relative_to(ROOT).with_suffix("").parts))
    suffixes = {
        "counter": ("_total", "_created"),
        "gauge": ("",),
        "histogram": ("_bucket", "_count", "_sum", "_created"),
        "summary": ("", "_count", "_sum", "_created"),
        "info": ("_info",),
    }
    label_names: dict[str, frozenset[str]] = {}
    for module in [m for name, m in sys.modules.items() if name.startswith("services.")]:
        for value in vars(module).values():
            if isinstance(value, MetricWrapperBase):
                for family in value.describe():
                    label_names[family.name] = frozenset(value._labelnames)
    series: dict[str, frozenset[str]] = {}
    for family in REGISTRY.collect():
        if not family.name.startswith("launchwatch_"):
            continue
        for suffix in suffixes.get(family.type, ("",)):
            extra = {"le"} if suffix == "_bucket" else set()
            series[family.name + suffix] = label_names.get(family.name, frozenset()) | extra
    return Exposed(frozenset(series), series)


def metric_names(expr: str) -> set[str]:
    return set(re.findall(r"\blaunchwatch_[a-zA-Z0-9_]+", expr))


def aggregation_labels(expr: str) -> set[str]:
    """Label names of `by (...)`, `without (...)`, `on (...)` and `ignoring (...)` clauses."""
    found: set[str] = set()
    for group in re.findall(r"\b(?:by|without|on|ignoring)\s*\(([^)]*)\)", expr):
        found.update(label.strip() for label in group.split(",") if label.strip())
    return found


def matchers(expr: str) -> list[tuple[str, str, str]]:
    """(label, operator, value) of every label matcher in `expr`."""
    return re.findall(r"(\w+)\s*(=~|!~|!=|=)\s*\"([^\"]*)\"", expr)


def expression_problems(expr: str) -> list[str]:
    """What in a PromQL expression does not exist in the code."""
    exposed = exposed_metrics()
    names = metric_names(expr)
    problems = [f"unknown metric {name}" for name in sorted(names - exposed.series)]
    if not names and not any(re.search(rf"\b{m}\b", expr) for m in PROMETHEUS_METRICS):
        problems.append("names no launchwatch metric")
    available = set(PROMETHEUS_LABELS)
    for name in names & exposed.series:
        available |= exposed.labels[name]
    used = aggregation_labels(expr) | {label for label, _, _ in matchers(expr)}
    problems += [f"label {label!r} is on none of its metrics" for label in sorted(used - available)]
    return problems
