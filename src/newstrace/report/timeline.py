"""The story's timeline: one row per outlet, a dot per article at its publication time,
coloured by the article's role in the story. Drawn as SVG from computed coordinates."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

LEFT, RIGHT, TOP, ROW = 200, 30, 34, 30
WIDTH = 1000


@dataclass(frozen=True, slots=True)
class Entry:
    article: str
    outlet: str
    title: str
    published: str | None
    role: str


@dataclass(slots=True)
class Dot:
    x: float
    y: float
    role: str
    href: str
    tooltip: str


@dataclass(slots=True)
class Tick:
    x: float
    label: str


@dataclass(slots=True)
class Row:
    y: float
    outlet: str


@dataclass(slots=True)
class TimelineView:
    width: int
    height: int
    left: int
    right: float
    top: int
    rows: list[Row] = field(default_factory=list)
    dots: list[Dot] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)
    undated: list[Entry] = field(default_factory=list)


def parse_time(value: str | None) -> datetime | None:
    """An ISO 8601 date or time as naive UTC; None when absent or unreadable."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed


def format_time(value: str | None) -> str:
    """A publication time for a reader: '14 Mar 2026 11:20' (as written, offset aside)."""
    if not value:
        return "undated"
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return value[:40]
    return parsed.strftime("%d %b %Y %H:%M" if len(value) > 10 else "%d %b %Y")


def timeline(entries: Sequence[Entry], href: Callable[[str], str]) -> TimelineView:
    dated = [(parse_time(e.published), e) for e in entries]
    times = [t for t, _ in dated if t is not None]
    outlets: list[str] = []
    for _, entry in sorted(((t, e) for t, e in dated if t is not None),
                              key=lambda item: (item[0], item[1].outlet)):
        if entry.outlet not in outlets:
            outlets.append(entry.outlet)
    view = TimelineView(WIDTH, TOP + ROW * max(len(outlets), 1) + 10, LEFT, WIDTH - RIGHT, TOP)
    view.undated = [e for t, e in dated if t is None]
    if not times:
        return view
    first, last = min(times), max(times)
    span = max((last - first).total_seconds(), 3600.0)
    start = first - timedelta(seconds=span * 0.04)
    total = span * 1.08

    def x_of(when: datetime) -> float:
        return LEFT + (when - start).total_seconds() / total * (view.right - LEFT)

    view.rows = [Row(TOP + ROW * i + ROW / 2, outlet) for i, outlet in enumerate(outlets)]
    rows = {row.outlet: row.y for row in view.rows}
    for moment, entry in dated:
        if moment is not None:
            view.dots.append(Dot(x_of(moment), rows[entry.outlet], entry.role, href(entry.article),
                                 f"{entry.outlet}, {format_time(entry.published)}: "
                                 f"{entry.title} ({entry.role})"))
    view.ticks = _ticks(start, total, x_of)
    return view


def _ticks(start: datetime, total: float, x_of: Callable[[datetime], float]) -> list[Tick]:
    steps = [3600 * h for h in (1, 2, 3, 6, 12, 24, 48, 24 * 7, 24 * 30)]
    step = next((s for s in steps if total / s <= 8), steps[-1])
    first = datetime.fromtimestamp((start.replace(tzinfo=UTC).timestamp() // step + 1) * step,
                                   UTC).replace(tzinfo=None)
    label = "%H:%M" if step < 24 * 3600 else "%d %b"
    ticks: list[Tick] = []
    when = first
    while (when - start).total_seconds() <= total:
        text = when.strftime(label)
        if step < 24 * 3600 and (not ticks or when.hour < step // 3600):
            text = when.strftime("%d %b %H:%M")
        ticks.append(Tick(x_of(when), text))
        when += timedelta(seconds=step)
    return ticks
