"""The deployment files agree with the code: compose, image, Kubernetes, Prometheus, Grafana.

Nothing here starts a container: every file is parsed and checked against its
schema and against what the code says (services and their ports, settings,
topics, metrics), so a renamed setting, topic or metric breaks a test here
instead of a deployment.

`tests/fixtures/compose-spec.json` is the Compose specification's JSON Schema
(`compose.schema.json` of the compose-spec project, Apache-2.0) as shipped in the
npm package dclint 3.1.0 (`schemas/compose.schema.json`). Kubernetes schemas come
from the kubernetes-validate package; the Strimzi and KEDA resources, whose
schemas it lacks, are checked against the fields their operators read.
"""

from __future__ import annotations

import ast
import copy
import dataclasses
import importlib
import ipaddress
import json
import re
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jsonschema
import kubernetes_validate  # type: ignore[import-untyped]
import pytest
import yaml
from prometheus_client import REGISTRY
from prometheus_client.metrics import MetricWrapperBase

from deploy import access, generate, monitoring
from schemas import TOPICS, FeedStatus, topic_named
from services.catalog import SERVICES
from services.cli import build_parser
from services.fetcher.guard import parse_networks
from services.runtime.health import HealthServer
from services.runtime.settings import RuntimeSettings, env_name, load
from services.runtime.spec import ServiceSpec
from services.sample_site import SampleSite

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
K8S_BASE = DEPLOY / "k8s" / "base"
KUBERNETES_VERSION = "1.33"
STREAM_SERVICES = ("fetcher", "parser", "enricher", "web")
ALERT_RECEIVER_SETTINGS = frozenset(
    {
        "LAUNCHWATCH_ALERT_WEBHOOK_URL",
        "LAUNCHWATCH_ALERT_SLACK_URL",
        "LAUNCHWATCH_ALERT_ALERTMANAGER_URL",
    }
)
DELIVERY_OUTCOMES = frozenset({"delivered", "retry", "failed", "expired"})
"""Values of the `outcome` label of launchwatch_alert_deliveries_total."""
PROMETHEUS_METRICS = frozenset({"up"})
"""Series Prometheus makes itself, which rules may use beside launchwatch's."""
PROMETHEUS_LABELS = frozenset({"instance", "job", "le", "namespace"})
"""Labels Prometheus gives every series: of its target (`namespace` under the Prometheus
operator; absent under compose, where `namespace=~".*"` still matches) and `le`."""
RUNBOOKS = "https://github.com/launchwatch/launchwatch/blob/main/docs/operations.md"


# --- loading ------------------------------------------------------------------------------


