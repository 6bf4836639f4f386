"""Starting an aiokafka client with a deadline and an error an operator can act on.

aiokafka retries a bootstrap address that accepts TCP but does not answer
Kafka requests (an HTTP port, a TLS listener reached in PLAINTEXT, a broker
refusing the SASL handshake) until its request timeout, and then reports an
error whose text is often empty. Here every client start is bounded by the
connect timeout, and the failure names the address, how the client tried to
connect, and the likely causes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterator
from typing import Any

from aiokafka.errors import KafkaError

from services.runtime.errors import TransportError


def reason(error: BaseException) -> str:
    """An error's text, or its type when the text is empty (as aiokafka's often is)."""
    text = str(error).strip()
    name = type(error).__name__
    return f"{name}: {text}" if text and name not in text else (text or name)


def explain(
    bootstrap: str, how: str, error: BaseException | None, timeout_s: float, cause: str = ""
) -> str:
    """The one-line explanation of a client that could not start.

    `cause` is what aiokafka logged about the connection meanwhile: its
    exception only says "Unable to bootstrap", while the log line holds the
    reason (a failed SASL handshake, a TLS error).
    """
    if error is None or isinstance(error, TimeoutError):
        detail = f"no Kafka answer within {timeout_s:g}s"
    else:
        detail = reason(error)
    if cause:
        detail = cause  # says more than "Unable to bootstrap"
    hint = "is it a Kafka listener, and does LAUNCHWATCH_KAFKA_SECURITY_PROTOCOL match it?"
    if "Authentication" in detail or "SASL" in detail:
        hint = "check LAUNCHWATCH_KAFKA_SASL_MECHANISM, the user name and the password"
    elif "CERTIFICATE" in detail.upper():
        hint = "check LAUNCHWATCH_KAFKA_SSL_CAFILE (the CA that signed the brokers' certificates)"
    elif "Authorization" in detail:
        hint = "the user lacks an ACL for this operation"
    return f"cannot reach Kafka at {bootstrap} ({how}): {detail}; {hint}"


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(" ".join(record.getMessage().split()))


@contextlib.contextmanager
def _connection_errors() -> Iterator[_Collector]:
    """What aiokafka logs at WARNING or above while the block runs."""
    collector = _Collector()
    logger = logging.getLogger("aiokafka")
    logger.addHandler(collector)
    try:
        yield collector
    finally:
        logger.removeHandler(collector)


async def started(client: Any, *, bootstrap: str, how: str, timeout_s: float) -> None:
    """Start `client` within `timeout_s`; on failure close it and raise a clear TransportError."""
    with _connection_errors() as logged:
        try:
            await asyncio.wait_for(client.start(), timeout_s)
            return
        except (KafkaError, TimeoutError, OSError) as error:
            failure = error
    cause = logged.messages[-1] if logged.messages else ""
    shut = getattr(client, "stop", None) or client.close  # the admin client has close()
    with contextlib.suppress(KafkaError, TimeoutError, OSError):
        await asyncio.wait_for(shut(), 5)
    raise TransportError(explain(bootstrap, how, failure, timeout_s, cause)) from failure
