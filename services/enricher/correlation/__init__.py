"""Correlation: the reports of one launch become one event, and one `new` alert.

An `EventBook` holds the events of one correlation key (reports are keyed by
the launching state's theatre, so all reports of a launch meet in one
partition even when they disagree on the state). Each
report joins the open event it agrees with best, scored fact by fact
(`agreement`), or starts a new one; when later reports show two events to be
one launch, they merge and the survivor raises an `update` alert, never a
second `new`. The book is rebuilt on start from the LaunchEvents it emitted
(the compacted topic), merged events included, so a restart or a redelivered
report never raises a second `new` alert.

* `book`: `EventBook`, `AddOutcome`;
* `keys`: `correlation_key` and the theatres of states reports confuse;
* `agreement`: how well a report fits an event, and the weights, documented;
* `tally`: an event's facts from its reports, derived from the schema's fields;
* `alerts`: `AlertPolicy` and the alerts an event raises.
"""

from services.enricher.correlation.agreement import JOIN, agreement
from services.enricher.correlation.alerts import MATERIAL_FACTS, AlertPolicy
from services.enricher.correlation.book import AddOutcome, EventBook
from services.enricher.correlation.keys import correlation_key, facts_key

__all__ = [
    "JOIN",
    "MATERIAL_FACTS",
    "AddOutcome",
    "AlertPolicy",
    "EventBook",
    "agreement",
    "correlation_key",
    "facts_key",
]