def read_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def read_yaml_documents(path: Path) -> list[dict[str, Any]]:
    return [doc for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")) if doc]


@cache
def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = read_yaml(ROOT / "docker-compose.yml")
    return loaded


def compose_services() -> dict[str, dict[str, Any]]:
    services: dict[str, dict[str, Any]] = compose()["services"]
    return services


def interpolate(value: str) -> str:
    """Compose variable interpolation, with the defaults given in the file."""
    return re.sub(
        r"\$\{(\w+)(?::?-([^}]*))?\}", lambda m: m.group(2) or "", value.replace("$$", "$")
    )


def environment(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment", {})
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {str(k): interpolate(str(v)) for k, v in env.items()}


def is_launchwatch(service: dict[str, Any]) -> bool:
    return str(service.get("image", "")).startswith("launchwatch:")


def cli_args(command: list[str]) -> Any:
    """`command` parsed by the real `launchwatch` parser; a usage error fails the test."""
    try:
        return build_parser().parse_args(command)
    except SystemExit:
        pytest.fail(f"`launchwatch {' '.join(command)}` is not a valid command")


def stream_service_of(command: list[str]) -> str | None:
    return command[1] if len(command) >= 2 and command[0] == "run" else None


def spec_of(name: str) -> ServiceSpec:
    assert name in SERVICES, f"{name!r} is deployed but `launchwatch run` does not know it"
    return SERVICES[name]


def known_settings(*settings_types: type[Any]) -> set[str]:
    return {env_name(f.name) for t in settings_types for f in dataclasses.fields(t)}


def every_setting() -> set[str]:
    return known_settings(RuntimeSettings, *(spec.settings_type for spec in SERVICES.values()))


@cache
def k8s_documents() -> list[tuple[Path, dict[str, Any]]]:
    found: list[tuple[Path, dict[str, Any]]] = []
    for path in sorted((DEPLOY / "k8s").rglob("*.yaml")):
        if path.name == "kustomization.yaml":
            continue
        found.extend((path, doc) for doc in read_yaml_documents(path))
    return found


def k8s_of_kind(kind: str) -> list[dict[str, Any]]:
    return [doc for _, doc in k8s_documents() if doc["kind"] == kind]


def deployments() -> dict[str, dict[str, Any]]:
    return {doc["metadata"]["name"]: doc for doc in k8s_of_kind("Deployment")}


def only_container(deployment: dict[str, Any]) -> dict[str, Any]:
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    assert isinstance(container, dict)
    return container


def config_maps() -> dict[str, dict[str, str]]:
    return {doc["metadata"]["name"]: doc.get("data", {}) for doc in k8s_of_kind("ConfigMap")}


def deployment_environment(deployment: dict[str, Any]) -> dict[str, str]:
    """The variables a Deployment's container gets from its ConfigMaps and `env`."""
    container = only_container(deployment)
    env: dict[str, str] = {}
    for source in container.get("envFrom", []):
        if "configMapRef" in source:
            ref = source["configMapRef"]
            maps = config_maps()
            if ref.get("optional") and ref["name"] not in maps:
                continue
            assert ref["name"] in maps, f"ConfigMap {ref['name']} is not in the manifests"
            env.update(maps[ref["name"]])
    for item in container.get("env", []):
        env[item["name"]] = item.get("value", "")
    return mounted_files_checked(deployment, env)


MOUNTED_FILE_SETTINGS = {
    "LAUNCHWATCH_KAFKA_SASL_PASSWORD_FILE": ("LAUNCHWATCH_KAFKA_SASL_PASSWORD", "from-secret"),
    "LAUNCHWATCH_KAFKA_SSL_CAFILE": None,
}
"""Settings naming files that a Secret provides in the cluster, and what stands in for them
here (the files exist only in a pod): a password given directly, the system's CA bundle."""


def mounted_files_checked(deployment: dict[str, Any], env: dict[str, str]) -> dict[str, str]:
    """`env` with each file setting checked to lie in a mounted Secret, then stood in for."""
    pod = deployment["spec"]["template"]["spec"]
    secrets = {v["name"] for v in pod.get("volumes", []) if "secret" in v}
    mounts = [
        m["mountPath"]
        for m in only_container(deployment).get("volumeMounts", [])
        if m["name"] in secrets
    ]
    for name, stand_in in MOUNTED_FILE_SETTINGS.items():
        path = env.pop(name, None)
        if path is None:
            continue
        assert any(path.startswith(mount + "/") for mount in mounts), f"{name}={path} not mounted"
        if stand_in is not None:
            env[stand_in[0]] = stand_in[1]
    return env


@cache
def rules() -> list[dict[str, Any]]:
    found = []
    for path in sorted((DEPLOY / "prometheus" / "rules").glob("*.yml")):
        for group in read_yaml(path)["groups"]:
            found.extend(group["rules"])
    return found


@cache
def dashboard() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(
        (DEPLOY / "grafana" / "dashboards" / "launchwatch.json").read_text(encoding="utf-8")
    )
    return loaded


def dashboard_panels() -> list[dict[str, Any]]:
    panels: list[dict[str, Any]] = dashboard()["panels"]
    return [p for p in panels if p["type"] != "row"]


def dashboard_expressions() -> list[str]:
    return [t["expr"] for p in dashboard_panels() for t in p["targets"]]


def dockerfile() -> str:
    return (ROOT / "Dockerfile").read_text(encoding="utf-8")


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of the Dockerfile, continuation lines joined."""
    text = re.sub(r"\\\n", " ", dockerfile())
    found = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            found.append((word.upper(), rest.strip()))
    return found


def dockerfile_uid() -> int:
    (user,) = [args for word, args in dockerfile_instructions() if word == "USER"]
    return int(user.split(":")[0])


def healthcheck_code() -> str:
    (check,) = [args for word, args in dockerfile_instructions() if word == "HEALTHCHECK"]
    command: list[str] = json.loads(check.split("CMD", 1)[1])
    assert command[:2] == ["python", "-c"]
    return command[2]


# --- the metrics the code exposes -----------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Exposed:
    series: frozenset[str]
    """Every series name /metrics can show (counters with _total, histograms with _bucket)."""
    labels: dict[str, frozenset[str]]
    """Label names of each series."""


@cache
def exposed_metrics() -> Exposed:
    # Importing the services registers their metrics; metrics modules are imported too,
    # in case a service defines metrics the catalog does not import yet.
    for path in sorted((ROOT / "services").rglob("metrics.py")):
        importlib.import_module(".".join(path.relative_to(ROOT).with_suffix("").parts))
    suffixes = {
        "counter": ("_total", "_created"),
        "gauge": ("",),
        "histogram": ("_bucket", "_count", "_sum", "_created"),
        "summary": ("", "_count", "_sum", "_created"),
        "info": ("_info",),
    }
    label_names: dict[str, frozenset[str]] = {}
    for module in [m for name, m in sys.modules.items() if name.startswith("services.")]:
        for value in vars(module).values():
            if isinstance(value, MetricWrapperBase):
                for family in value.describe():
                    label_names[family.name] = frozenset(value._labelnames)
    series: dict[str, frozenset[str]] = {}
    for family in REGISTRY.collect():
        if not family.name.startswith("launchwatch_"):
            continue
        for suffix in suffixes.get(family.type, ("",)):
            extra = {"le"} if suffix == "_bucket" else set()
            series[family.name + suffix] = label_names.get(family.name, frozenset()) | extra
    return Exposed(frozenset(series), series)


def metric_names(expr: str) -> set[str]:
    return set(re.findall(r"\blaunchwatch_[a-zA-Z0-9_]+", expr))


def aggregation_labels(expr: str) -> set[str]:
    """Label names of `by (...)`, `without (...)`, `on (...)` and `ignoring (...)` clauses."""
    found: set[str] = set()
    for group in re.findall(r"\b(?:by|without|on|ignoring)\s*\(([^)]*)\)", expr):
        found.update(label.strip() for label in group.split(",") if label.strip())
    return found


def matchers(expr: str) -> list[tuple[str, str, str]]:
    """(label, operator, value) of every label matcher in `expr`."""
    return re.findall(r"(\w+)\s*(=~|!~|!=|=)\s*\"([^\"]*)\"", expr)


def expression_problems(expr: str) -> list[str]:
    """What in a PromQL expression does not exist in the code."""
    exposed = exposed_metrics()
    names = metric_names(expr)
    problems = [f"unknown metric {name}" for name in sorted(names - exposed.series)]
    if not names and not any(re.search(rf"\b{m}\b", expr) for m in PROMETHEUS_METRICS):
        problems.append("names no launchwatch metric")
    available = set(PROMETHEUS_LABELS)
    for name in names & exposed.series:
        available |= exposed.labels[name]
    used = aggregation_labels(expr) | {label for label, _, _ in matchers(expr)}
    problems += [f"label {label!r} is on none of its metrics" for label in sorted(used - available)]
    return problems


# --- compose -----------------------------------------------------------------------------


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


def listener_protocols(listeners: str, protocol_map: str) -> dict[str, str]:
    """Advertised address -> security protocol, from Kafka's listener settings."""
    protocols = dict(item.split(":", 1) for item in protocol_map.split(","))
    return {
        address.removeprefix("//"): protocols[listener]
        for listener, address in (item.split(":", 1) for item in listeners.split(","))
    }


def secured_broker_settings() -> dict[str, str]:
    """The properties compose-secured.sh writes, as far as the compose file relies on them."""
    script = (DEPLOY / "kafka" / "compose-secured.sh").read_text(encoding="utf-8")
    return dict(re.findall(r"^([a-z.]+)=(.*)$", script, re.MULTILINE))


def test_every_launchwatch_process_reaches_the_compose_broker() -> None:
    kafka = compose_services()["kafka"]["environment"]
    secured = secured_broker_settings()
    advertised = listener_protocols(
        kafka["KAFKA_ADVERTISED_LISTENERS"], kafka["KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"]
    ) | listener_protocols(
        secured["advertised.listeners"], secured["listener.security.protocol.map"]
    )
    for name, service in compose_services().items():
        if is_launchwatch(service) and service["command"][0] != "sample-site":
            env = environment(service)
            bootstrap = env.get("LAUNCHWATCH_KAFKA_BOOTSTRAP")
            protocol = env.get("LAUNCHWATCH_KAFKA_SECURITY_PROTOCOL", "PLAINTEXT")
            assert advertised.get(str(bootstrap)) == protocol, name
            host = str(bootstrap).split(":")[0]
            assert host in compose_services(), name
            assert compose_services()[host].get("profiles", []) == service.get("profiles", [])


def test_kafka_image_is_the_broker_version_the_tests_run() -> None:
    pom = (DEPLOY / "kafka" / "pom.xml").read_text(encoding="utf-8")
    version = re.search(r"<kafka.version>(.+)</kafka.version>", pom)
    assert version is not None
    assert compose_services()["kafka"]["image"] == f"apache/kafka:{version.group(1)}"
    assert compose_services()["kafka"]["environment"]["KAFKA_PROCESS_ROLES"] == (
        "broker,controller"
    )


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


def secured_users() -> dict[str, str]:
    users = compose_services()["kafka-secured"]["environment"]["LAUNCHWATCH_KAFKA_SCRAM_USERS"]
    return dict(pair.split("=", 1) for pair in users.split(","))


def test_the_secured_profile_runs_each_user_with_only_its_grants() -> None:
    services = compose_services()
    assert set(secured_users()) == {"admin"} | {generate.user_name(u) for u in access.USERS}
    acls = (DEPLOY / "kafka" / "compose-acls.txt").read_text(encoding="utf-8")
    assert acls == generate.compose_acls_txt(), "run python deploy/generate.py"
    granted = {line.split()[0] for line in acls.splitlines() if not line.startswith("#")}
    assert granted == set(secured_users()) - {"admin"}, "admin is the super user, no one else"
    profiled = {name for name, s in services.items() if s.get("profiles") == ["secured"]}
    assert profiled == {"kafka-secured", "kafka-secured-acls", "secured-topics", "secured-feeds"}
    for name in profiled:
        env = environment(services[name])
        user = env.get("LAUNCHWATCH_KAFKA_SASL_USERNAME")
        if user is not None:
            assert env["LAUNCHWATCH_KAFKA_SASL_PASSWORD"] == secured_users()[user], name
    assert environment(services["secured-topics"])["LAUNCHWATCH_KAFKA_SASL_USERNAME"] == "admin"
    cli = environment(services["secured-feeds"])["LAUNCHWATCH_KAFKA_SASL_USERNAME"]
    assert cli == generate.user_name("cli"), "the CLI proves a least-privilege user gets in"
    guide = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    assert "docker compose --profile secured up" in guide


def test_the_secured_broker_is_set_up_before_anything_uses_it() -> None:
    services = compose_services()
    script = "./deploy/kafka:/opt/launchwatch:ro"
    for name, mode in (("kafka-secured", "broker"), ("kafka-secured-acls", "acls")):
        assert services[name]["image"] == services["kafka"]["image"]
        assert script in services[name]["volumes"]
        assert services[name]["entrypoint"] == [
            "/bin/bash",
            "/opt/launchwatch/compose-secured.sh",
            mode,
        ]
    chain = [("kafka-secured-acls", "kafka-secured", "service_healthy")]
    chain += [("secured-topics", "kafka-secured-acls", "service_completed_successfully")]
    chain += [("secured-feeds", "secured-topics", "service_completed_successfully")]
    for name, before, condition in chain:
        assert services[name]["depends_on"][before]["condition"] == condition, name
    subprocess.run(["bash", "-n", str(DEPLOY / "kafka" / "compose-secured.sh")], check=True)


def test_the_secured_broker_serves_its_ca_and_its_listeners_where_compose_says() -> None:
    services = compose_services()
    settings = secured_broker_settings()
    (data,) = [v for v in services["kafka-secured"]["volumes"] if v.startswith("kafka-secured-")]
    volume, broker_path = data.split(":")
    assert volume in compose()["volumes"]
    script = (DEPLOY / "kafka" / "compose-secured.sh").read_text(encoding="utf-8")
    assert f"data={broker_path}\n" in script
    for name in ("secured-topics", "secured-feeds"):
        (mount,) = [v for v in services[name]["volumes"] if v.startswith(volume + ":")]
        client_path = mount.split(":")[1]
        cafile = environment(services[name])["LAUNCHWATCH_KAFKA_SSL_CAFILE"]
        # The script writes the CA to $data/ca/ca.pem; the client sees $data at its mount.
        assert cafile == f"{client_path}/ca/ca.pem", name
        assert mount.endswith(":ro"), "clients only read the broker's volume"
    assert "keytool -exportcert -rfc -alias ca" in script
    assert '-file "$data/ca/ca.pem"' in script
    published = {str(p).rsplit(":", 1)[-1] for p in services["kafka-secured"]["ports"]}
    external = listener_protocols(
        settings["advertised.listeners"], settings["listener.security.protocol.map"]
    )
    assert external == {"kafka-secured:9092": "SASL_SSL", "localhost:9095": "SASL_SSL"}
    assert published == {"9095"}
    check = " ".join(services["kafka-secured"]["healthcheck"]["test"])
    assert "--bootstrap-server localhost:9095" in check
    assert settings["allow.everyone.if.no.acl.found"] == "false"
    assert settings["authorizer.class.name"].endswith("StandardAuthorizer")


def test_files_mounted_into_containers_exist() -> None:
    for name, service in compose_services().items():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("."):
                assert (ROOT / source).exists(), f"{name}: {source}"


# --- the image ----------------------------------------------------------------------------


def test_image_is_pinned_slim_python_3_11() -> None:
    (base,) = re.findall(r"^ARG PYTHON_IMAGE=(\S+)$", dockerfile(), re.MULTILINE)
    assert re.fullmatch(r"python:3\.11\.\d+-slim(-[a-z]+)?", base)
    froms = [args for word, args in dockerfile_instructions() if word == "FROM"]
    assert froms
    assert all(f.split()[0] == "${PYTHON_IMAGE}" for f in froms)


def test_image_runs_as_a_user_other_than_root() -> None:
    assert dockerfile_uid() >= 1000
    for deployment in deployments().values():
        pod = deployment["spec"]["template"]["spec"]["securityContext"]
        assert pod["runAsUser"] == dockerfile_uid()


def test_image_installs_the_locked_dependencies_and_the_package_without_development_tools() -> None:
    installs = [
        args for word, args in dockerfile_instructions() if word == "RUN" and "pip install" in args
    ]
    text = " && ".join(installs)
    # Every dependency from the runtime lock with its hashes; nothing resolved afterwards.
    assert "--require-hashes --no-deps -r requirements/app.txt" in text
    assert "requirements/dev.txt" not in text
    assert "[dev]" not in text
    assert " -e " not in text
    package = [args for args in installs if re.search(r"pip wheel .*--no-deps.* \.(\s|$)", args)]
    assert package, "launchwatch is built as a wheel from the source"
    assert re.search(r"pip install --no-deps /tmp/wheel/\*\.whl", package[0])


def test_the_lock_pins_every_dependency_and_the_dev_lock_agrees_with_it() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))

    def pins(name: str) -> dict[str, str]:
        text = (ROOT / "requirements" / name).read_text(encoding="utf-8")
        found = re.findall(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+) \\$", text, re.MULTILINE)
        assert "--hash=sha256:" in text
        return {re.sub(r"[-_.]+", "-", n).lower(): v for n, v in found}

    def names(requirements: list[str]) -> set[str]:
        return {
            re.sub(r"[-_.]+", "-", re.split(r"[\[<>=~!; ]", r)[0]).lower() for r in requirements
        }

    app, dev = pins("app.txt"), pins("dev.txt")
    assert names(pyproject["project"]["dependencies"]) <= set(app)
    assert names(pyproject["project"]["optional-dependencies"]["dev"]) <= set(dev)
    assert {name: dev[name] for name in app} == app
    build = pins("build.txt")
    assert names(pyproject["build-system"]["requires"]) <= set(build)


