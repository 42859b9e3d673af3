import datetime

import pytest

from core.dates import add_months, month_end, month_parse, month_start


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (datetime.date(2026, 1, 15), 1, datetime.date(2026, 2, 15)),
        (datetime.date(2026, 1, 31), 1, datetime.date(2026, 2, 28)),
        (datetime.date(2028, 1, 31), 1, datetime.date(2028, 2, 29)),
        (datetime.date(2026, 11, 30), 3, datetime.date(2027, 2, 28)),
        (datetime.date(2026, 3, 31), -1, datetime.date(2026, 2, 28)),
        (datetime.date(2026, 1, 10), -13, datetime.date(2024, 12, 10)),
        (datetime.date(2026, 5, 5), 24, datetime.date(2028, 5, 5)),
    ],
)
def test_it_adds_calendar_months_keeping_the_day_where_the_month_has_it(day, months, expected):
    assert add_months(day, months) == expected


def test_it_gives_the_first_and_last_day_of_a_month():
    assert month_start(datetime.date(2026, 2, 17)) == datetime.date(2026, 2, 1)
    assert month_end(datetime.date(2026, 2, 1)) == datetime.date(2026, 2, 28)
    assert month_end(datetime.date(2028, 2, 1)) == datetime.date(2028, 2, 29)
    assert month_end(datetime.date(2026, 12, 1)) == datetime.date(2026, 12, 31)


def test_it_reads_a_month_written_as_year_and_month():
    assert month_parse("2026-03") == datetime.date(2026, 3, 1)
    for wrong in ("2026-13", "03-2026", "2026-03-01", ""):
        with pytest.raises(ValueError):
            month_parse(wrong)
