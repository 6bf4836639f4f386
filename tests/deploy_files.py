"""The deployment files, loaded: compose, the Dockerfile, Kubernetes, Prometheus rules, Grafana.

Each deployment test reads these files through the loaders here, and resolves what they
name (services, commands, settings) through the code, so every test checks the files
against the same reading of them.
"""

from __future__ import annotations

import dataclasses
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from services.catalog import SERVICES
from services.cli import build_parser
from services.runtime.settings import RuntimeSettings, env_name
from services.runtime.spec import ServiceSpec

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
K8S_BASE = DEPLOY / "k8s" / "base"
STREAM_SERVICES = ("fetcher", "parser", "enricher", "web")
ALERT_RECEIVER_SETTINGS = frozenset(
    {
        "LAUNCHWATCH_ALERT_WEBHOOK_URL",
        "LAUNCHWATCH_ALERT_SLACK_URL",
        "LAUNCHWATCH_ALERT_ALERTMANAGER_URL",
    }
)


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