def test_image_entrypoint_is_the_launchwatch_command() -> None:
    (entrypoint,) = [args for word, args in dockerfile_instructions() if word == "ENTRYPOINT"]
    assert json.loads(entrypoint) == ["launchwatch"]
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["scripts"]["launchwatch"] == "services.cli:main"


def test_build_context_holds_what_the_image_copies() -> None:
    patterns = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert patterns[patterns.index("*") + 1 :], "everything else is excluded"
    included = {p[1:].rstrip("/") for p in patterns if p.startswith("!")}
    for word, args in dockerfile_instructions():
        if word == "COPY" and not args.startswith("--from"):
            *sources, _ = args.split()
            assert set(sources) <= included
            assert all((ROOT / s).exists() for s in sources)


def test_image_health_check_knows_the_service_ports() -> None:
    code = healthcheck_code()
    match = re.search(r"ports = (\{[^}]*\})", code)
    assert match is not None
    ports = ast.literal_eval(match.group(1))
    assert set(ports) == set(STREAM_SERVICES)
    assert ports == {name: str(spec.http_port) for name, spec in SERVICES.items()}


def run_health_check(port: int) -> int:
    env = {"LAUNCHWATCH_HTTP_PORT": str(port), "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-c", healthcheck_code()], env=env, timeout=30)
    return done.returncode


