"""Settings: flags over environment over defaults, clear errors, documented names."""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path
from typing import Any

import pytest

from services.runtime import ConfigurationError
from services.runtime.settings import RuntimeSettings, add_arguments, load, settings_table

DOCS = Path(__file__).resolve().parents[2] / "docs" / "settings.md"


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
