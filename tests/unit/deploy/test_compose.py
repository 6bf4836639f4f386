"""The compose file agrees with the code: services and their ports, commands, settings.

`tests/fixtures/compose-spec.json` is the Compose specification's JSON Schema
(`compose.schema.json` of the compose-spec project, Apache-2.0) as shipped in the
npm package dclint 3.1.0 (`schemas/compose.schema.json`). Nothing here starts a
container.
"""

from __future__ import annotations

import copy
import ipaddress
import json
import re
from typing import Any
from urllib.parse import urlsplit

import jsonschema
import pytest

from schemas import topic_named
from services.catalog import SERVICES
from services.fetcher.guard import parse_networks
from services.runtime.settings import RuntimeSettings, load
from services.sample_site import SampleSite
from tests.deploy_files import (
    ALERT_RECEIVER_SETTINGS,
    MOUNTED_FILE_SETTINGS,
    ROOT,
    STREAM_SERVICES,
    cli_args,
    compose,
    compose_services,
    environment,
    every_setting,
    is_launchwatch,
    known_settings,
    spec_of,
    stream_service_of,
)


def test_compose_file_follows_the_compose_specification() -> None:
    schema = json.loads((ROOT / "tests" / "fixtures" / "compose-spec.json").read_text())
    assert "draft-07" in schema["$schema"]
    validator = jsonschema.Draft7Validator(schema)
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(compose())]
    assert errors == []
    broken = copy.deepcopy(compose())
    broken["services"]["topics"]["depends_on"]["kafka"]["condition"] = "service_finished"
    broken["services"]["fetcher"]["restart"] = ["always"]
    caught = {tuple(error.absolute_path)[:2] for error in validator.iter_errors(broken)}
    assert caught == {("services", "topics"), ("services", "fetcher")}


def test_compose_runs_every_stream_service_of_the_catalog() -> None:
    running = {
        stream_service_of(service.get("command", [])) for service in compose_services().values()
    }
    assert set(STREAM_SERVICES) <= running
    assert set(SERVICES) == running - {None}


@pytest.mark.parametrize("name", sorted(compose()["services"]))
def test_compose_commands_are_valid_launchwatch_commands(name: str) -> None:
    service = compose_services()[name]
    if is_launchwatch(service):
        cli_args(service.get("command", []))


def test_stream_services_listen_on_their_default_ports() -> None:
    for name, service in compose_services().items():
        stream = stream_service_of(service.get("command", []))
        if stream is None:
            continue
        port = spec_of(stream).http_port
        assert environment(service).get("LAUNCHWATCH_HTTP_PORT") == str(port), name
        assert [str(p) for p in service.get("expose", [])] == [str(port)], name


def test_stream_services_can_be_scaled() -> None:
    for name, service in compose_services().items():
        if stream_service_of(service.get("command", [])):
            assert "container_name" not in service, f"{name}: a fixed name prevents --scale"
            for published in service.get("ports", []):
                host_port = str(published).rsplit(":", 1)[0].rsplit(":", 1)[-1]
                assert "-" in host_port, f"{name}: one host port clashes under --scale"


def test_stream_services_start_once_the_topics_exist() -> None:
    services = compose_services()
    creators = {
        name: s.get("profiles", [])
        for name, s in services.items()
        if is_launchwatch(s) and s.get("command", [])[:2] == ["topics", "create"]
    }
    assert creators == {"topics": [], "secured-topics": ["secured"]}
    assert services["topics"]["depends_on"]["kafka"]["condition"] == "service_healthy"
    assert services["topics"].get("restart") == "no"
    creator_of = {tuple(profiles): name for name, profiles in creators.items()}
    for name, service in services.items():
        command = service.get("command", [])
        if is_launchwatch(service) and (stream_service_of(command) or command[0] == "feeds"):
            creator = creator_of[tuple(service.get("profiles", []))]
            condition = service["depends_on"][creator]["condition"]
            assert condition == "service_completed_successfully", name


def test_every_image_is_pinned() -> None:
    for name, service in compose_services().items():
        image = str(service["image"])
        repository, _, tag = image.rpartition(":")
        assert repository, f"{name}: {image} names no tag"
        assert tag not in ("", "latest"), f"{name}: {image} is not pinned"
        if is_launchwatch(service):
            assert service["build"]["context"] == ".", name


