from django.core.management.base import BaseCommand

from competencies.status import statuses_lapse


class Command(BaseCommand):
    help = (
        "Recompute the competence statuses whose level lapsed (evidence expired or review date "
        "passed). Run daily."
    )

    def handle(self, *args, **options):
        written = statuses_lapse()
        self.stdout.write(f"{written} competence statuses recomputed.")
