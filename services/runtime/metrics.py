"""The Prometheus metrics every service exposes on `/metrics`.

Defined once here so that every service reports the same names and labels,
and the alert rules and dashboard in `deploy/` can rely on them. Labels are
bounded: service, topic, partition and a dead-letter reason.
"""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

CONSUMED = Counter(
    "launchwatch_messages_consumed",
    "Records read from an input topic.",
    ["service", "topic"],
)
PRODUCED = Counter(
    "launchwatch_messages_produced",
    "Records written and acknowledged, dead letters excluded.",
    ["service", "topic"],
)
FAILED = Counter(
    "launchwatch_messages_failed",
    "Input records that could not be processed, by reason (each is dead-lettered).",
    ["service", "topic", "reason"],
)
DEAD_LETTERS = Counter(
    "launchwatch_dead_letters",
    "Records written to a dead-letter topic.",
    ["service", "topic"],
)
RETRIES = Counter(
    "launchwatch_handler_retries",
    "Handler calls repeated after an error.",
    ["service"],
)
HANDLER_SECONDS = Histogram(
    "launchwatch_handler_seconds",
    "Time a handler took for one message, retries included.",
    ["service"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
COMMIT_FAILURES = Counter(
    "launchwatch_commit_failures",
    "Completions refused because the partition moved to another member.",
    ["service"],
)
CONSUMER_LAG = Gauge(
    "launchwatch_consumer_lag",
    "Records between the consumed position and the end of each owned partition.",
    ["service", "topic", "partition"],
)
ASSIGNED_PARTITIONS = Gauge(
    "launchwatch_assigned_partitions",
    "Input partitions this process owns.",
    ["service"],
)
REBALANCES = Counter(
    "launchwatch_rebalances",
    "Times partitions were taken from this process.",
    ["service"],
)
