from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from people.models import User
from people.personal_data import personal_data_export, user_by_email


class Command(BaseCommand):
    help = (
        "Write everything Vaardig holds about one person (GDPR art. 15 and 20) to a ZIP file: "
        "a readable summary, the data as JSON and their certificates. Audited."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="The person's sign-in address.")
        parser.add_argument("--output", required=True, help="The ZIP file to write.")

    def handle(self, *args, email, output, **options):
        try:
            user = user_by_email(email)
        except User.DoesNotExist:
            raise CommandError(f"No account with the address {email}.") from None
        data = personal_data_export(user=user, acting_user=None, via="command line")
        Path(output).write_bytes(data)
        self.stdout.write(f"Written to {output} ({len(data)} bytes).")
