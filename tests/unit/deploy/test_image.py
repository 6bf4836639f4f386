"""The image: pinned slim Python, the locked dependencies only, a non-root user, a health check."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
import tomllib

from services.catalog import SERVICES
from services.runtime.health import HealthServer
from tests.deploy_files import (
    ROOT,
    STREAM_SERVICES,
    deployments,
    dockerfile,
    dockerfile_instructions,
    dockerfile_uid,
    healthcheck_code,
)


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