def test_compose_environment_names_are_settings_of_the_service() -> None:
    for name, service in compose_services().items():
        if not is_launchwatch(service):
            continue
        env = environment(service)
        names = {k for k in env if k.startswith("LAUNCHWATCH_")}
        assert names == set(env), f"{name}: only LAUNCHWATCH_* variables are read"
        for variable in MOUNTED_FILE_SETTINGS:  # files that exist in the container only
            path = env.pop(variable, None)
            if path is not None:
                mounts = [str(v).split(":")[1] for v in service.get("volumes", [])]
                assert any(path.startswith(m + "/") for m in mounts), f"{name}: {path}"
        stream = stream_service_of(service["command"])
        types: list[type[Any]] = [RuntimeSettings]
        if stream is not None:
            types.append(spec_of(stream).settings_type)
        unknown = names - known_settings(*types)
        assert unknown == set(), f"{name}: no such setting"
        for settings_type in types:  # and the values are valid for their settings
            load(settings_type, environ=env)


def test_alert_receiver_settings_exist() -> None:
    missing = ALERT_RECEIVER_SETTINGS - every_setting()
    assert missing == set(), "the enricher's settings do not define them"


def test_the_enricher_delivers_to_the_compose_alertmanager() -> None:
    services = compose_services()
    url = urlsplit(environment(services["enricher"])["LAUNCHWATCH_ALERT_ALERTMANAGER_URL"])
    assert url.hostname == "alertmanager"
    assert url.hostname in services
    assert url.port == 9093
    assert "profiles" not in services["alertmanager"], "the default setup delivers alerts"
    for observability in ("prometheus", "grafana"):
        assert services[observability]["profiles"] == ["observability"]


def test_feeds_subscribed_are_the_sample_site_feeds() -> None:
    services = compose_services()
    site = cli_args(services["sample-site"]["command"])
    # The site writes the address it listens on into its feeds, so it must listen on
    # an address the fetcher reaches: its own compose name.
    assert site.host == "sample-site"
    with SampleSite("127.0.0.1", 0) as running:
        feed_paths = {urlsplit(url).path for url in running.feed_urls}
    feeds = cli_args(services["feeds"]["command"])
    assert feeds.action == "add"
    assert {urlsplit(url).path for url in feeds.urls} == feed_paths
    for url in feeds.urls:
        assert urlsplit(url).hostname == "sample-site"
        assert urlsplit(url).port == site.port
    assert services["feeds"]["depends_on"]["sample-site"]["condition"] == "service_healthy"


def test_the_fetcher_may_reach_the_compose_network() -> None:
    env = environment(compose_services()["fetcher"])
    networks = parse_networks(env["LAUNCHWATCH_FETCH_ALLOW_NETWORKS"])
    # Docker's default address pools for compose networks.
    for address in ("172.18.0.5", "172.31.255.2", "192.168.16.3"):
        assert any(ipaddress.ip_address(address) in n for n in networks), address
    assert not any(ipaddress.ip_address("8.8.8.8") in n for n in networks)


def test_topics_named_in_compose_exist() -> None:
    for service in compose_services().values():
        if is_launchwatch(service) and service["command"][0] == "tail":
            args = cli_args(service["command"])
            topic_named(args.topic)


def test_services_stop_within_their_grace_period() -> None:
    for name, service in compose_services().items():
        if stream_service_of(service.get("command", [])):
            grace = load(RuntimeSettings, environ=environment(service)).shutdown_grace_s
            stop = re.fullmatch(r"(\d+)s", str(service["stop_grace_period"]))
            assert stop is not None
            assert int(stop.group(1)) >= grace + 5, name


def test_long_running_services_have_healthchecks() -> None:
    for name, service in compose_services().items():
        one_shot = service.get("restart") == "no"
        check = service.get("healthcheck", {})
        if one_shot:
            assert check.get("disable") is True, f"{name} exits; a health check means nothing"
        elif is_launchwatch(service) and stream_service_of(service["command"]):
            assert not check, f"{name}: the image's check probes its /healthz"
        elif is_launchwatch(service) and service["command"][0] == "tail":
            assert check.get("disable") is True, name
        else:
            assert check.get("test"), f"{name} has no health check"


def test_files_mounted_into_containers_exist() -> None:
    for name, service in compose_services().items():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("."):
                assert (ROOT / source).exists(), f"{name}: {source}"
