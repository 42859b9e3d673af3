from django.core.management.base import BaseCommand

from lms.certificates.services import certificate_expiry_reminders


class Command(BaseCommand):
    help = "E-mail holders whose certificate expires within 30 days (once each). Run daily."

    def handle(self, *args, **options):
        sent = certificate_expiry_reminders()
        self.stdout.write(f"{sent} reminder(s) sent.")
