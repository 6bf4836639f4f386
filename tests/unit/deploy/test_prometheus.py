"""The alert rules, Prometheus, Alertmanager and the Prometheus operator's resources.

Every expression names only metrics and labels the code exposes, every alert has a
runbook in the operations guide, and the operator's resources are generated from the
one rules file.
"""

from __future__ import annotations

import re
from typing import Any

import jsonschema
import pytest

from deploy import monitoring
from schemas import FeedStatus
from tests.deploy_files import (
    DEPLOY,
    ROOT,
    STREAM_SERVICES,
    compose_services,
    dashboard_expressions,
    k8s_of_kind,
    read_yaml,
    rules,
    spec_of,
)
from tests.deploy_metrics import (
    DELIVERY_OUTCOMES,
    PROMETHEUS_LABELS,
    aggregation_labels,
    exposed_metrics,
    expression_problems,
    matchers,
)

RUNBOOKS = "https://github.com/launchwatch/launchwatch/blob/main/docs/operations.md"


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
