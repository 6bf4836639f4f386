"""Settings: flags over environment over defaults, clear errors, documented names."""

from __future__ import annotations

import argparse
import dataclasses
import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from services.runtime import ConfigurationError
from services.runtime.service import kafka_transport
from services.runtime.settings import RuntimeSettings, add_arguments, load, settings_table

DOCS = Path(__file__).resolve().parents[2] / "docs" / "settings.md"
BOOTSTRAP = {"LAUNCHWATCH_KAFKA_BOOTSTRAP": "kafka:9092"}


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_arguments(parser, RuntimeSettings)
    return parser.parse_args(argv)


def test_defaults_apply_when_nothing_is_given() -> None:
    settings = load(RuntimeSettings, parse(), {})
    assert settings == RuntimeSettings()
    assert settings.kafka_bootstrap is None
    assert settings.handler_attempts == 3


def test_environment_overrides_defaults_and_flags_override_environment() -> None:
    environ = {
        "LAUNCHWATCH_KAFKA_BOOTSTRAP": "kafka:9092",
        "LAUNCHWATCH_HTTP_PORT": "8082",
        "LAUNCHWATCH_RETRY_BUDGET_S": "12.5",
        "LAUNCHWATCH_EXACTLY_ONCE": "yes",
    }
    from_env = load(RuntimeSettings, parse(), environ)
    assert from_env.kafka_bootstrap == "kafka:9092"
    assert from_env.http_port == 8082
    assert from_env.retry_budget_s == 12.5
    assert from_env.exactly_once is True

    flagged = load(
        RuntimeSettings,
        parse("--kafka-bootstrap", "other:9092", "--http-port", "0", "--no-exactly-once"),
        environ,
    )
    assert flagged.kafka_bootstrap == "other:9092"
    assert flagged.http_port == 0
    assert flagged.exactly_once is False


@pytest.mark.parametrize(
    ("variable", "value"),
    [("LAUNCHWATCH_HTTP_PORT", "eighty"), ("LAUNCHWATCH_EXACTLY_ONCE", "maybe")],
)
def test_a_malformed_value_names_the_setting(variable: str, value: str) -> None:
    with pytest.raises(ConfigurationError, match=variable):
        load(RuntimeSettings, parse(), {variable: value})


def test_every_setting_has_help_and_the_documentation_is_current() -> None:
    from services.catalog import SERVICES, settings_reference

    kinds: list[Any] = [RuntimeSettings, *(spec.settings_type for spec in SERVICES.values())]
    for settings_type in kinds:
        for field in dataclasses.fields(settings_type):
            assert field.metadata.get("help"), field.name
    assert "`LAUNCHWATCH_KAFKA_BOOTSTRAP` | `--kafka-bootstrap`" in settings_table(RuntimeSettings)
    reference = settings_reference()
    for name in ("fetcher", "parser", "enricher"):
        assert f"## {name}" in reference
    assert DOCS.read_text() == reference, (
        "docs/settings.md is stale: python -m services.catalog > docs/settings.md"
    )


def test_a_retry_budget_that_would_outlast_the_poll_interval_is_refused() -> None:
    from schemas import Article
    from services.runtime import InMemoryTransport
    from services.runtime.service import processor_for
    from services.runtime.spec import ServiceSpec, Stage, StageSpec, plain

    stage = StageSpec(name="s", consumes=Article, open=plain(lambda a: []))
    spec = ServiceSpec(name="s", stages=(stage,), http_port=0)
    opened: Stage[Article] = Stage(lambda a: [])
    settings = RuntimeSettings(retry_budget_s=200, max_poll_interval_s=300)
    with pytest.raises(ConfigurationError, match="RETRY_BUDGET_S"):
        processor_for(spec, stage, opened, settings, InMemoryTransport())
    assert processor_for(spec, stage, opened, RuntimeSettings(), InMemoryTransport())


SECURED = {
    "LAUNCHWATCH_KAFKA_SECURITY_PROTOCOL": "SASL_SSL",
    "LAUNCHWATCH_KAFKA_SASL_MECHANISM": "SCRAM-SHA-512",
    "LAUNCHWATCH_KAFKA_SASL_USERNAME": "fetcher",
}


def test_secured_kafka_reaches_every_client_with_the_password_from_a_file(
    tmp_path: Path,
) -> None:
    secret = tmp_path / "password"
    secret.write_text("s3cret-from-file\n")
    settings = load(
        RuntimeSettings, parse(), {**SECURED, "LAUNCHWATCH_KAFKA_SASL_PASSWORD_FILE": str(secret)}
    )
    options = settings.kafka_security().client_options()
    assert options["security_protocol"] == "SASL_SSL"
    assert options["sasl_mechanism"] == "SCRAM-SHA-512"
    assert options["sasl_plain_username"] == "fetcher"
    assert options["sasl_plain_password"] == "s3cret-from-file"
    assert options["ssl_context"].verify_mode.name == "CERT_REQUIRED"
    from services.runtime.service import kafka_transport

    transport = kafka_transport(dataclasses.replace(settings, kafka_bootstrap="kafka:9093"))
    assert transport.connection["sasl_plain_password"] == "s3cret-from-file"


