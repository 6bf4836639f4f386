"""How long the enricher's correlation state takes to rebuild from launch.events.

A restarted (or newly assigned) correlate stage reads the compacted
launch.events topic to its end and rebuilds one `EventBook` per correlation
key before it handles a report (`services.enricher.service.Correlator.reload`).
This writes `--events` generated launch events to a private broker, then times
each part of that rebuild as the stage does it: the read (Kafka fetch and
decoding), the grouping by key and `EventBook.from_events`, and the first
report correlated against the rebuilt books.

    python bench/restart_state.py [--events 100000]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
import uuid
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))  # sibling benchmarks, by their file names

from web_view import generated, write  # noqa: E402

from schemas import MESSAGE_TYPES, LaunchEvent, Message, topic_for  # noqa: E402
from services.enricher.correlation import AlertPolicy, EventBook, facts_key  # noqa: E402
from services.enricher.gazetteer import default_gazetteer  # noqa: E402
from services.enricher.service import Correlator, EnricherSettings, tag  # noqa: E402
from services.runtime import KafkaTransport, Routing  # noqa: E402
from services.runtime.spec import StageContext  # noqa: E402
from tests.kafka_broker import start_broker, stop_broker  # noqa: E402
from tests.newsroom import as_article, launch_news  # noqa: E402


async def measure(bootstrap: str, events: int) -> list[tuple[str, float]]:
    transport = KafkaTransport(bootstrap)
    routing = Routing(source="/launchwatch/bench", prefix=f"bench{uuid.uuid4().hex[:8]}.")
    await transport.create_topics(
        [replace(topic_for(kind), name=routing.name_of(topic_for(kind))) for kind in MESSAGE_TYPES]
    )
    messages: list[Message] = [
        m for n in range(events) for m in generated(n) if isinstance(m, LaunchEvent)
    ]
    began = time.perf_counter()
    await write(transport, routing, messages)
    figures = [(f"write {len(messages)} events", time.perf_counter() - began)]
    context = StageContext(transport, routing)
    began = time.perf_counter()
    table = await context.latest(LaunchEvent)
    figures.append(
        (f"read and decode launch.events ({len(table)} keys)", time.perf_counter() - began)
    )
    began = time.perf_counter()
    by_key: dict[str, list[LaunchEvent]] = {}
    for event in table.values():
        by_key.setdefault(facts_key(event), []).append(event)
    books = {key: EventBook.from_events(group, AlertPolicy()) for key, group in by_key.items()}
    figures.append((f"EventBook.from_events ({len(books)} books)", time.perf_counter() - began))
    correlator = Correlator(context, EnricherSettings())
    began = time.perf_counter()
    await correlator.reload(frozenset())
    figures.append(("Correlator.reload, all of it", time.perf_counter() - began))
    story = launch_news(1, reports=1)[0]
    report = tag(default_gazetteer(), as_article(story))[0]
    began = time.perf_counter()
    correlator.correlate(report)  # type: ignore[arg-type]
    figures.append(("first report correlated", time.perf_counter() - began))
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="launchwatch-bench-state-") as workdir:
        broker, started = start_broker(Path(workdir))
        if started.returncode != 0:
            print(started.stderr, file=sys.stderr)
            return 1
        try:
            figures = asyncio.run(measure(started.stdout.strip().splitlines()[-1], args.events))
        finally:
            stop_broker(broker)
    for label, seconds in figures:
        print(f"{label:60s} {seconds:8.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
