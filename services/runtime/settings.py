"""Settings from flags, `LAUNCHWATCH_*` environment variables and defaults, in that order.

A settings class is a frozen dataclass whose fields carry their help text.
Every field ``foo_bar`` is read from the flag ``--foo-bar`` or the variable
``LAUNCHWATCH_FOO_BAR``, so compose files, Kubernetes manifests and a shell
all speak the same names. `settings_table` renders the documentation, which
is checked in (docs/settings.md) and tested to be current.

Every value is checked when it is loaded (see `services.runtime.settings_rules`),
so a bad one stops a process before it listens or connects. Secrets (a field
made with ``secret=True``) are kept out of ``repr``, the settings table and
``--help``.
"""

from __future__ import annotations

import argparse
import dataclasses
import re
import socket
import types
import typing
from collections.abc import Mapping
from typing import Any, TypeVar

from services.runtime.errors import ConfigurationError
from services.runtime.kafka_security import SASL_MECHANISMS, SECURITY_PROTOCOLS, KafkaSecurity
from services.runtime.settings_rules import check_pairs, check_value

S = TypeVar("S")

ENV_PREFIX = "LAUNCHWATCH_"
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


_INSTANCE_ID = re.compile(r"[A-Za-z0-9._-]{1,249}")
"""What Kafka accepts as a group instance id."""

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
COMPRESSIONS = ("zstd", "lz4", "gzip", "snappy", "none")


def setting(
    default: Any,
    help: str,
    *,
    choices: tuple[str, ...] | None = None,
    minimum: float | None = None,
    maximum: float | None = None,
    secret: bool = False,
) -> Any:
    """A settings field: its default, one line for --help and the docs, and what it accepts.

    Numbers also follow the conventions of `services.runtime.settings_rules`.
    A secret never appears in ``repr`` (logs, tracebacks) or the documentation.
    """
    metadata = {"help": help, "choices": choices, "minimum": minimum, "maximum": maximum}
    return dataclasses.field(
        default=default, metadata=metadata | {"secret": secret}, repr=not secret
    )


def env_name(field_name: str) -> str:
    return ENV_PREFIX + field_name.upper()


def flag_name(field_name: str) -> str:
    return "--" + field_name.replace("_", "-")


@dataclasses.dataclass(frozen=True)
class RuntimeSettings:
    """What every service process shares."""

    kafka_bootstrap: str | None = setting(None, "Kafka bootstrap servers, host:port[,...]")
    kafka_security_protocol: str = setting(
        "PLAINTEXT",
        "PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL, for every Kafka client",
        choices=SECURITY_PROTOCOLS,
    )
    kafka_sasl_mechanism: str | None = setting(
        None, "PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512 (SASL_* protocols)", choices=SASL_MECHANISMS
    )
    kafka_sasl_username: str | None = setting(None, "SASL user name")
    kafka_sasl_password_file: str | None = setting(
        None, "file holding the SASL password (a mounted secret); wins over the password"
    )
    kafka_sasl_password: str | None = setting(
        None, "the SASL password itself, for local runs", secret=True
    )
    kafka_ssl_cafile: str | None = setting(
        None, "CA bundle (PEM) that signed the brokers' certificates; default the system's"
    )
    kafka_ssl_certfile: str | None = setting(None, "client certificate (PEM), for mutual TLS")
    kafka_ssl_keyfile: str | None = setting(None, "client key (PEM), for mutual TLS")
    kafka_connect_timeout_s: float = setting(
        15.0, "time allowed to reach the brokers before giving up with a clear error", minimum=1
    )
    http_host: str = setting(
        "0.0.0.0",
        "bind address of the /healthz /readyz /metrics server; 127.0.0.1 keeps it local",
    )
    http_port: int | None = setting(
        None, "port of that server; 0 picks a free one (logged); default per service"
    )
    topic_prefix: str = setting("", "prefix of every topic name, to share a cluster")
    group_id: str | None = setting(None, "consumer group; default launchwatch-<service>")
    client_id: str | None = setting(None, "Kafka client id; default <service>-<hostname>")
    group_instance_id: str = setting(
        "",
        "stable id of this replica for static group membership (the pod name in Kubernetes;"
        " {hostname} is replaced by the host name); empty = dynamic membership",
    )
    exactly_once: bool | None = setting(
        None, "Kafka transactions per input partition; default per service"
    )
    handler_attempts: int = setting(3, "calls of a failing handler before dead-lettering")
    retry_backoff_s: float = setting(0.2, "first retry delay, doubled on each attempt")
    retry_budget_s: float = setting(30.0, "longest time spent retrying one message")
    max_poll_records: int = setting(100, "records taken per poll")
    session_timeout_s: float = setting(10.0, "group session timeout")
    max_poll_interval_s: float = setting(300.0, "longest time between polls before eviction")
    compression: str = setting(
        "zstd", "producer compression: zstd, lz4, gzip, snappy or none", choices=COMPRESSIONS
    )
    replication_factor: int = setting(0, "replicas of created topics; 0 = min(3, brokers)")
    shutdown_grace_s: float = setting(20.0, "time allowed to finish in-flight work on SIGTERM")
    log_level: str = setting("INFO", "DEBUG, INFO, WARNING or ERROR", choices=LOG_LEVELS)

    def check(self) -> None:
        """Checks across fields, run by `load` after each value passed its own."""
        self.kafka_security().check()
        instance = self.instance_id()
        if instance is not None and not _INSTANCE_ID.fullmatch(instance):
            raise ConfigurationError(
                f"{env_name('group_instance_id')} ({flag_name('group_instance_id')}): "
                f"{instance!r} is not valid; accepts up to 249 letters, digits, '.', '_' and '-'"
                " (a pod name, a host name)"
            )

    def instance_id(self) -> str | None:
        """This replica's group instance id, ``{hostname}`` filled in; None when dynamic."""
        value = self.group_instance_id.strip().replace("{hostname}", socket.gethostname())
        return value or None

    def kafka_security(self) -> KafkaSecurity:
        return KafkaSecurity(
            protocol=self.kafka_security_protocol,
            sasl_mechanism=self.kafka_sasl_mechanism,
            sasl_username=self.kafka_sasl_username,
            sasl_password=self.kafka_sasl_password,
            sasl_password_file=self.kafka_sasl_password_file,
            ssl_cafile=self.kafka_ssl_cafile,
            ssl_certfile=self.kafka_ssl_certfile,
            ssl_keyfile=self.kafka_ssl_keyfile,
        )