def test_image_health_check_passes_on_a_live_service_and_fails_on_a_stalled_one() -> None:
    server = HealthServer("127.0.0.1", 0, ready=lambda: True, stall_after_s=5)
    port = server.start()
    try:
        server.tick()
        assert run_health_check(port) == 0
        server._last_tick -= 60  # as if the event loop had been stuck for a minute
        assert run_health_check(port) != 0
    finally:
        server.stop()


# --- Kubernetes -----------------------------------------------------------------------------


def test_kustomizations_name_existing_files_and_every_manifest() -> None:
    base = read_yaml(K8S_BASE / "kustomization.yaml")
    listed = set(base["resources"])
    assert listed == {p.name for p in K8S_BASE.glob("*.yaml")} - {"kustomization.yaml"}
    for kustomization in (DEPLOY / "k8s").rglob("kustomization.yaml"):
        loaded = read_yaml(kustomization)
        for resource in loaded["resources"] + loaded.get("components", []):
            assert (kustomization.parent / resource).exists(), f"{kustomization}: {resource}"
    component = DEPLOY / "k8s" / "components" / "prometheus-operator"
    assert read_yaml(component / "kustomization.yaml")["resources"] == [
        monitoring.MONITORING_FILE.name
    ]
    example = read_yaml(DEPLOY / "k8s" / "overlays" / "example" / "kustomization.yaml")
    assert example["components"] == ["../../components/prometheus-operator"]


BUILTIN_API_GROUPS = ("v1", "apps/v1", "policy/v1", "networking.k8s.io/v1")


