import datetime

from django.core.management.base import BaseCommand, CommandError

from competencies.services import CompetencyError
from competencies.snapshots import coverage_snapshot_take
from core.dates import month_parse


def _month(value: str) -> datetime.date:
    try:
        return month_parse(value)
    except ValueError as error:
        raise CommandError(f"Give the month as YYYY-MM, not {value!r}.") from error


class Command(BaseCommand):
    help = (
        "Store this month's coverage for the trend (replacing what was stored for the month "
        "before). Run daily: the last run of a month stays. With --month, replay a past month "
        "from the evidence."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--month",
            type=_month,
            help="A past month to replay from the evidence, as YYYY-MM.",
        )

    def handle(self, *args, month=None, **options):
        try:
            snapshot = coverage_snapshot_take(month=month)
        except CompetencyError as error:
            raise CommandError(str(error)) from error
        how = "replayed from the evidence" if snapshot.replayed else "from today's levels"
        self.stdout.write(
            f"Coverage of {snapshot.month:%Y-%m} stored ({how}): "
            f"{snapshot.figures.count()} figures, {snapshot.headlines.count()} headline rows."
        )
