"""The topic registry's consumers and readers agree with the services' declared stages.

`schemas/topics.py` names who consumes and who reads each topic (the AsyncAPI
document, the ACLs and the dead-letter topics are derived from it); the services
declare what they consume in their `ServiceSpec`s. Each side is written once, and
this test ties them, so neither can drift.
"""

from __future__ import annotations

from collections import defaultdict

from schemas.topics import TOPICS, topic_for
from services.catalog import SERVICES
from services.runtime.spec import SourceSpec, StageSpec
from services.runtime.view import ViewSpec


def _declared() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """(topic -> services consuming it in a group, topic -> services following it whole)."""
    consumed: dict[str, set[str]] = defaultdict(set)
    followed: dict[str, set[str]] = defaultdict(set)
    for service in SERVICES.values():
        for stage in service.stages:
            if isinstance(stage, StageSpec):
                consumed[topic_for(stage.consumes).name].add(service.name)
            elif isinstance(stage, SourceSpec):
                consumed[topic_for(stage.table).name].add(service.name)
            elif isinstance(stage, ViewSpec):
                for kind in stage.follows:
                    followed[topic_for(kind).name].add(service.name)
    return consumed, followed


def test_the_registry_names_exactly_the_services_that_consume_each_topic() -> None:
    consumed, _ = _declared()
    registry = {topic.name: set(topic.consumers) for topic in TOPICS if topic.consumers}
    assert registry == dict(consumed)


def test_the_registry_names_exactly_the_services_that_follow_each_topic() -> None:
    _, followed = _declared()
    registry = {topic.name: set(topic.readers) for topic in TOPICS if topic.readers}
    assert registry == dict(followed)


def test_readers_add_no_dead_letter_topics() -> None:
    names = {topic.name for topic in TOPICS}
    for topic in TOPICS:
        if topic.readers and not topic.consumers:
            assert topic.dlq_name not in names