def builtin_documents() -> Iterator[Any]:
    for path, doc in k8s_documents():
        if doc["apiVersion"] in BUILTIN_API_GROUPS:
            yield pytest.param(doc, id=f"{path.name}:{doc['kind']}/{doc['metadata']['name']}")


@pytest.mark.parametrize("document", list(builtin_documents()))
def test_kubernetes_resources_follow_the_kubernetes_schema(document: dict[str, Any]) -> None:
    kubernetes_validate.validate(document, KUBERNETES_VERSION, strict=True)


def test_the_kubernetes_schema_check_catches_errors() -> None:
    deployment = copy.deepcopy(deployments()["parser"])
    only_container(deployment)["livenessprobe"] = {"httpGet": {"path": "/healthz"}}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, KUBERNETES_VERSION, strict=True)


def test_every_kubernetes_resource_is_a_known_kind() -> None:
    kinds = {(doc["apiVersion"], doc["kind"]) for _, doc in k8s_documents()}
    custom = {pair for pair in kinds if pair[0] not in BUILTIN_API_GROUPS}
    assert custom == {
        ("kafka.strimzi.io/v1beta2", "KafkaTopic"),
        ("kafka.strimzi.io/v1beta2", "KafkaUser"),
        ("keda.sh/v1alpha1", "ScaledObject"),
        ("keda.sh/v1alpha1", "TriggerAuthentication"),
        ("monitoring.coreos.com/v1", "ServiceMonitor"),
        ("monitoring.coreos.com/v1", "PrometheusRule"),
    }


def test_kafka_topics_are_generated_from_the_registry() -> None:
    checked_in = (K8S_BASE / "kafka-topics.yaml").read_text(encoding="utf-8")
    assert checked_in == generate.kafka_topics_yaml(), "run python deploy/generate.py"


def test_kafka_users_are_generated_and_each_service_pod_runs_as_its_own() -> None:
    checked_in = (K8S_BASE / "kafka-users.yaml").read_text(encoding="utf-8")
    assert checked_in == generate.kafka_users_yaml(), "run python deploy/generate.py"
    users = {doc["metadata"]["name"] for doc in read_yaml_documents(K8S_BASE / "kafka-users.yaml")}
    for name in access.SERVICES:
        container = only_container(deployments()[name])
        env = {item["name"]: item.get("value") for item in container["env"]}
        assert env["LAUNCHWATCH_KAFKA_SASL_USERNAME"] == generate.user_name(name)
        assert generate.user_name(name) in users
        secrets = {
            volume["secret"]["secretName"]
            for volume in deployments()[name]["spec"]["template"]["spec"]["volumes"]
            if "secret" in volume
        }
        assert generate.user_name(name) in secrets
        assert deployment_environment(deployments()[name])["LAUNCHWATCH_KAFKA_BOOTSTRAP"] == (
            "launchwatch-kafka-bootstrap:9093"
        )
    shared = config_maps()["launchwatch-kafka-security"]
    assert shared["LAUNCHWATCH_KAFKA_SECURITY_PROTOCOL"] == "SASL_SSL"
    assert shared["LAUNCHWATCH_KAFKA_SASL_MECHANISM"] == "SCRAM-SHA-512"


def test_the_parser_s_autoscaler_authenticates_like_the_parser() -> None:
    (scaled,) = [
        doc
        for doc in read_yaml_documents(K8S_BASE / "parser.yaml")
        if doc["kind"] == "ScaledObject"
    ]
    (trigger,) = scaled["spec"]["triggers"]
    (auth,) = read_yaml_documents(K8S_BASE / "keda-auth.yaml")
    assert trigger["authenticationRef"]["name"] == auth["metadata"]["name"]
    secrets = {ref["parameter"]: ref["name"] for ref in auth["spec"]["secretTargetRef"]}
    assert secrets["password"] == generate.user_name("parser")


STRIMZI_KAFKA_TOPIC = {
    "type": "object",
    "required": ["apiVersion", "kind", "metadata", "spec"],
    "properties": {
        "metadata": {
            "type": "object",
            "required": ["name", "labels"],
            "properties": {
                "name": {"type": "string", "pattern": r"^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$"},
                "labels": {"type": "object", "required": ["strimzi.io/cluster"]},
            },
        },
        "spec": {
            "type": "object",
            "additionalProperties": False,
            "required": ["topicName", "partitions", "replicas", "config"],
            "properties": {
                "topicName": {"type": "string"},
                "partitions": {"type": "integer", "minimum": 1},
                "replicas": {"type": "integer", "minimum": 1, "maximum": 32767},
                "config": {
                    "type": "object",
                    "additionalProperties": {"type": ["string", "integer", "boolean"]},
                },
            },
        },
    },
}
"""What the Strimzi topic operator reads of a KafkaTopic (its CRD's spec, v1beta2)."""


def test_kafka_topic_resources_match_the_registry() -> None:
    resources = {doc["spec"]["topicName"]: doc for doc in k8s_of_kind("KafkaTopic")}
    assert list(resources) == [topic.name for topic in TOPICS]
    assert {name for name in resources if name.endswith(".dlq")} == {
        topic.dlq_name for topic in TOPICS if topic.consumers
    }
    for topic in TOPICS:
        resource = resources[topic.name]
        jsonschema.validate(resource, STRIMZI_KAFKA_TOPIC)
        spec = resource["spec"]
        assert spec["partitions"] == topic.partitions
        assert spec["config"]["cleanup.policy"] == topic.cleanup_policy
        assert int(spec["config"]["retention.ms"]) == topic.retention_ms
        assert int(spec["config"]["max.message.bytes"]) == topic.max_message_bytes
        assert 1 <= int(spec["config"]["min.insync.replicas"]) < spec["replicas"]
        cluster = resource["metadata"]["labels"]["strimzi.io/cluster"]
        assert config_maps()["launchwatch-settings"]["LAUNCHWATCH_KAFKA_BOOTSTRAP"] == (
            f"{cluster}-kafka-bootstrap:9092"
        )


