"""The lock's helpers: the audit's verdict and the list of pins a refresh moved."""

from __future__ import annotations

from pathlib import Path

from tests.scripts import load_script

REQUIREMENTS = Path(__file__).resolve().parents[2] / "requirements"


audit = load_script(REQUIREMENTS / "audit.py", "lock_audit")
changes = load_script(REQUIREMENTS / "changes.py", "lock_changes")


def _skipped(name: str) -> dict[str, str]:
    return {"name": name, "skip_reason": f"Dependency not found on PyPI: {name}"}


def test_an_audit_that_reached_no_advisory_source_warns_and_is_not_called_clean() -> None:
    report = {"dependencies": [_skipped("httpx"), _skipped("msgspec")]}
    status, lines = audit.verdict(report, strict=False, source="pypi")
    assert status == 0
    assert "NOT audited" in lines[-1]
    assert audit.verdict(report, strict=True, source="pypi")[0] == 1


def test_a_known_vulnerability_fails_the_audit_and_is_named() -> None:
    report = {
        "dependencies": [
            {"name": "jinja2", "version": "3.1.2", "vulns": [{"id": "GHSA-x", "fix_versions": []}]},
            {"name": "httpx", "version": "0.28.1", "vulns": []},
        ]
    }
    status, lines = audit.verdict(report, strict=False, source="pypi")
    assert status == 1
    assert lines == ["audit: jinja2 3.1.2: GHSA-x (fixed in no fixed release)"]


def test_a_partial_answer_is_not_an_audit_and_a_full_one_is() -> None:
    clean = {"name": "httpx", "version": "0.28.1", "vulns": []}
    assert (
        audit.verdict({"dependencies": [clean, _skipped("x")]}, strict=False, source="pypi")[0] == 1
    )
    status, lines = audit.verdict({"dependencies": [clean]}, strict=False, source="pypi")
    assert status == 0
    assert lines == ["audit: 1 locked packages, no known vulnerabilities"]


def test_a_refresh_lists_every_pin_that_moved_appeared_or_went() -> None:
    before = changes.pins("httpx==0.28.1 \\\n    --hash=sha256:aa\nPyYAML==6.0.1 ; x\nold_pkg==1\n")
    after = changes.pins("httpx==0.29.0 \\\n    --hash=sha256:bb\npyyaml==6.0.1\nnew.pkg==2\n")
    assert changes.changes(before, after) == [
        "httpx 0.28.1 -> 0.29.0",
        "new-pkg (new) -> 2",
        "old-pkg 1 -> (removed)",
    ]
