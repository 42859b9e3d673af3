from django.core.management.base import BaseCommand

from lms.daily import daily_run


class Command(BaseCommand):
    help = (
        "The daily round: apply the assignment rules to everyone, send assignment reminders "
        "(and the managers' weekly digest), certificate expiry reminders, and this month's "
        "coverage snapshot. Safe to run twice."
    )

    def handle(self, *args, **options):
        for line in daily_run():
            self.stdout.write(line)
