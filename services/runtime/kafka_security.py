"""How every Kafka client of launchwatch authenticates and encrypts: one place, every client.

Producers, consumers, the admin client, the end-offset probe, the CLI and the
readiness of a service all build their connection from one `KafkaSecurity`, so
a secured cluster (TLS, SASL PLAIN or SCRAM, mutual TLS) is reached by all of
them or by none. The password never leaves this object: it is kept out of
``repr`` (and so out of logs, tracebacks and the settings dump), and
`describe` says how a client connects without it.

The password comes from a file (what a mounted Kubernetes secret gives) or,
for local runs, from the setting itself; the file wins when both are given.
"""

from __future__ import annotations

import dataclasses
import ssl
from pathlib import Path
from typing import Any

from services.runtime.errors import ConfigurationError

SECURITY_PROTOCOLS = ("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL")
SASL_MECHANISMS = ("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512")


@dataclasses.dataclass(frozen=True)
class KafkaSecurity:
    """The security settings of every Kafka client; PLAINTEXT by default."""

    protocol: str = "PLAINTEXT"
    sasl_mechanism: str | None = None
    sasl_username: str | None = None
    sasl_password: str | None = dataclasses.field(default=None, repr=False)
    sasl_password_file: str | None = None
    ssl_cafile: str | None = None
    ssl_certfile: str | None = None
    ssl_keyfile: str | None = None

    @property
    def uses_sasl(self) -> bool:
        return self.protocol.startswith("SASL_")

    @property
    def uses_tls(self) -> bool:
        return self.protocol in ("SSL", "SASL_SSL")

    def check(self) -> None:
        """Refuse combinations no broker would accept, naming the setting to fix."""
        if self.protocol not in SECURITY_PROTOCOLS:
            raise ConfigurationError(
                f"LAUNCHWATCH_KAFKA_SECURITY_PROTOCOL: {self.protocol!r} is not one of "
                + ", ".join(SECURITY_PROTOCOLS)
            )
        if self.uses_sasl:
            if self.sasl_mechanism not in SASL_MECHANISMS:
                raise ConfigurationError(
                    f"LAUNCHWATCH_KAFKA_SASL_MECHANISM: {self.protocol} needs one of "
                    + ", ".join(SASL_MECHANISMS)
                    + (f", not {self.sasl_mechanism!r}" if self.sasl_mechanism else "")
                )
            if not self.sasl_username:
                raise ConfigurationError(
                    f"LAUNCHWATCH_KAFKA_SASL_USERNAME: {self.protocol} needs a user name"
                )
            if not (self.sasl_password_file or self.sasl_password):
                raise ConfigurationError(
                    f"LAUNCHWATCH_KAFKA_SASL_PASSWORD_FILE: {self.protocol} needs a password "
                    "(or LAUNCHWATCH_KAFKA_SASL_PASSWORD for local runs)"
                )
            self.password()
        if bool(self.ssl_certfile) != bool(self.ssl_keyfile):
            raise ConfigurationError(
                "LAUNCHWATCH_KAFKA_SSL_CERTFILE and LAUNCHWATCH_KAFKA_SSL_KEYFILE: mutual TLS "
                "needs both the client certificate and its key"
            )
        for variable, path in (
            ("LAUNCHWATCH_KAFKA_SSL_CAFILE", self.ssl_cafile),
            ("LAUNCHWATCH_KAFKA_SSL_CERTFILE", self.ssl_certfile),
            ("LAUNCHWATCH_KAFKA_SSL_KEYFILE", self.ssl_keyfile),
        ):
            if path and not Path(path).is_file():
                raise ConfigurationError(f"{variable}: {path!r} is not a readable file")
        if self.uses_tls:
            self.ssl_context()

    def password(self) -> str | None:
        """The SASL password: the file's first line, else the setting."""
        if self.sasl_password_file:
            try:
                text = Path(self.sasl_password_file).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as error:
                raise ConfigurationError(
                    f"LAUNCHWATCH_KAFKA_SASL_PASSWORD_FILE: cannot read "
                    f"{self.sasl_password_file!r} ({type(error).__name__})"
                ) from None
            return text.splitlines()[0] if text.strip() else ""
        return self.sasl_password

    def ssl_context(self) -> ssl.SSLContext:
        """Server verification against the CA bundle (or the system's), client cert if given."""
        try:
            context = ssl.create_default_context(cafile=self.ssl_cafile)
            if self.ssl_certfile and self.ssl_keyfile:
                context.load_cert_chain(self.ssl_certfile, self.ssl_keyfile)
        except (OSError, ssl.SSLError) as error:
            raise ConfigurationError(
                f"LAUNCHWATCH_KAFKA_SSL_*: the CA bundle or client certificate cannot be "
                f"loaded ({error})"
            ) from None
        return context

    def client_options(self) -> dict[str, Any]:
        """Keyword arguments for any aiokafka client (producer, consumer, admin)."""
        options: dict[str, Any] = {"security_protocol": self.protocol}
        if self.uses_tls:
            options["ssl_context"] = self.ssl_context()
        if self.uses_sasl:
            options["sasl_mechanism"] = self.sasl_mechanism
            options["sasl_plain_username"] = self.sasl_username
            options["sasl_plain_password"] = self.password()
        return options

    def describe(self) -> str:
        """How clients connect, for logs and errors; never the password."""
        if not self.uses_sasl:
            return self.protocol
        return f"{self.protocol} {self.sasl_mechanism} as {self.sasl_username}"
