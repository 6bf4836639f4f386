"""A consumer outside Python reads what launchwatch writes: kcat against the real broker.

kcat (librdkafka) stands in for any downstream consumer: it must read the
zstd-compressed records, see the CloudEvents headers, and find a value that
validates against the exported JSON Schema of its type.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from schemas import LaunchAlert, decode
from services.runtime import KafkaTransport
from tests.conftest import TEST_KAFKA_OPTIONS
from tests.streams import Stream

pytestmark = [pytest.mark.kafka, pytest.mark.asyncio]

SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"


def kcat() -> str:
    found = shutil.which("kcat")
    if found is None:
        pytest.fail("kcat is not installed: `make tools` installs it (Debian package kcat)")
    return found


async def test_kcat_reads_a_record_and_its_value_validates_against_the_json_schema(
    kafka_bootstrap: str,
) -> None:
    stream = Stream(KafkaTransport(kafka_bootstrap, TEST_KAFKA_OPTIONS))
    await stream.create(LaunchAlert)
    sample = (SCHEMAS / "samples" / "LaunchAlert.v1.json").read_bytes()
    alert = decode(LaunchAlert, sample)
    await stream.write([alert])

    result = await asyncio.to_thread(
        subprocess.run,
        [
            kcat(),
            "-b",
            kafka_bootstrap,
            "-C",
            "-t",
            stream.name(LaunchAlert),
            "-o",
            "beginning",
            "-e",
            "-q",
            "-J",
            "-X",
            "isolation.level=read_committed",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    (line,) = result.stdout.splitlines()
    envelope = json.loads(line)
    headers = dict(zip(envelope["headers"][::2], envelope["headers"][1::2], strict=True))
    assert headers["ce_specversion"] == "1.0"
    assert headers["ce_type"] == "launchwatch.LaunchAlert.v1"
    assert headers["content-type"] == "application/json"
    assert envelope["key"] == alert.event_id

    schema = json.loads((SCHEMAS / "jsonschema" / "LaunchAlert.v1.schema.json").read_text())
    value = json.loads(envelope["payload"])
    errors = list(Draft202012Validator(schema).iter_errors(value))
    assert errors == []
    assert value["alert_id"] == alert.alert_id

    # And the check can fail: a value missing a required field is refused.
    del value["event_id"]
    assert list(Draft202012Validator(schema).iter_errors(value)) != []
