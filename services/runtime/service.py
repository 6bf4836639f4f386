"""Running a service as a process: the wiring every service shares.

A service declares a `ServiceSpec` (see `services.runtime.spec`); `serve` does
the rest: logs, the Kafka transport from the settings, one processor per
stage, the health and metrics server, and the shutdown. If one stage fails,
the others stop too and the process exits non-zero, so the orchestrator
restarts the whole service.

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
from typing import Any, TypeVar

from schemas import Message
from services.runtime.errors import ConfigurationError, MemberFenced, TransportError
from services.runtime.health import HealthServer, check_bindable
from services.runtime.http import AppServer, with_probes
from services.runtime.kafka import KafkaOptions, KafkaTransport
from services.runtime.logs import configure_logging
from services.runtime.processor import Processor, RetryPolicy
from services.runtime.routing import Routing
from services.runtime.settings import RuntimeSettings
from services.runtime.source import Source, SourceRunner
from services.runtime.spec import ServiceSpec, SourceSpec, Stage, StageContext, StageSpec
from services.runtime.transport import Transport
from services.runtime.view import ViewRunner, ViewSpec, view_app

In = TypeVar("In", bound=Message)
Row = TypeVar("Row", bound=Message)
Runner = Processor[Any] | SourceRunner[Any] | ViewRunner
"""One running stage: both kinds run until stopped and say when they are ready."""

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_BROKER = 1
EXIT_CONFIG = 2


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
            connect_timeout_s=settings.kafka_connect_timeout_s,
            security=settings.kafka_security(),
            group_instance_id=settings.instance_id(),
        ),
    )


def processor_for(
    service: ServiceSpec,
    stage: StageSpec[In],
    opened: Stage[In],
    settings: RuntimeSettings,
    transport: Transport,
) -> Processor[In]:
    exactly_once = stage.exactly_once if settings.exactly_once is None else settings.exactly_once
    if settings.retry_budget_s >= settings.max_poll_interval_s / 2:
        raise ConfigurationError(
            f"LAUNCHWATCH_RETRY_BUDGET_S ({settings.retry_budget_s}) must stay under half of "
            f"LAUNCHWATCH_MAX_POLL_INTERVAL_S ({settings.max_poll_interval_s}), or a member "
            "retrying one message would be evicted from its group"
        )
    return Processor(
        service=stage.name,
        consumes=stage.consumes,
        handler=opened.handler,
        transport=transport,
        routing=routing_for(service, settings),
        group_id=group_for(service, stage.name, settings),
        client_id=settings.client_id or f"{stage.name}-{socket.gethostname()}",
        exactly_once=exactly_once,
        retry=RetryPolicy(
            attempts=settings.handler_attempts,
            backoff_s=settings.retry_backoff_s,
            budget_s=settings.retry_budget_s,
        ),
        max_records=settings.max_poll_records,
        concurrency=stage.concurrency,
        on_assigned=opened.on_assigned,
    )


def group_for(service: ServiceSpec, stage_name: str, settings: RuntimeSettings) -> str:
    group = settings.group_id or f"launchwatch-{service.name}"
    return f"{group}.{stage_name}" if len(service.stages) > 1 else group


def source_runner_for(
    service: ServiceSpec,
    stage: SourceSpec[Row],
    source: Source[Row],
    settings: RuntimeSettings,
    transport: Transport,
) -> SourceRunner[Row]:
    return SourceRunner(
        service=stage.name,
        table=stage.table,
        source=source,
        transport=transport,
        routing=routing_for(service, settings),
        group_id=group_for(service, stage.name, settings),
        client_id=settings.client_id or f"{stage.name}-{socket.gethostname()}",
    )


def routing_for(service: ServiceSpec, settings: RuntimeSettings) -> Routing:
    return Routing(source=f"/launchwatch/{service.name}", prefix=settings.topic_prefix)


async def serve(
    service: ServiceSpec,
    settings: RuntimeSettings,
    service_settings: Any = None,
    transport: Transport | None = None,
) -> int:
    """Run `service` until SIGTERM/SIGINT; returns the process exit code."""
    configure_logging(service.name, settings.log_level)
    port = service.http_port if settings.http_port is None else settings.http_port
    try:
        check_bindable(settings.http_host, port)
        transport = transport or kafka_transport(settings)
    except ConfigurationError as error:
        log.error("%s", error)
        return EXIT_CONFIG
    # Stopping is asked for from the start: a SIGTERM that arrives while the stages are
    # still opening (connecting, rebuilding state) ends the process cleanly too.
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    try:
        async with contextlib.AsyncExitStack() as stack:
            opening = asyncio.create_task(
                open_runners(service, settings, service_settings, transport, stack)
            )
            stopping = asyncio.create_task(stop.wait())
            await asyncio.wait({opening, stopping}, return_when=asyncio.FIRST_COMPLETED)
            stopping.cancel()
            if not opening.done():
                log.info("stopped while starting")
                opening.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await opening
                await transport.close()
                return 0
            try:
                runners = opening.result()
            except ConfigurationError as error:
                log.error("%s", error)
                return EXIT_CONFIG
            return await _serve(runners, port, settings, transport, stop)
    finally:
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(signum)


async def open_runners(
    service: ServiceSpec,
    settings: RuntimeSettings,
    service_settings: Any,
    transport: Transport,
    stack: contextlib.AsyncExitStack,
) -> list[Runner]:
    """Open every stage of `service` (closed by `stack`) and its runner, ready to `run_all`.

    Raises `ConfigurationError` when a stage refuses its settings.
    """
    own = service_settings if service_settings is not None else service.settings_type()
    context = StageContext(transport, routing_for(service, settings))
    runners: list[Runner] = []
    for stage in service.stages:
        if isinstance(stage, SourceSpec):
            source = await stack.enter_async_context(stage.open(own, context))
            runners.append(source_runner_for(service, stage, source, settings, transport))
        elif isinstance(stage, ViewSpec):
            view = await stack.enter_async_context(stage.open(own, context))
            runners.append(
                ViewRunner(
                    service=stage.name,
                    spec=stage,
                    view=view,
                    transport=transport,
                    routing=context.routing,
                )
            )
        else:
            opened = await stack.enter_async_context(stage.open(own, context))
            runners.append(processor_for(service, stage, opened, settings, transport))
    return runners


async def _serve(
    processors: list[Runner],
    port: int,
    settings: RuntimeSettings,
    transport: Transport,
    stop: asyncio.Event,
) -> int:

    def ready() -> bool:
        return all(p.ready.is_set() for p in processors)

    app = view_app(processors)
    pages = None if app is None else AppServer(with_probes(app, ready), settings.http_host, port)
    health = HealthServer(settings.http_host, port, ready=ready)
    if pages is None:
        health.start()
    else:
        await pages.start()
    ticking = asyncio.create_task(_tick(health))
    work = asyncio.create_task(run_all(processors, stop))
    try:
        return await _until_done(work, stop, settings.shutdown_grace_s)
    finally:
        ticking.cancel()
        if pages is None:
            health.stop()
        else:
            await pages.stop()
        await transport.close()


async def run_all(processors: list[Runner], stop: asyncio.Event) -> None:
    """Run every stage until `stop`; the first to fail stops the others, and its error is raised."""
    tasks = [asyncio.create_task(processor.run(stop)) for processor in processors]
    try:
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
    finally:
        stop.set()
        await asyncio.gather(*tasks, return_exceptions=True)
    for task in done:
        task.result()


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
    except MemberFenced as error:
        log.warning("stopping: this replica's group instance id was taken over (%s)", error)
        return EXIT_OK
    except TransportError as error:
        log.error("broker failure, exiting without committing: %s", error)
        return EXIT_BROKER
    log.info("stopped cleanly")
    return EXIT_OK


async def _tick(health: HealthServer) -> None:
    while True:
        health.tick()
        await asyncio.sleep(1.0)
