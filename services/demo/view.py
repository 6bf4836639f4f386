"""The demo on a terminal: progress per stage, each alert as it is raised, the events at the end.

rich draws the progress bars live on a terminal; when the output is a pipe or
a file (CI, a test) it prints plain lines instead, so the same run reads well
in both.
"""

from __future__ import annotations

from rich.console import Console
from rich.panel import Panel
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn
from rich.table import Table

from schemas import LaunchAlert, LaunchEvent
from services.demo.pipeline import STAGES, DemoResult, Observer
from services.demo.pipeline import Progress as RunProgress


class TerminalView:
    """Renders one demo run on `console`."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self._bars = Progress(
            TextColumn("{task.description:>9}"),
            BarColumn(),
            MofNCompleteColumn(),
            console=console,
            transient=False,
            disable=not console.is_terminal,
        )
        self._tasks: dict[str, TaskID] = {}
        self._reported: dict[str, int] = {}

    def __enter__(self) -> TerminalView:
        self._bars.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._bars.stop()

    def observer(self) -> Observer:
        return Observer(on_progress=self.progress, on_alert=self.alert)

    def progress(self, progress: RunProgress) -> None:
        for stage in STAGES:
            count = progress.count(stage)
            if stage not in self._tasks:
                self._tasks[stage] = self._bars.add_task(stage, total=progress.expected)
            self._bars.update(self._tasks[stage], completed=count)
            if not self.console.is_terminal and self._reported.get(stage) != count:
                self._reported[stage] = count
                if count == progress.expected:
                    self.console.print(f"{stage}: {count}/{progress.expected} articles")

    def alert(self, alert: LaunchAlert) -> None:
        title = f"[bold red]ALERT[/] {alert.kind} · event {alert.event_id[:12]}"
        lines = [f"[bold]{alert.headline}[/]"]
        if alert.reported_by:
            lines.append("reported by " + ", ".join(alert.reported_by))
        lines += [f"  {url}" for url in alert.article_urls]
        self.console.print(Panel("\n".join(lines), title=title, title_align="left", expand=False))

    def summary(self, result: DemoResult) -> None:
        self.console.print(events_table(result.events))
        alerts = result.progress.alerts
        news = sum(1 for alert in alerts if alert.kind == "new")
        self.console.print(
            f"{result.progress.count('enriched')} articles, {len(result.events)} launch events, "
            f"{news} new alerts, {len(alerts) - news} updates"
        )


def events_table(events: list[LaunchEvent]) -> Table:
    table = Table(
        "event",
        "country",
        "launch date",
        "type",
        "count",
        "where",
        "reports",
        title="Launch events",
    )
    for event in events:
        table.add_row(
            event.event_id[:12],
            event.country or "?",
            event.launch_date.isoformat() if event.launch_date else "?",
            str(event.missile_type) + (f" ({event.range_class})" if event.range_class else ""),
            str(event.count) if event.count else "",
            event.location.name if event.location else "",
            str(event.report_count),
        )
    return table
