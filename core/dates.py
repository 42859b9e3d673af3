"""Calendar arithmetic the apps share: months have different lengths, and every place that
steps through them must agree on what "a month later" means."""

import calendar
import datetime


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later (or earlier, when negative); the last day of the month
    where the month is shorter: 31 January plus one month is 28 or 29 February."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def month_end(month: datetime.date) -> datetime.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def month_parse(value: str) -> datetime.date:
    """The first day of a month written as ``YYYY-MM``; ValueError for anything else."""
    return datetime.date.fromisoformat(f"{value}-01")
