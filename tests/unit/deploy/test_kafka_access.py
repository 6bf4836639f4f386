"""Who reaches which broker, and as whom: listeners, the secured compose profile, Kafka users.

The secured profile's broker is set up by `deploy/kafka/compose-secured.sh`, with the
functions it shares with kafka.sh in `secured-lib.sh`; the properties it writes are read
from the script itself, so the compose file and the script cannot drift apart. In
Kubernetes each service runs as its own Strimzi KafkaUser, and the parser's autoscaler
authenticates as the parser.
"""

from __future__ import annotations

import re
import subprocess

from deploy import access, generate
from tests.deploy_files import (
    DEPLOY,
    K8S_BASE,
    ROOT,
    compose,
    compose_services,
    config_maps,
    deployment_environment,
    deployments,
    environment,
    is_launchwatch,
    only_container,
    read_yaml_documents,
)


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
    # The script sources the functions it shares with kafka.sh from beside it, in the mount.
    script_text = (DEPLOY / "kafka" / "compose-secured.sh").read_text(encoding="utf-8")
    assert 'source "$here/secured-lib.sh"' in script_text
    for name in ("compose-secured.sh", "secured-lib.sh"):
        subprocess.run(["bash", "-n", str(DEPLOY / "kafka" / name)], check=True)


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
    assert 'make_keystores "$tls" "$data/ca/ca.pem"' in script  # TLS CA_PEM ...
    library = (DEPLOY / "kafka" / "secured-lib.sh").read_text(encoding="utf-8")
    assert "keytool -exportcert -rfc -alias ca" in library
    assert '-file "$ca_pem"' in library
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
