"""Every report of a launch, in the order outlets publish them, gives one event and one `new`.

A launch is reported first as a flash that does not know the type, then by the
side that detected it (a day later in its own time zone, with its own range
estimate), then by the launching state naming its system ("hypersonic" where the
others said "ballistic", an ICBM where the detecting side said medium-range),
and days later by analyses that give no date at all. Two launches by one state a
day apart (short-range missiles one evening, an ICBM the next morning) are
reported interleaved, and must stay two events with one `new` alert each.
The texts are written for these tests in the wires' style.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pytest

from schemas import AlertKind
from services.enricher import enrich_all
from tests.unit.enricher.articles import article


@dataclass(frozen=True)
class Report:
    launch: str
    """Which launch of the sequence the report is of."""
    title: str
    text: str
    published: str


ICBM_NOV = [
    Report(
        "icbm",
        "N. Korea fires unidentified projectile toward East Sea: JCS",
        "SEOUL, Nov. 20 (Yonhap) -- North Korea fired an unidentified projectile toward the "
        "East Sea on Thursday, South Korea's Joint Chiefs of Staff (JCS) said.\n"
        "The JCS did not immediately provide further details.",
        "2025-11-19T22:45:00+00:00",
    ),
    Report(
        "icbm",
        "North Korea launches ballistic missile, U.S. military says",
        "WASHINGTON (Reuters) - North Korea launched a ballistic missile on Wednesday, the "
        "U.S. Indo-Pacific Command said, adding that the launch did not pose an immediate "
        "threat to U.S. personnel or territory.\n"
        "The command said it was consulting closely with allies.",
        "2025-11-19T20:30:00-05:00",
    ),
    Report(
        "icbm",
        "Kim oversees test of new hypersonic ICBM, KCNA says",
        "PYONGYANG, Nov. 21 (KCNA) -- The DPRK Missile Administration conducted a test-fire of "
        "the new-type hypersonic intercontinental ballistic missile Hwasong-19 on Thursday.\n"
        "Respected Comrade Kim Jong Un guided the test-fire on the spot, the Korean Central "
        "News Agency said.",
        "2025-11-20T21:10:00+00:00",
    ),
    Report(
        "icbm",
        "Japan says North Korean missile flew 70 minutes",
        "TOKYO, Nov. 21 (Kyodo) -- The ballistic missile North Korea launched on Thursday flew "
        "for about 70 minutes and was a medium-range missile or larger, Japan's Defense "
        "Ministry said Friday.\n"
        "The missile fell outside Japan's exclusive economic zone, the ministry said.",
        "2025-11-21T03:00:00+00:00",
    ),
    Report(
        "icbm",
        "What North Korea's newest ICBM says about its ambitions",
        "North Korea's test of a solid-fuel intercontinental ballistic missile shows that "
        "Pyongyang is closer to a weapon that can be hidden and fired at short notice, "
        "analysts said.\n"
        "The Hwasong-19 flew higher and longer than any missile the North has tested.\n"
        "Experts said the launch was meant as a message to Washington.",
        "2025-11-22T14:00:00+00:00",
    ),
]
"""One launch: a flash, a US-dated copy, the launching state's claim, the detecting
side's estimate a day later, an analysis without a date."""

