"""Static group membership on aiokafka: the older of two holders of one instance id stops.

With a ``group.instance.id`` a member keeps its partitions across a restart:
the restarted process joins under the same id, the broker hands it the
assignment of the member it replaces, and the rest of the group sees no
rebalance. When two live processes claim one id, Kafka keeps the newer one
and answers the older one ``FENCED_INSTANCE_ID``, but only on requests that
carry the instance id. aiokafka carries it on JoinGroup and SyncGroup, not on
its heartbeats or commits: the older member only hears ``UNKNOWN_MEMBER_ID``
there, rejoins under the same id and takes it back, and the two would take
the id from each other every heartbeat.

`hold_instance_id` closes that gap where it opens. Before a member that has
lost its member id rejoins, it asks the coordinator, with a heartbeat that
carries the instance id (Heartbeat v3), whether the id is now someone else's.
``FENCED_INSTANCE_ID`` means it is: the rejoin is abandoned, the membership
is marked fenced, the subscription raises `MemberFenced` from its next poll,
and the process stops. Any other
answer (the session expired and the id was dropped, a rebalance is under way)
means the id is free, and the member joins as usual.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiokafka import AIOKafkaConsumer
from aiokafka.errors import KafkaError
from aiokafka.protocol.api import Request, RequestStruct, Response
from aiokafka.protocol.group import JoinGroupRequest, SyncGroupRequest
from aiokafka.protocol.types import Int16, Int32, Schema, String

FENCED_INSTANCE_ID = 82
"""Kafka's error code for a request from a member whose instance id another member holds."""


class InstanceFenced(KafkaError):  # type: ignore[misc]
    """Another process joined the group under this member's instance id."""


class _HeartbeatResponseV3(Response):  # type: ignore[misc]
    API_KEY = 12
    API_VERSION = 3
    SCHEMA = Schema(("throttle_time_ms", Int32), ("error_code", Int16))


class _HeartbeatRequestV3(RequestStruct):  # type: ignore[misc]
    API_KEY = 12
    API_VERSION = 3
    RESPONSE_TYPE = _HeartbeatResponseV3
    SCHEMA = Schema(
        ("group", String("utf-8")),
        ("generation_id", Int32),
        ("member_id", String("utf-8")),
        ("group_instance_id", String("utf-8")),
    )


class _StaticHeartbeat(Request[_HeartbeatRequestV3]):  # type: ignore[misc]
    """A heartbeat that names the instance id, so the broker can say it is fenced."""

    API_KEY = 12

    def __init__(self, group: str, generation: int, member_id: str, instance_id: str) -> None:
        self._fields = (group, generation, member_id, instance_id)

    def build(self, request_struct_class: type[_HeartbeatRequestV3]) -> _HeartbeatRequestV3:
        return request_struct_class(*self._fields)


class StaticMembership:
    """A consumer's hold on its instance id: the member id it last had, and whether it lost it."""

    def __init__(self, coordinator: Any, instance_id: str) -> None:
        self.instance_id = instance_id
        self.fenced: str | None = None
        """Why the id is no longer this member's; the subscription stops when it is set."""
        self._coordinator = coordinator
        self._member_id: str = coordinator.member_id
        self._generation: int = coordinator.generation
        self._send: Callable[[Any], Awaitable[Any]] = coordinator._send_req

    async def send(self, request: Any) -> Any:
        """The coordinator's requests, with a check before a rejoin under a lost member id."""
        coordinator = self._coordinator
        if isinstance(request, JoinGroupRequest) and self._lost():
            probe = _StaticHeartbeat(
                coordinator.group_id, self._generation, self._member_id, self.instance_id
            )
            answer = await self._send(probe)
            if answer.error_code == FENCED_INSTANCE_ID:
                self.fenced = (
                    f"another process joined group {coordinator.group_id} as {self.instance_id!r}"
                )
                raise InstanceFenced(self.fenced)  # aiokafka gives up this join and retries
            self._member_id = ""  # the id was free (the session expired): join afresh
        response = await self._send(request)
        if isinstance(request, SyncGroupRequest) and response.error_code == 0:
            self._member_id = coordinator.member_id
            self._generation = coordinator.generation
        return response

    def _lost(self) -> bool:
        unknown = JoinGroupRequest.UNKNOWN_MEMBER_ID
        return bool(self._member_id) and self._coordinator.member_id == unknown


def hold_instance_id(consumer: AIOKafkaConsumer, instance_id: str) -> StaticMembership:
    """Make `consumer` stop rather than take back an instance id another process holds.

    Called once `consumer` (made with `instance_id`) has started, which is once
    it has joined its group: from then on every member id the group gives it
    is remembered, and a rejoin after losing one first asks whose the id is.
    The consumer's owner stops when `StaticMembership.fenced` is set.
    """
    coordinator: Any = consumer._coordinator
    membership = StaticMembership(coordinator, instance_id)
    coordinator._send_req = membership.send
    return membership