CLIENT_SETTINGS = frozenset(
    {
        "kafka_bootstrap",
        "kafka_security_protocol",
        "kafka_sasl_mechanism",
        "kafka_sasl_username",
        "kafka_sasl_password_file",
        "kafka_sasl_password",
        "kafka_ssl_cafile",
        "kafka_ssl_certfile",
        "kafka_ssl_keyfile",
        "kafka_connect_timeout_s",
        "topic_prefix",
    }
)
"""The runtime settings of a command that only talks to Kafka (tail, feeds, topics)."""


def add_arguments(
    parser: argparse.ArgumentParser,
    settings_type: type[Any],
    only: frozenset[str] | None = None,
) -> None:
    """Add one flag per field of `settings_type` (or of `only` among them); unset flags
    fall back to the environment."""
    for field in dataclasses.fields(settings_type):
        if only is not None and field.name not in only:
            continue
        kind = _base_type(settings_type, field.name)
        help_text = f"{field.metadata.get('help', '')} [env {env_name(field.name)}]"
        if kind is bool:
            parser.add_argument(
                flag_name(field.name),
                dest=field.name,
                action=argparse.BooleanOptionalAction,
                default=None,
                help=help_text,
            )
        else:
            parser.add_argument(
                flag_name(field.name), dest=field.name, default=None, help=help_text
            )


def load(
    settings_type: type[S],
    flags: argparse.Namespace | None = None,
    environ: Mapping[str, str] | None = None,
    **overrides: Any,
) -> S:
    """Build settings: `overrides`, then flags, then environment, then defaults."""
    environ = environ if environ is not None else {}
    values: dict[str, Any] = {}
    for field in dataclasses.fields(settings_type):  # type: ignore[arg-type]
        raw: Any = getattr(flags, field.name, None) if flags is not None else None
        if raw is None:
            raw = environ.get(env_name(field.name))
        if field.name in overrides:
            raw = overrides[field.name]
        if raw is None:
            continue
        values[field.name] = _canonical(field, _convert(settings_type, field.name, raw))
        check_value(field, values[field.name], _describe(field.name))
    settings = settings_type(**values)
    check_pairs(settings, _describe)
    check = getattr(settings, "check", None)
    if check is not None:
        check()
    return settings


def known_variables(*settings_types: type[Any]) -> set[str]:
    """The variables the given settings classes read."""
    return {env_name(f.name) for t in settings_types for f in dataclasses.fields(t)}


def _canonical(field: dataclasses.Field[Any], value: Any) -> Any:
    """A choice in any case (``info``, ``sasl_ssl``) as the choice is spelt."""
    for choice in field.metadata.get("choices") or ():
        if isinstance(value, str) and value.upper() == choice.upper():
            return choice
    return value


def _describe(name: str) -> str:
    return f"{env_name(name)} ({flag_name(name)})"


def settings_table(settings_type: type[Any]) -> str:
    """A Markdown table of the settings: variable, flag, default, meaning."""
    rows = ["| variable | flag | default | meaning |", "|---|---|---|---|"]
    for field in dataclasses.fields(settings_type):
        default = "none" if field.default is None else f"`{field.default}`"
        if field.metadata.get("secret"):
            default = "none (secret)"
        elif field.default == "":
            default = "empty"
        rows.append(
            f"| `{env_name(field.name)}` | `{flag_name(field.name)}` | {default} "
            f"| {field.metadata.get('help', '')} |"
        )
    return "\n".join(rows) + "\n"


def _base_type(settings_type: type[Any], name: str) -> type[Any]:
    hint = typing.get_type_hints(settings_type)[name]
    if isinstance(hint, types.UnionType):
        (hint,) = [arg for arg in typing.get_args(hint) if arg is not type(None)]
    assert isinstance(hint, type)
    return hint


def _convert(settings_type: type[Any], name: str, raw: Any) -> Any:
    kind = _base_type(settings_type, name)
    if isinstance(raw, kind):
        return raw
    text = str(raw).strip()
    try:
        if kind is bool:
            if text.lower() in _TRUE:
                return True
            if text.lower() in _FALSE:
                return False
            raise ValueError("expected true or false")
        return kind(text)
    except ValueError:
        accepts = {bool: "true or false", int: "a whole number", float: "a number"}
        raise ConfigurationError(
            f"{_describe(name)}: {text!r} is not valid; accepts {accepts.get(kind, kind.__name__)}"
        ) from None