def test_secrets_stay_out_of_repr_help_and_the_documentation() -> None:
    settings = load(
        RuntimeSettings, parse(), {**SECURED, "LAUNCHWATCH_KAFKA_SASL_PASSWORD": "hunter2"}
    )
    assert settings.kafka_security().password() == "hunter2"
    assert "hunter2" not in repr(settings)
    assert "hunter2" not in repr(settings.kafka_security())
    assert "hunter2" not in settings.kafka_security().describe()
    parser = argparse.ArgumentParser()
    add_arguments(parser, RuntimeSettings)
    assert "hunter2" not in parser.format_help()
    assert "| none (secret) |" in settings_table(RuntimeSettings)


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"LAUNCHWATCH_KAFKA_SECURITY_PROTOCOL": "TLS"}, "not one of PLAINTEXT, SSL"),
        ({**SECURED, "LAUNCHWATCH_KAFKA_SASL_MECHANISM": "GSSAPI"}, "SASL_MECHANISM"),
        ({**SECURED}, "SASL_PASSWORD_FILE: SASL_SSL needs a password"),
        ({**SECURED, "LAUNCHWATCH_KAFKA_SASL_PASSWORD_FILE": "/nonexistent"}, "cannot read"),
        ({"LAUNCHWATCH_KAFKA_SSL_CERTFILE": "/etc/hostname"}, "needs both"),
        ({"LAUNCHWATCH_KAFKA_SSL_CAFILE": "/nonexistent.pem"}, "not a readable file"),
    ],
)
def test_security_settings_that_cannot_work_are_refused(
    environ: dict[str, str], message: str
) -> None:
    with pytest.raises(ConfigurationError, match=message):
        load(RuntimeSettings, parse(), environ)


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"LAUNCHWATCH_LOG_LEVEL": "verbose"}, "LOG_LEVEL.*not one of DEBUG, INFO"),
        ({"LAUNCHWATCH_COMPRESSION": "brotli"}, "COMPRESSION.*not one of zstd"),
        ({"LAUNCHWATCH_HTTP_PORT": "99999"}, "HTTP_PORT.*accepts 0 to 65535"),
        ({"LAUNCHWATCH_HANDLER_ATTEMPTS": "0"}, "HANDLER_ATTEMPTS.*accepts 1 or more"),
        ({"LAUNCHWATCH_RETRY_BACKOFF_S": "-1"}, "RETRY_BACKOFF_S.*accepts 0 or more"),
    ],
)
def test_values_out_of_range_name_the_variable_and_what_it_accepts(
    environ: dict[str, str], message: str
) -> None:
    with pytest.raises(ConfigurationError, match=message):
        load(RuntimeSettings, parse(), environ)


def test_choices_are_read_in_any_case() -> None:
    settings = load(RuntimeSettings, parse(), {"LAUNCHWATCH_LOG_LEVEL": "debug"})
    assert settings.log_level == "DEBUG"


def test_conventions_check_a_service_s_own_settings() -> None:
    from services.fetcher.settings import FetcherSettings

    with pytest.raises(ConfigurationError, match=r"POLL_MIN_S.*above LAUNCHWATCH_POLL_MAX_S"):
        load(
            FetcherSettings, None, {"LAUNCHWATCH_POLL_MIN_S": "600", "LAUNCHWATCH_POLL_MAX_S": "60"}
        )
    with pytest.raises(ConfigurationError, match=r"FETCH_ALLOW_NETWORKS.*'bogus' is not a network"):
        load(FetcherSettings, None, {"LAUNCHWATCH_FETCH_ALLOW_NETWORKS": "127.0.0.1/32, bogus"})
    with pytest.raises(ConfigurationError, match=r"FETCH_CONCURRENCY.*accepts 1 or more"):
        load(FetcherSettings, None, {"LAUNCHWATCH_FETCH_CONCURRENCY": "0"})


def test_an_unknown_variable_is_named_with_the_closest_known_one() -> None:
    from services.runtime.settings import known_variables
    from services.runtime.settings_rules import unknown_variables

    known = known_variables(RuntimeSettings) | {"LAUNCHWATCH_POLL_MIN_S"}
    warnings = unknown_variables(
        {"LAUNCHWATCH_POLL_MIN": "5", "LAUNCHWATCH_HTTP_PORT": "1", "PATH": "/bin"}, known
    )
    assert warnings == [
        "LAUNCHWATCH_POLL_MIN is not a launchwatch setting and is ignored;"
        " did you mean LAUNCHWATCH_POLL_MIN_S?"
    ]


