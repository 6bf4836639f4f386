"""The metrics of alert delivery, beside the runtime's.

`launchwatch_alert_deliveries_total{receiver, outcome}` counts what happened,
one increment per attempt and one per row given up without an attempt:

| outcome | meaning |
|---|---|
| `delivered` | an attempt succeeded (2xx); the row is done |
| `retry` | an attempt failed in a way worth repeating (timeout, network, 408, 429, 5xx) |
| `failed` | an attempt was refused for good (other 4xx, 3xx); the row is expired at once |
| `expired` | a row was given up without an attempt: its alert passed the maximum age |

So `delivered + retry + failed` is the number of attempts, and every row ends
in exactly one of `delivered`, `failed` or `expired`. A rising `failed` is a
misconfigured receiver; a rising `retry` with a growing oldest pending age is
a receiver that is down.

Gauges are per replica (each reports the rows of the partitions it owns):
sum the pending counts and take the maximum of the oldest ages across replicas.
"""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

DELIVERIES = Counter(
    "launchwatch_alert_deliveries",
    "Alert delivery attempts and give-ups, by receiver and outcome.",
    ["receiver", "outcome"],
)
PENDING = Gauge(
    "launchwatch_alert_deliveries_pending",
    "Alert deliveries not yet delivered or given up, in the partitions this replica owns.",
    ["receiver"],
)
OLDEST_PENDING = Gauge(
    "launchwatch_alert_delivery_oldest_pending_seconds",
    "Age of the oldest pending alert delivery in the partitions this replica owns (0 if none).",
    ["receiver"],
)
SECONDS = Histogram(
    "launchwatch_alert_delivery_seconds",
    "Time one delivery attempt took, whatever its outcome.",
    ["receiver"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
)
