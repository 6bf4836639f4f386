"""The Grafana dashboard and its provisioning: layout, queries, data source, namespaces."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.deploy_files import (
    DEPLOY,
    compose_services,
    dashboard,
    dashboard_expressions,
    dashboard_panels,
    read_yaml,
)
from tests.deploy_metrics import aggregation_labels, expression_problems


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
