"""Audit the locked versions against the published advisories: ``make audit``.

pip-audit does the work; this wrapper only reads its verdict, because pip-audit
exits 0 when it could not ask its advisory source at all (every package is then
"skipped"), which would read as a clean audit. Three outcomes:

- a package has a known vulnerability: each is listed, exit status 1;
- the advisory source answered for every package: exit status 0;
- it answered for none (no route to it from this machine): a warning saying so,
  exit status 0, or 1 with ``--strict`` (for machines that must audit).

A partial answer (some packages skipped) fails: it is not an audit of the lock.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DEFAULT_LOCK = HERE / "dev.txt"


def run_pip_audit(lock: Path, service: str) -> dict[str, Any]:
    """pip-audit's JSON report on `lock`, hashes checked, nothing installed."""
    command = [
        sys.executable,
        "-m",
        "pip_audit",
        "--disable-pip",
        "--require-hashes",
        "--requirement",
        str(lock),
        "--vulnerability-service",
        service,
        "--format",
        "json",
        "--progress-spinner",
        "off",
    ]
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    try:
        report: dict[str, Any] = json.loads(completed.stdout)
    except json.JSONDecodeError:
        sys.stderr.write(completed.stderr)
        raise SystemExit(f"audit: pip-audit failed (exit {completed.returncode})") from None
    return report


def verdict(report: dict[str, Any], *, strict: bool, source: str) -> tuple[int, list[str]]:
    """(exit status, lines to print) for one pip-audit report."""
    dependencies = report.get("dependencies", [])
    skipped = [d for d in dependencies if "skip_reason" in d]
    vulnerable = [d for d in dependencies if d.get("vulns")]
    lines: list[str] = []
    for dependency in vulnerable:
        for vuln in dependency["vulns"]:
            fixed = ", ".join(vuln.get("fix_versions", [])) or "no fixed release"
            lines.append(
                f"audit: {dependency['name']} {dependency['version']}: {vuln['id']} "
                f"(fixed in {fixed})"
            )
    if vulnerable:
        return 1, lines
    if dependencies and len(skipped) == len(dependencies):
        lines.append(
            f"audit: WARNING: the advisory source ({source}) answered for none of the "
            f"{len(dependencies)} locked packages; this machine cannot reach it, so the lock "
            "was NOT audited. Run `make audit` where it is reachable."
        )
        return (1 if strict else 0), lines
    if skipped:
        names = ", ".join(sorted(d["name"] for d in skipped))
        lines.append(f"audit: {len(skipped)} packages could not be audited: {names}")
        return 1, lines
    lines.append(f"audit: {len(dependencies)} locked packages, no known vulnerabilities")
    return 0, lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lock", nargs="?", type=Path, default=DEFAULT_LOCK)
    parser.add_argument("--service", default="pypi", choices=("pypi", "osv"))
    parser.add_argument("--strict", action="store_true", help="fail when nothing was audited")
    args = parser.parse_args(argv)
    status, lines = verdict(
        run_pip_audit(args.lock, args.service), strict=args.strict, source=args.service
    )
    print("\n".join(lines))
    return status


if __name__ == "__main__":
    raise SystemExit(main())
