"""The whole stack under fire: services SIGKILLed at random and the broker restarted mid-stream.

A news site publishes launch reports and other stories in waves over many
feeds; the fetcher, parser and enricher run as separate processes on a broker
of this test's own. While news flows, a random service is SIGKILLed every few
seconds and restarted (as an orchestrator would), and once the broker itself
is stopped and started again (see `tests.integration.faults`). Afterwards,
read with read_committed: every article reached `news.enriched`, every launch
is one event in `launch.events` with all its reports, and `alerts.launch`
holds exactly one `new` alert per launch. A longer run on demand:
``python bench/pipeline_faults.py``.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.faults import fault_run
from tests.kafka_broker import start_broker, stop_broker

pytestmark = [pytest.mark.kafka, pytest.mark.asyncio]

REPORTS = 2


@pytest.fixture
def own_broker() -> Iterator[dict[str, str]]:
    """A broker for this test alone, because the test stops and restarts it."""
    with tempfile.TemporaryDirectory(prefix="launchwatch-faults-") as workdir:
        environ, started = start_broker(Path(workdir))
        if started.returncode != 0:
            pytest.fail(f"the broker did not start:\n{started.stderr}", pytrace=False)
        environ["BOOTSTRAP"] = started.stdout.strip().splitlines()[-1]
        try:
            yield environ
        finally:
            stop_broker(environ)


async def test_kills_and_a_broker_restart_lose_nothing_and_double_no_alert(
    own_broker: dict[str, str],
) -> None:
    report = await fault_run(
        own_broker, own_broker["BOOTSTRAP"], launches=9, reports=REPORTS, others=6
    )
    assert report.kills == 9
    assert report.broker_restarts == 1
    assert set(report.exit_codes.values()) <= {0, 1}, report.exit_codes
    assert len(report.enriched) == report.articles
    events = report.events.values()
    assert {(event.country, event.launch_date) for event in events} == report.launches
    assert all(event.report_count == REPORTS for event in events)
    assert set(report.new_alerts) == set(report.events), "every launch has its `new` alert"
    assert report.duplicate_new_alerts == 0, "and only one"
    assert set(report.dead_letters.values()) == {0}, report.dead_letters