BAD_SETTINGS = [
    ("fetcher", {"LAUNCHWATCH_LOG_LEVEL": "verbose"}, "LAUNCHWATCH_LOG_LEVEL"),
    ("parser", {"LAUNCHWATCH_COMPRESSION": "brotli"}, "LAUNCHWATCH_COMPRESSION"),
    ("fetcher", {"LAUNCHWATCH_FETCH_ALLOW_NETWORKS": "bogus"}, "LAUNCHWATCH_FETCH_ALLOW_NETWORKS"),
    ("parser", {"LAUNCHWATCH_HTTP_PORT": "99999"}, "LAUNCHWATCH_HTTP_PORT"),
    ("parser", {"LAUNCHWATCH_HTTP_PORT": "{busy}"}, "is in use"),
    ("parser", {"LAUNCHWATCH_PARSER_WORKERS": "-1"}, "LAUNCHWATCH_PARSER_WORKERS"),
    ("fetcher", {"LAUNCHWATCH_FETCH_CONCURRENCY": "0"}, "LAUNCHWATCH_FETCH_CONCURRENCY"),
    ("fetcher", {"LAUNCHWATCH_POLL_MIN_S": "-5"}, "LAUNCHWATCH_POLL_MIN_S"),
    (
        "fetcher",
        {"LAUNCHWATCH_POLL_MIN_S": "600", "LAUNCHWATCH_POLL_MAX_S": "60"},
        "LAUNCHWATCH_POLL_MIN_S",
    ),
    ("enricher", {"LAUNCHWATCH_KAFKA_SECURITY_PROTOCOL": "TLS"}, "SECURITY_PROTOCOL"),
]


def test_each_bad_setting_stops_the_process_with_one_line_and_exit_code_2() -> None:
    """Run as an operator would; nothing listens at the bootstrap address, and nothing
    needs to: a bad value must stop the process before it connects."""
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = str(busy.getsockname()[1])
        runs = [
            (
                subprocess.Popen(
                    [sys.executable, "-m", "services.cli", "run", service],
                    env={
                        **os.environ,
                        "LAUNCHWATCH_KAFKA_BOOTSTRAP": "127.0.0.1:9",
                        "LAUNCHWATCH_HTTP_HOST": "127.0.0.1",
                        "LAUNCHWATCH_HTTP_PORT": "0",
                        **{name: value.format(busy=port) for name, value in bad.items()},
                    },
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                ),
                expected,
            )
            for service, bad, expected in BAD_SETTINGS
        ]
        for process, expected in runs:
            _out, err = process.communicate(timeout=60)
            assert process.returncode == 2, (expected, err)
            lines = err.strip().splitlines()
            assert len(lines) == 1, lines
            assert expected in lines[0]
            assert "Traceback" not in err


def test_a_misspelt_variable_warns_with_the_closest_name() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "services.cli", "tail", "feeds"],
        env={**os.environ, "LAUNCHWATCH_POLL_MIN": "5"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert "LAUNCHWATCH_POLL_MIN is not a launchwatch setting" in result.stderr
    assert "did you mean LAUNCHWATCH_POLL_MIN_S?" in result.stderr


def test_the_group_instance_id_is_dynamic_by_default_and_fills_in_the_host_name() -> None:
    assert load(RuntimeSettings, parse(), {}).instance_id() is None
    pod = {"LAUNCHWATCH_GROUP_INSTANCE_ID": "enricher-7d9f-x2kq4"}
    assert load(RuntimeSettings, parse(), pod).instance_id() == "enricher-7d9f-x2kq4"
    replica = load(RuntimeSettings, parse("--group-instance-id", "parser-{hostname}"), {})
    assert replica.instance_id() == f"parser-{socket.gethostname()}"
    transport = kafka_transport(load(RuntimeSettings, parse(), {**pod, **BOOTSTRAP}))
    assert transport.options.group_instance_id == "enricher-7d9f-x2kq4"
    assert (
        kafka_transport(load(RuntimeSettings, parse(), BOOTSTRAP)).options.group_instance_id is None
    )


@pytest.mark.parametrize("value", ["two words", "pod/1", "x" * 250])
def test_a_group_instance_id_kafka_would_refuse_stops_the_process(value: str) -> None:
    with pytest.raises(ConfigurationError, match=r"GROUP_INSTANCE_ID.*letters, digits"):
        load(RuntimeSettings, parse(), {"LAUNCHWATCH_GROUP_INSTANCE_ID": value})
