"""Running a stream service as a process: the wiring every service shares.

A service declares a `ServiceSpec` (its name, what it consumes, its handler,
its default port); `serve` does the rest: logs, the Kafka transport from the
settings, the health and metrics server, the processor, and the shutdown.

Shutdown on SIGTERM or SIGINT: stop polling, let the record in progress
finish (records not yet handled stay uncommitted and go to the next owner),
commit, leave the group, close the producers and return 0, all within
``shutdown_grace_s``. If that grace runs out, in-flight work is abandoned
uncommitted, which loses nothing, and the process still exits 0.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import socket
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from schemas import Message
from services.runtime.errors import ConfigurationError, TransportError
from services.runtime.health import HealthServer
from services.runtime.kafka import KafkaOptions, KafkaTransport
from services.runtime.logs import configure_logging
from services.runtime.processor import Handler, Processor, RetryPolicy
from services.runtime.routing import Routing
from services.runtime.settings import RuntimeSettings
from services.runtime.transport import Transport

In = TypeVar("In", bound=Message)

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_BROKER = 1
EXIT_CONFIG = 2


HandlerOpener = Callable[[Any], AbstractAsyncContextManager[Handler[In]]]
"""Given the service's own settings, opens its handler and whatever it holds (a pool)."""


@dataclass(frozen=True)
class NoSettings:
    """For services without settings of their own."""


@dataclass(frozen=True)
class ServiceSpec(Generic[In]):
    """What a stream service is: its name, its input, its settings and its domain logic."""

    name: str
    consumes: type[In]
    open_handler: HandlerOpener[In]
    http_port: int
    settings_type: type[Any] = NoSettings
    exactly_once: bool = False
    concurrency: int = 1
    """Records handled at once: above one only for handlers without shared state."""


def plain(handler: Handler[In]) -> HandlerOpener[In]:
    """An opener for a handler that holds nothing."""

    def opener(settings: Any) -> AbstractAsyncContextManager[Handler[In]]:
        return contextlib.nullcontext(handler)

    return opener


def kafka_transport(settings: RuntimeSettings) -> KafkaTransport:
    if not settings.kafka_bootstrap:
        raise ConfigurationError("LAUNCHWATCH_KAFKA_BOOTSTRAP (--kafka-bootstrap) is required")
    return KafkaTransport(
        settings.kafka_bootstrap,
        KafkaOptions(
            compression=settings.compression,
            session_timeout_s=settings.session_timeout_s,
            heartbeat_interval_s=settings.session_timeout_s / 3,
            max_poll_interval_s=settings.max_poll_interval_s,
            replication_factor=settings.replication_factor,
        ),
    )


def processor_for(
    spec: ServiceSpec[In], handler: Handler[In], settings: RuntimeSettings, transport: Transport
) -> Processor[In]:
    exactly_once = spec.exactly_once if settings.exactly_once is None else settings.exactly_once
    if settings.retry_budget_s >= settings.max_poll_interval_s / 2:
        raise ConfigurationError(
            f"LAUNCHWATCH_RETRY_BUDGET_S ({settings.retry_budget_s}) must stay under half of "
            f"LAUNCHWATCH_MAX_POLL_INTERVAL_S ({settings.max_poll_interval_s}), or a member "
            "retrying one message would be evicted from its group"
        )
    return Processor(
        service=spec.name,
        consumes=spec.consumes,
        handler=handler,
        transport=transport,
        routing=Routing(source=f"/launchwatch/{spec.name}", prefix=settings.topic_prefix),
        group_id=settings.group_id or f"launchwatch-{spec.name}",
        client_id=settings.client_id or f"{spec.name}-{socket.gethostname()}",
        exactly_once=exactly_once,
        retry=RetryPolicy(
            attempts=settings.handler_attempts,
            backoff_s=settings.retry_backoff_s,
            budget_s=settings.retry_budget_s,
        ),
        max_records=settings.max_poll_records,
        concurrency=spec.concurrency,
    )


async def serve(
    spec: ServiceSpec[In],
    settings: RuntimeSettings,
    service_settings: Any = None,
    transport: Transport | None = None,
) -> int:
    """Run `spec` until SIGTERM/SIGINT; returns the process exit code."""
    configure_logging(spec.name, settings.log_level)
    try:
        transport = transport or kafka_transport(settings)
    except ConfigurationError as error:
        log.error("%s", error)
        return EXIT_CONFIG
    own_settings = service_settings if service_settings is not None else spec.settings_type()
    async with spec.open_handler(own_settings) as handler:
        try:
            processor = processor_for(spec, handler, settings, transport)
        except ConfigurationError as error:
            log.error("%s", error)
            return EXIT_CONFIG
        port = spec.http_port if settings.http_port is None else settings.http_port
        return await _serve(processor, port, settings, transport)


async def _serve(
    processor: Processor[In], port: int, settings: RuntimeSettings, transport: Transport
) -> int:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    health = HealthServer(settings.http_host, port, ready=processor.ready.is_set)
    health.start()
    ticking = asyncio.create_task(_tick(health))
    work = asyncio.create_task(processor.run(stop))
    try:
        return await _until_done(work, stop, settings.shutdown_grace_s)
    finally:
        ticking.cancel()
        health.stop()
        await transport.close()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(signum)


async def _until_done(work: asyncio.Task[None], stop: asyncio.Event, grace_s: float) -> int:
    stopping = asyncio.create_task(stop.wait())
    await asyncio.wait({work, stopping}, return_when=asyncio.FIRST_COMPLETED)
    stopping.cancel()
    if not work.done():
        log.info("stopping: finishing in-flight work within %.0fs", grace_s)
        done, _ = await asyncio.wait({work}, timeout=grace_s)
        if not done:
            log.warning("grace period over: abandoning uncommitted work, it will be redelivered")
            work.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await work
            return EXIT_OK
    try:
        work.result()
    except TransportError as error:
        log.error("broker failure, exiting without committing: %s", error)
        return EXIT_BROKER
    log.info("stopped cleanly")
    return EXIT_OK


async def _tick(health: HealthServer) -> None:
    while True:
        health.tick()
        await asyncio.sleep(1.0)
