"""The current value of every key of a compacted topic, read into memory.

A stateful stage keeps its state in a compacted topic that it writes itself
(the enricher's launch events, say) and reads it back whenever it is given
partitions: after a restart, or when partitions move from another member. The
read goes to the end of the topic as it was when the read began, transactions
still open at that moment included, so everything the previous owner
committed is seen.
"""

from __future__ import annotations

from typing import TypeVar

from schemas import Message, decode, topic_for
from services.runtime.routing import Routing
from services.runtime.transport import Transport

M = TypeVar("M", bound=Message)


async def latest(transport: Transport, routing: Routing, value_type: type[M]) -> dict[bytes, M]:
    """Key to latest value of `value_type`'s topic; a tombstone removes its key.

    A record that does not decode raises `schemas.WireError`: state that cannot
    be read must stop the stage, not be silently dropped.
    """
    table: dict[bytes, M] = {}
    topic = routing.name_of(topic_for(value_type))
    async for record in transport.read(topic, from_beginning=True, follow=False):
        if record.key is None:
            continue
        if record.value is None:
            table.pop(record.key, None)
        else:
            table[record.key] = decode(value_type, record.value, record.headers)
    return table