def test_deployments_run_every_stream_service_of_the_catalog() -> None:
    assert set(STREAM_SERVICES) <= set(deployments())
    assert set(deployments()) == set(SERVICES)


@pytest.mark.parametrize("name", STREAM_SERVICES)
def test_deployment_runs_its_service_on_its_port_with_probes(name: str) -> None:
    deployment = deployments()[name]
    container = only_container(deployment)
    args = cli_args(container["args"])
    assert args.service == name
    port = spec_of(name).http_port
    (declared,) = container["ports"]
    assert declared == {"name": "http", "containerPort": port}
    assert deployment_environment(deployment)["LAUNCHWATCH_HTTP_PORT"] == str(port)
    assert container["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}
    assert container["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "http"}
    resources = container["resources"]
    for kind in ("requests", "limits"):
        assert set(resources[kind]) == {"cpu", "memory"}, f"{name}: {kind}"


@pytest.mark.parametrize("name", STREAM_SERVICES)
def test_deployment_is_locked_down(name: str) -> None:
    pod = deployments()[name]["spec"]["template"]["spec"]
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["automountServiceAccountToken"] is False
    container = only_container(deployments()[name])["securityContext"]
    assert container["allowPrivilegeEscalation"] is False
    assert container["readOnlyRootFilesystem"] is True
    assert container["capabilities"]["drop"] == ["ALL"]
    mounts = {m["mountPath"] for m in only_container(deployments()[name])["volumeMounts"]}
    assert "/tmp" in mounts, "a read-only root needs a writable /tmp"


@pytest.mark.parametrize("name", STREAM_SERVICES)
def test_pods_get_more_time_to_stop_than_the_shutdown_grace(name: str) -> None:
    deployment = deployments()[name]
    grace = load(RuntimeSettings, environ=deployment_environment(deployment)).shutdown_grace_s
    assert deployment["spec"]["template"]["spec"]["terminationGracePeriodSeconds"] >= grace + 5


@pytest.mark.parametrize("name", STREAM_SERVICES)
def test_kubernetes_environment_names_are_settings_of_the_service(name: str) -> None:
    deployment = deployments()[name]
    env = deployment_environment(deployment)
    types: list[type[Any]] = [RuntimeSettings, spec_of(name).settings_type]
    assert set(env) - known_settings(*types) == set()
    for settings_type in types:
        load(settings_type, environ=env)


def test_kubernetes_config_maps_hold_settings_only() -> None:
    for name, data in config_maps().items():
        assert set(data) <= every_setting() | ALERT_RECEIVER_SETTINGS, name


def test_metrics_services_and_disruption_budgets_select_each_deployment() -> None:
    services = k8s_of_kind("Service")
    budgets = k8s_of_kind("PodDisruptionBudget")
    for name, deployment in deployments().items():
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        assert deployment["spec"]["selector"]["matchLabels"].items() <= labels.items()

        def selects(selector: dict[str, str], pod_labels: dict[str, str] = labels) -> bool:
            return selector.items() <= pod_labels.items()

        (service,) = [s for s in services if selects(s["spec"]["selector"])]
        port = only_container(deployment)["ports"][0]
        (service_port,) = service["spec"]["ports"]
        assert service_port["targetPort"] == port["name"]
        assert service["metadata"]["annotations"]["prometheus.io/port"] == str(
            port["containerPort"]
        )
        (budget,) = [b for b in budgets if selects(b["spec"]["selector"]["matchLabels"])]
        assert budget["spec"]["maxUnavailable"] == 1, name


def test_the_parser_scales_on_its_lag_on_news_raw() -> None:
    (scaled,) = k8s_of_kind("ScaledObject")
    target = deployments()[scaled["spec"]["scaleTargetRef"]["name"]]
    service = target["metadata"]["name"]
    assert service == "parser"
    assert "replicas" not in target["spec"], "KEDA sets the replica count"
    (trigger,) = scaled["spec"]["triggers"]
    assert trigger["type"] == "kafka"
    metadata = trigger["metadata"]
    assert all(isinstance(value, str) for value in metadata.values()), "KEDA reads strings"
    topic = topic_named(metadata["topic"])
    assert service in topic.consumers
    env = deployment_environment(target)
    settings = load(RuntimeSettings, environ=env)
    assert metadata["consumerGroup"] == (settings.group_id or f"launchwatch-{service}")
    assert metadata["bootstrapServers"] == settings.kafka_bootstrap
    assert 1 <= scaled["spec"]["minReplicaCount"] <= scaled["spec"]["maxReplicaCount"]
    assert scaled["spec"]["maxReplicaCount"] <= topic.partitions
    assert int(metadata["lagThreshold"]) > 0


# --- Prometheus and Alertmanager -------------------------------------------------------------


def test_alert_rules_are_complete() -> None:
    names = [rule["alert"] for rule in rules()]
    assert len(names) == len(set(names))
    wanted = {
        "LaunchwatchConsumerLagHigh",
        "LaunchwatchDeadLetters",
        "LaunchwatchFeedsStale",
        "LaunchwatchAlertDeliveryFailing",
        "LaunchwatchNothingProcessed",
    }
    assert wanted <= set(names)
    for rule in rules():
        assert re.fullmatch(r"Launchwatch[A-Z][A-Za-z]+", rule["alert"])
        assert re.fullmatch(r"\d+[smh]", rule["for"]), rule["alert"]
        assert rule["labels"]["severity"] in {"warning", "critical"}
        assert rule["labels"]["component"] == "launchwatch"
        assert rule["annotations"]["summary"]
        assert rule["annotations"]["description"]


@pytest.mark.parametrize("rule", rules(), ids=lambda rule: str(rule["alert"]))
def test_alert_rules_name_metrics_and_labels_the_code_exposes(rule: dict[str, Any]) -> None:
    assert expression_problems(rule["expr"]) == []
    text = " ".join(rule["annotations"].values())
    kept = aggregation_labels(rule["expr"]) or PROMETHEUS_LABELS
    for label in re.findall(r"\$labels\.(\w+)", text):
        assert label in kept, f"{label} is aggregated away"


def test_the_expression_check_catches_unknown_names() -> None:
    assert expression_problems("sum(launchwatch_messages_consumed_total)") == []
    assert expression_problems("sum(launchwatch_messages_consumed)") != []
    assert expression_problems("sum by (servce) (launchwatch_messages_consumed_total)") != []


def test_label_values_in_rules_and_dashboard_exist() -> None:
    jobs = {
        job["job_name"]
        for job in read_yaml(DEPLOY / "prometheus" / "prometheus.yml")["scrape_configs"]
    }
    allowed = {
        "status": {status.value for status in FeedStatus},
        "outcome": set(DELIVERY_OUTCOMES),
        "job": jobs,
    }
    for expr in [rule["expr"] for rule in rules()] + dashboard_expressions():
        for label, operator, value in matchers(expr):
            values = allowed.get(label)
            if values is None:
                continue
            if operator in ("=~", "!~"):
                assert any(re.fullmatch(value, v) for v in values), f"{label}=~{value}"
            else:
                assert value in values, f"{label}={value}"


def test_prometheus_scrapes_every_stream_service_on_its_port() -> None:
    config = read_yaml(DEPLOY / "prometheus" / "prometheus.yml")
    services = compose_services()
    scraped = {}
    for job in config["scrape_configs"]:
        for sd in job.get("dns_sd_configs", []):
            for name in sd["names"]:
                scraped[name] = sd["port"]
    for name in STREAM_SERVICES:
        assert scraped[name] == spec_of(name).http_port
        assert name in services
    (alertmanagers,) = config["alerting"]["alertmanagers"]
    assert alertmanagers["static_configs"][0]["targets"] == ["alertmanager:9093"]


def test_prometheus_loads_the_rule_files() -> None:
    config = read_yaml(DEPLOY / "prometheus" / "prometheus.yml")
    mount = [
        v for v in compose_services()["prometheus"]["volumes"] if v.endswith(":/etc/prometheus:ro")
    ]
    assert mount == ["./deploy/prometheus:/etc/prometheus:ro"]
    loaded = set()
    for pattern in config["rule_files"]:
        relative = str(pattern).removeprefix("/etc/prometheus/")
        loaded |= set((DEPLOY / "prometheus").glob(relative))
    assert loaded == set((DEPLOY / "prometheus" / "rules").glob("*.yml"))
    assert loaded


def test_alertmanager_routes_to_defined_receivers() -> None:
    config = read_yaml(DEPLOY / "alertmanager" / "alertmanager.yml")
    receivers = {receiver["name"] for receiver in config["receivers"]}
    routes = [config["route"], *config["route"].get("routes", [])]
    assert {route["receiver"] for route in routes} <= receivers
    alerts = {rule["alert"] for rule in rules()}
    for inhibit in config.get("inhibit_rules", []):
        for matcher in inhibit["source_matchers"] + inhibit["target_matchers"]:
            label, _, value = matcher.partition("=")
            if label.strip() == "alertname":
                assert value.strip().strip('"') in alerts


def test_operations_guide_explains_every_alert() -> None:
    guide = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    for rule in rules():
        assert f"`{rule['alert']}`" in guide, rule["alert"]


def guide_anchors() -> dict[str, str]:
    """GitHub's anchor of every heading of docs/operations.md, with the heading's text."""
    guide = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    anchors = {}
    for heading in re.findall(r"^#+ (.+)$", guide, re.MULTILINE):
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        anchors[slug] = heading.strip()
    return anchors


def test_every_rule_links_to_its_runbook_in_the_operations_guide() -> None:
    anchors = guide_anchors()
    assert anchors["secured-cluster"] == "Secured cluster"  # the slug is GitHub's
    for rule in rules():
        url, _, anchor = rule["annotations"]["runbook_url"].partition("#")
        assert url == RUNBOOKS, rule["alert"]
        assert anchors.get(anchor) == rule["alert"], f"no runbook heading for #{anchor}"


# --- the Prometheus operator ------------------------------------------------------------------


def closed(required: list[str], **properties: Any) -> dict[str, Any]:
    """The JSON Schema of an object with these properties and no others."""
    return {
        "type": "object",
        "required": required,
        "additionalProperties": False,
        "properties": properties,
    }


def array(items: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": items, "minItems": 1}


STRING = {"type": "string"}
DURATION = {"type": "string", "pattern": r"^\d+[smh]$"}
STRINGS = {"type": "object", "additionalProperties": STRING}

OPERATOR_RULE = closed(
    ["groups"],
    groups=array(
        closed(
            ["name", "rules"],
            name=STRING,
            rules=array(
                closed(
                    ["alert", "expr"],
                    alert=STRING,
                    expr=STRING,
                    labels=STRINGS,
                    annotations=STRINGS,
                    **{"for": DURATION},
                )
            ),
        )
    ),
)
"""What the Prometheus operator reads of a PrometheusRule's spec (its CRD, v1)."""

OPERATOR_MONITOR = closed(
    ["selector", "endpoints"],
    selector={"type": "object", "required": ["matchLabels"]},
    endpoints=array(
        closed(
            ["port"],
            port=STRING,
            path=STRING,
            interval=DURATION,
            honorLabels={"type": "boolean"},
            relabelings=array(
                closed(
                    ["targetLabel"],
                    sourceLabels=array(STRING),
                    targetLabel=STRING,
                    replacement=STRING,
                    regex=STRING,
                    action=STRING,
                )
            ),
        )
    ),
)
"""What the Prometheus operator reads of a ServiceMonitor's spec (its CRD, v1)."""


def test_prometheus_operator_resources_are_generated_from_the_rules_file() -> None:
    checked_in = monitoring.MONITORING_FILE.read_text(encoding="utf-8")
    assert checked_in == monitoring.monitoring_yaml(), "run python deploy/generate.py"
    (rule,) = k8s_of_kind("PrometheusRule")
    jsonschema.validate(rule["spec"], OPERATOR_RULE)
    plain = read_yaml(DEPLOY / "prometheus" / "rules" / "launchwatch.yml")["groups"]
    assert rule["spec"]["groups"] == plain


def test_the_service_monitor_scrapes_every_service_under_its_compose_job_name() -> None:
    (monitor,) = k8s_of_kind("ServiceMonitor")
    jsonschema.validate(monitor["spec"], OPERATOR_MONITOR)
    selector = monitor["spec"]["selector"]["matchLabels"]
    (endpoint,) = monitor["spec"]["endpoints"]
    (job,) = [r for r in endpoint["relabelings"] if r["targetLabel"] == "job"]
    assert job["sourceLabels"] == ["__meta_kubernetes_service_name"]
    compose_jobs = {
        config["job_name"]
        for config in read_yaml(DEPLOY / "prometheus" / "prometheus.yml")["scrape_configs"]
    }
    selected = [
        s for s in k8s_of_kind("Service") if selector.items() <= s["metadata"]["labels"].items()
    ]
    assert {s["metadata"]["name"] for s in selected} == set(STREAM_SERVICES)
    for service in selected:
        name = service["metadata"]["name"]
        assert endpoint["port"] in {port["name"] for port in service["spec"]["ports"]}, name
        assert job["replacement"].replace("$1", name) in compose_jobs, name
        assert endpoint["path"] == service["metadata"]["annotations"]["prometheus.io/path"]
    # The metrics carry a `service` label, which the operator's own target label of that
    # name would rename to `exported_service` unless the scraped labels are honoured.
    assert any("service" in labels for labels in exposed_metrics().labels.values())
    assert endpoint["honorLabels"] is True


# --- Grafana --------------------------------------------------------------------------------


def test_dashboard_panels_have_unique_ids_and_do_not_overlap() -> None:
    panels = dashboard()["panels"]
    ids = [panel["id"] for panel in panels]
    assert len(ids) == len(set(ids))
    cells: dict[tuple[int, int], int] = {}
    for panel in panels:
        grid = panel["gridPos"]
        assert grid["x"] >= 0
        assert grid["x"] + grid["w"] <= 24
        for x in range(grid["x"], grid["x"] + grid["w"]):
            for y in range(grid["y"], grid["y"] + grid["h"]):
                assert (x, y) not in cells, f"panels {cells.get((x, y))} and {panel['id']}"
                cells[x, y] = panel["id"]


def test_dashboard_shows_what_operators_need() -> None:
    exprs = " ".join(dashboard_expressions())
    for metric in (
        "launchwatch_messages_consumed_total",
        "launchwatch_consumer_lag",
        "launchwatch_handler_seconds_bucket",
        "launchwatch_feed_polls_total",
        "launchwatch_feeds_stale",
        "launchwatch_launch_events_total",
        "launchwatch_alert_deliveries_total",
    ):
        assert metric in exprs
    assert "histogram_quantile" in exprs


@pytest.mark.parametrize("panel", dashboard_panels(), ids=lambda panel: str(panel["title"]))
def test_dashboard_queries_name_metrics_and_labels_the_code_exposes(
    panel: dict[str, Any],
) -> None:
    assert panel["targets"]
    for target in panel["targets"]:
        assert expression_problems(target["expr"]) == []
        for label in re.findall(r"\{\{\s*(\w+)\s*\}\}", target.get("legendFormat", "")):
            assert label in aggregation_labels(target["expr"]), f"{label} is aggregated away"


def dashboard_variables() -> dict[str, dict[str, Any]]:
    return {v["name"]: v for v in dashboard()["templating"]["list"]}


def test_dashboard_reads_the_data_source_its_variable_picks_default_the_provisioned() -> None:
    provisioned = read_yaml(DEPLOY / "grafana" / "provisioning" / "datasources" / "prometheus.yml")
    (source,) = provisioned["datasources"]
    url = urlsplit(source["url"])
    assert url.hostname in compose_services()
    assert url.port == 9090
    variable = dashboard_variables()["datasource"]
    assert variable["type"] == "datasource"
    assert variable["query"] == source["type"]
    assert variable["current"]["value"] == source["uid"]
    picked = {"type": source["type"], "uid": "${datasource}"}
    assert dashboard_variables()["namespace"]["datasource"] == picked
    for panel in dashboard_panels():
        for item in [panel, *panel["targets"]]:
            assert item["datasource"] == picked


def test_dashboard_shows_the_namespaces_picked_and_all_of_them_under_compose() -> None:
    variable = dashboard_variables()["namespace"]
    assert variable["type"] == "query"
    (series,) = re.findall(r"^label_values\((.+), namespace\)$", variable["query"]["query"])
    assert expression_problems(series) == []
    assert variable["includeAll"] is True
    assert variable["multi"] is True
    # Compose series have no namespace: only a pattern matching the empty value shows them.
    assert re.fullmatch(variable["allValue"], "")
    assert variable["current"]["value"] == "$__all"
    for expr in dashboard_expressions():
        selectors = re.findall(r"\blaunchwatch_\w+(\{[^}]*\})?", expr)
        assert selectors
        for selector in selectors:
            assert selector.startswith('{namespace=~"$namespace"'), expr


def test_grafana_loads_the_dashboards_from_where_compose_mounts_them() -> None:
    provider = read_yaml(DEPLOY / "grafana" / "provisioning" / "dashboards" / "launchwatch.yml")
    (files,) = provider["providers"]
    volumes = compose_services()["grafana"]["volumes"]
    assert f"./deploy/grafana/dashboards:{files['options']['path']}:ro" in volumes
    assert "./deploy/grafana/provisioning:/etc/grafana/provisioning:ro" in volumes
