"""`launchwatch demo`: the whole pipeline in one process against the bundled sample site.

`run_demo` runs it and returns what came out; `TerminalView` shows it.
"""

from services.demo.pipeline import DemoResult, DemoWeb, Observer, Progress, run_demo
from services.demo.view import TerminalView, events_table

__all__ = [
    "DemoResult",
    "DemoWeb",
    "Observer",
    "Progress",
    "TerminalView",
    "events_table",
    "run_demo",
]
