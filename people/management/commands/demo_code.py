from django.core.management.base import BaseCommand

from people.demo import DEMO_TOTP_SECRET, demo_totp_code


class Command(BaseCommand):
    help = (
        "Print the current two-factor code of the demo staff (HR, trainer, content lead), "
        "for trying the demo without an authenticator app."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"{demo_totp_code()}  (secret {DEMO_TOTP_SECRET}, valid 30 seconds)")