EVENING_AND_MORNING = [
    Report(
        "srbm",
        "N. Korea fires 2 short-range ballistic missiles toward East Sea",
        "SEOUL, Dec. 3 (Yonhap) -- North Korea fired two short-range ballistic missiles toward "
        "the East Sea late Wednesday, South Korea's Joint Chiefs of Staff said.\n"
        "The missiles were launched from near Pyongyang at around 9:40 p.m. and flew about "
        "350 km, the JCS said.",
        "2025-12-03T13:05:00+00:00",
    ),
    Report(
        "srbm",
        "North Korea fires two missiles into sea",
        "SEOUL, South Korea (AP) -- North Korea fired two short-range ballistic missiles into "
        "the sea on Wednesday night, South Korea's military said, days after the North "
        "threatened to respond to U.S.-South Korean drills.",
        "2025-12-03T09:30:00-05:00",
    ),
    Report(
        "icbm",
        "N. Korea fires ballistic missile toward East Sea: JCS",
        "SEOUL, Dec. 4 (Yonhap) -- North Korea fired a ballistic missile toward the East Sea "
        "on Thursday morning, South Korea's Joint Chiefs of Staff said.\n"
        "The missile was launched from the Sunan area at around 7:15 a.m., the JCS said.",
        "2025-12-03T22:40:00+00:00",
    ),
    Report(
        "srbm",
        "DPRK conducts firing drill of tactical ballistic missiles",
        "PYONGYANG, Dec. 4 (KCNA) -- A unit of the Korean People's Army conducted a firing "
        "drill of short-range tactical ballistic missiles yesterday evening, the Korean Central "
        "News Agency reported.\n"
        "The missiles accurately hit an island target in the East Sea, the agency said.",
        "2025-12-03T21:30:00+00:00",
    ),
    Report(
        "icbm",
        "Japan says North Korean missile may have been an ICBM",
        "TOKYO, Dec. 4 (Reuters) - A ballistic missile North Korea launched on Thursday "
        "morning flew for about 65 minutes and may have been an intercontinental ballistic "
        "missile, Japan's Defense Ministry said.\n"
        "It came less than 10 hours after the North fired two short-range ballistic missiles "
        "on Wednesday night.",
        "2025-12-04T04:00:00+00:00",
    ),
    Report(
        "icbm",
        "Kim guides test of Hwasong-18 ICBM",
        "PYONGYANG, Dec. 5 (KCNA) -- The DPRK test-fired the solid-fuel intercontinental "
        "ballistic missile Hwasong-18 on Thursday, the Korean Central News Agency said.\n"
        "Kim Jong Un said the test showed the country's resolve to answer any provocation.",
        "2025-12-04T21:00:00+00:00",
    ),
]
"""Two launches by one state, an evening apart: short-range missiles late one evening,
an ICBM the next morning, their reports interleaved."""

NEAR_MIDNIGHT = [
    Report(
        "intercepted",
        "UAE intercepts missile fired by Houthis",
        "The United Arab Emirates said it intercepted a ballistic missile launched late Sunday "
        "by Yemen's Houthi rebels, as a foreign leader visited the country.",
        "2025-11-30T21:30:00+00:00",
    ),
    Report(
        "intercepted",
        "UAE air defences destroy Houthi ballistic missile",
        "Air defences in the United Arab Emirates intercepted and destroyed a ballistic missile "
        "launched by the Houthi rebels on Sunday evening, the defence ministry said.",
        "2025-11-30T22:10:00+00:00",
    ),
    Report(
        "intercepted",
        "UAE says it foiled Houthi missile attack",
        "DUBAI, Dec 1 (Reuters) - The United Arab Emirates intercepted a ballistic missile fired "
        "by Yemen's Houthi rebels early Monday, its defence ministry said.\n"
        "The remnants of the missile fell outside populated areas, the ministry said.",
        "2025-12-01T06:00:00+00:00",
    ),
]
"""One launch near midnight: "late Sunday" in one report is "early Monday" in another."""

SEQUENCES = {
    "icbm-nov": ICBM_NOV,
    "evening-and-morning": EVENING_AND_MORNING,
    "near-midnight": NEAR_MIDNIGHT,
}


def _events(reports: list[Report]) -> tuple[dict[str, set[str]], Counter[str]]:
    """The events each launch's reports ended in, and the `new` alerts per event."""
    result = enrich_all(
        article(r.text, r.published, url=f"https://news.example/{n}", title=r.title)
        for n, r in enumerate(reports)
    )
    events: dict[str, set[str]] = {}
    for report, tagged in zip(reports, result.enriched, strict=True):
        assert tagged.is_launch_report, report.title
        assert tagged.launch is not None
        assert tagged.launch.event_id is not None
        events.setdefault(report.launch, set()).add(tagged.launch.event_id)
    new = Counter(a.event_id for a in result.alerts if a.kind is AlertKind.NEW)
    return events, new


@pytest.mark.parametrize("name", SEQUENCES)
def test_each_launch_is_one_event_with_one_new_alert(name: str) -> None:
    reports = SEQUENCES[name]
    events, new = _events(reports)
    for launch, ids in events.items():
        assert len(ids) == 1, f"{launch} split into {len(ids)} events"
    held = [next(iter(ids)) for ids in events.values()]
    assert len(set(held)) == len(held), "two launches merged into one event"
    assert sum(new.values()) == len(held), "one `new` alert per launch, never a second"
