"""What a lock refresh changed: ``package old -> new``, one line each.

``make lock-upgrade`` prints this before it runs the suite on the new pins, so
that a failure that follows can be read against the releases that caused it.
The comparison is with the lock as last committed (``git show HEAD:PATH``).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", re.MULTILINE)


def pins(text: str) -> dict[str, str]:
    """``{normalised name: version}`` of every pin in a lock file's text."""
    return {re.sub(r"[-_.]+", "-", name).lower(): version for name, version in PIN.findall(text)}


def changes(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """One line per added, removed or moved pin, sorted by package."""
    lines = []
    for name in sorted(set(before) | set(after)):
        old, new = before.get(name), after.get(name)
        if old != new:
            lines.append(f"{name} {old or '(new)'} -> {new or '(removed)'}")
    return lines


def committed(path: Path) -> str:
    """The file's text at HEAD, or empty when it was never committed."""
    shown = subprocess.run(
        ["git", "show", f"HEAD:{path.as_posix()}"], capture_output=True, text=True, check=False
    )
    return shown.stdout if shown.returncode == 0 else ""


def main(argv: list[str] | None = None) -> int:
    paths = [Path(arg) for arg in (sys.argv[1:] if argv is None else argv)]
    for path in paths:
        lines = changes(pins(committed(path)), pins(path.read_text(encoding="utf-8")))
        print(f"{path}: {len(lines)} pins changed")
        for line in lines:
            print(f"  {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
