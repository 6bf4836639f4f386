"""What the enricher counts beyond the runtime's per-stage metrics."""

from prometheus_client import Counter

LAUNCH_EVENTS = Counter("launchwatch_launch_events", "Launch events created (first reports).")
ALERTS_RAISED = Counter("launchwatch_alerts_raised", "Launch alerts raised, by kind.", ["kind"])
