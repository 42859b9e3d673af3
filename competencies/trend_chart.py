"""The geometry of the trend chart, drawn by the template as inline SVG: no JavaScript, and
the same numbers as the table beside it. Coordinates are whole numbers so that the template
never prints a localised decimal comma into the SVG."""

from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from competencies.snapshots import TrendPoint

WIDTH = 540
HEIGHT = 240
LEFT = 54  # room for the percentages of the axis, also in the larger text on phones
RIGHT = 4
TOP = 22  # room for the value above a full column
BOTTOM = 44  # room for month and year


@dataclass(frozen=True)
class ChartColumn:
    point: TrendPoint
    x: int
    centre: int
    top: int
    height: int
    show_year: bool


@dataclass(frozen=True)
class Gridline:
    value: int
    y: int


@dataclass(frozen=True)
class TrendChart:
    columns: list[ChartColumn]
    gridlines: list[Gridline]
    bar_width: int
    description: str
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    baseline: int = HEIGHT - BOTTOM

    @property
    def has_gaps(self) -> bool:
        return any(column.point.share is None for column in self.columns)


def _y(share: int) -> int:
    return round(HEIGHT - BOTTOM - (HEIGHT - BOTTOM - TOP) * share / 100)


def _describe(points: list[TrendPoint]) -> str:
    shown = [p for p in points if p.share is not None]
    if not shown:
        return _("No month has a figure to show yet.")
    first, last = shown[0], shown[-1]
    if first is last:
        return _("%(share)s%% in %(month)s.") % {
            "share": last.share,
            "month": date_format(last.month, "YEAR_MONTH_FORMAT"),
        }
    return _("From %(first)s%% in %(first_month)s to %(last)s%% in %(last_month)s.") % {
        "first": first.share,
        "first_month": date_format(first.month, "YEAR_MONTH_FORMAT"),
        "last": last.share,
        "last_month": date_format(last.month, "YEAR_MONTH_FORMAT"),
    }


def trend_chart(points: list[TrendPoint]) -> TrendChart:
    slot = (WIDTH - LEFT - RIGHT) // max(len(points), 1)
    bar_width = round(slot * 0.62)
    columns = []
    for index, point in enumerate(points):
        x = LEFT + index * slot + (slot - bar_width) // 2
        top = _y(point.share) if point.share is not None else HEIGHT - BOTTOM
        columns.append(
            ChartColumn(
                point=point,
                x=x,
                centre=x + bar_width // 2,
                top=top,
                height=HEIGHT - BOTTOM - top,
                show_year=index == 0 or point.month.month == 1,
            )
        )
    return TrendChart(
        columns=columns,
        gridlines=[Gridline(value, _y(value)) for value in (0, 25, 50, 75, 100)],
        bar_width=bar_width,
        description=_describe(points),
    )
