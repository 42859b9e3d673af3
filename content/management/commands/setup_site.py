from django.conf import settings
from django.core.management.base import BaseCommand

from content.services import site_setup


class Command(BaseCommand):
    help = (
        "Create the home page, the catalogue, the Trainers and Content leads groups and the "
        "review workflow of a new installation. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="Name of the organisation.")
        parser.add_argument("--hostname", default="localhost")
        parser.add_argument("--port", type=int, default=443)
        parser.add_argument(
            "--language",
            default=settings.LANGUAGE_CODE,
            choices=[code for code, _name in settings.LANGUAGES],
            help="Language of the pages created.",
        )

    def handle(self, *args, name, hostname, port, language, **options):
        catalogue = site_setup(site_name=name, hostname=hostname, port=port, language=language)
        self.stdout.write(f"Site ready: catalogue at {catalogue.url_path}")
