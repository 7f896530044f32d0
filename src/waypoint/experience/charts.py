"""Geometry for the results charts, so the templates only draw. Every chart is shown beside a
table of the same figures (docs/design/ux.md); withheld figures are drawn as a word, not a bar."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from waypoint.experience.results import ShownFigures

ROW = 22
TREND_ROW = 40
TREND_BAR = 8
TREND_HEIGHT = 24


@dataclass(frozen=True)
class Bar:
    y: int
    label: str
    width: float  # 0 to 100
    value_x: float
    text: str
    drawn: bool


@dataclass(frozen=True)
class Column:
    x: int
    y: float
    height: float
    title: str
    drawn: bool


@dataclass(frozen=True)
class TrendRow:
    y: int
    label: str
    baseline: int
    columns: tuple[Column, ...]


@dataclass(frozen=True)
class Chart:
    height: int
    width: int
    rows: tuple[Bar, ...] | tuple[TrendRow, ...]


def bars(figures: ShownFigures) -> Chart:
    rows = tuple(
        Bar(
            y=i * ROW,
            label=s.indicator,
            width=s.value or 0.0,
            value_x=(s.value or 0.0) + 3,
            text=s.percent if s.percent != "–" else "none answered",
            drawn=s.value is not None,
        )
        for i, s in enumerate(figures.shares)
    )
    return Chart(height=max(ROW, len(rows) * ROW), width=160, rows=rows)


def trend(months: list[tuple[dt.date, ShownFigures]]) -> Chart:
    if not months:
        return Chart(height=TREND_ROW, width=160, rows=())
    codes = months[0][1].shares
    rows = []
    for i, share in enumerate(codes):
        y = i * TREND_ROW
        baseline = y + 10 + TREND_HEIGHT
        columns = []
        for j, (month, figures) in enumerate(months):
            cell = figures.shares[i]
            height = (cell.value or 0.0) * TREND_HEIGHT / 100
            columns.append(
                Column(
                    x=j * TREND_BAR,
                    y=baseline - height,
                    height=height,
                    title=f"{month:%B %Y}: {cell.percent}",
                    drawn=cell.value is not None,
                )
            )
        rows.append(TrendRow(y=y, label=share.indicator, baseline=baseline, columns=tuple(columns)))
    return Chart(
        height=len(rows) * TREND_ROW, width=max(160, len(months) * TREND_BAR), rows=tuple(rows)
    )
