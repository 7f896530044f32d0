"""Geometry for the inline SVG charts (no JavaScript): computed here, drawn by the templates.
Every chart sits beside a table of the same figures; lines differ by dash pattern and carry a
label at their end, so nothing depends on colour alone."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from waypoint.core.small_numbers import shown
from waypoint.reports.survival import SurvivalGroup


@dataclass(frozen=True)
class Bar:
    label: str
    value: int | str
    y: int
    width: float  # 0 when the count is suppressed or zero

    @property
    def value_x(self) -> float:
        return BAR_LEFT + self.width + 4


BAR_STEP = 22  # units between bars; a bar chart is 480 units wide
BAR_LEFT, BAR_LONGEST = 190, 230


def bars(groups: tuple[tuple[str, str], ...], counts: dict[str, int], threshold: int) -> list[Bar]:
    """Horizontal bars, ``BAR_STEP`` apart, up to ``BAR_LONGEST`` long, from ``BAR_LEFT``."""
    visible = [counts.get(code, 0) for code, _ in groups]
    top = max([n for n in visible if shown(n, threshold) == n] or [0])
    result = []
    for i, (code, label) in enumerate(groups):
        n = counts.get(code, 0)
        value = shown(n, threshold)
        width = round(BAR_LONGEST * n / top, 1) if top and value == n else 0.0
        result.append(Bar(label=label, value=value, y=i * BAR_STEP, width=width))
    return result


@dataclass(frozen=True)
class Column:
    month: dt.date
    value: int | str
    text: str  # what the chart prints above the column
    x: int
    height: float
    y: float


def columns_width(count: int) -> int:
    return 60 + 30 * count


def columns(totals: dict[dt.date, int], threshold: int) -> list[Column]:
    """Monthly columns, 30 units apart, up to 150 units tall (baseline at y = 160); the chart
    is ``columns_width`` units wide."""
    top = max([n for n in totals.values() if shown(n, threshold) == n] or [0])
    result = []
    for i, (month, n) in enumerate(sorted(totals.items())):
        value = shown(n, threshold)
        height = round(150 * n / top, 1) if top and value == n else 0.0
        text = str(value) if isinstance(value, int) else f"<{threshold}"
        result.append(
            Column(
                month=month, value=value, text=text, x=40 + i * 30, height=height, y=160 - height
            )
        )
    return result


DASHES = ("", "8 4", "2 3", "12 4 2 4", "4 4", "1 0")
WIDTH, HEIGHT = 520.0, 240.0  # plot area, from (60, 20)
LEFT, TOP = 60.0, 20.0
YEARS = 5.0


@dataclass(frozen=True)
class Line:
    label: str
    path: str
    dash: str
    label_x: float
    label_y: float


def _x(years: float) -> float:
    return round(LEFT + WIDTH * min(years, YEARS) / YEARS, 1)


def _y(proportion: float) -> float:
    return round(TOP + HEIGHT * (1 - proportion), 1)


def step_lines(groups: list[SurvivalGroup]) -> list[Line]:
    """Kaplan–Meier steps over the first five years for every group with a curve."""
    lines = []
    drawn = [g for g in groups if g.estimated and g.curve]
    for i, group in enumerate(drawn):
        points = [(t, s) for t, s in group.curve if t <= YEARS]
        parts = [f"M {_x(0)} {_y(points[0][1] if points and points[0][0] == 0 else 1.0)}"]
        for t, s in points:
            parts.append(f"H {_x(t)} V {_y(s)}")
        last_t = group.curve[-1][0]
        end_t = min(last_t, YEARS)
        parts.append(f"H {_x(end_t)}")
        last_s = points[-1][1] if points else 1.0
        lines.append(
            Line(
                label=group.label,
                path=" ".join(parts),
                dash=DASHES[i % len(DASHES)],
                label_x=_x(end_t) + 4,
                label_y=_y(last_s) + 4 + 11 * (i % 2),
            )
        )
    return lines


Y_TICKS = tuple((round(p * 100), _y(p)) for p in (0.0, 0.25, 0.5, 0.75, 1.0))
X_TICKS = tuple((year, _x(year)) for year in range(0, 6))
