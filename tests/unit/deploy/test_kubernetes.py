"""The Kubernetes manifests agree with the code and with Kubernetes' schemas.

Built-in resources are checked against the schemas of the kubernetes-validate
package; the Strimzi and KEDA resources, whose schemas it lacks, are checked
against the fields their operators read.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import jsonschema
import kubernetes_validate  # type: ignore[import-untyped]
import pytest
import yaml

from deploy import generate, monitoring
from schemas import TOPICS, topic_named
from services.catalog import SERVICES
from services.fetcher.service import check_callback_url
from services.fetcher.websub.callback import callback_path
from services.runtime.settings import RuntimeSettings, load
from tests.deploy_files import (
    ALERT_RECEIVER_SETTINGS,
    DEPLOY,
    K8S_BASE,
    STREAM_SERVICES,
    cli_args,
    config_maps,
    deployment_environment,
    deployments,
    every_setting,
    k8s_documents,
    k8s_of_kind,
    known_settings,
    only_container,
    read_yaml,
    spec_of,
)

KUBERNETES_VERSION = "1.33"


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


WEBSUB_INGRESS = DEPLOY / "k8s" / "components" / "websub-ingress"


def test_the_websub_ingress_routes_only_the_callback_path_to_the_fetchers_http_port() -> None:
    component = read_yaml(WEBSUB_INGRESS / "kustomization.yaml")
    (patch,) = component["patches"]
    assert patch["target"] == {"kind": "Deployment", "name": "fetcher"}
    (operation,) = yaml.safe_load(patch["patch"])
    assert (operation["op"], operation["path"]) == ("add", "/spec/template/spec/containers/0/env/-")
    setting = operation["value"]
    assert setting["name"] == "LAUNCHWATCH_WEBSUB_CALLBACK_URL"
    assert setting["name"] in known_settings(spec_of("fetcher").settings_type)
    url = setting["value"]
    check_callback_url(url)

    (ingress,) = k8s_of_kind("Ingress")
    assert component["resources"] == ["websub-ingress.yaml"]
    assert "defaultBackend" not in ingress["spec"], "nothing but the callback is routed"
    (rule,) = ingress["spec"]["rules"]
    assert rule["host"] == urlsplit(url).hostname
    (route,) = rule["http"]["paths"]
    assert (route["path"], route["pathType"]) == (callback_path(url) + "/", "Prefix")
    assert route["backend"] == {"service": {"name": "fetcher", "port": {"name": "http"}}}

    fetcher = deployments()["fetcher"]
    (service,) = [s for s in k8s_of_kind("Service") if s["metadata"]["name"] == "fetcher"]
    (service_port,) = [p for p in service["spec"]["ports"] if p["name"] == "http"]
    (container_port,) = [
        p for p in only_container(fetcher)["ports"] if p["name"] == service_port["targetPort"]
    ]
    served = deployment_environment(fetcher)["LAUNCHWATCH_HTTP_PORT"]
    assert str(container_port["containerPort"]) == served, "the port the callback is served on"
