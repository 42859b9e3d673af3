from django.conf import settings
from django.core.management.base import BaseCommand

from competencies.loaders import frameworks_load, roles_load
from content.services import site_setup
from people.services import cdo_group_setup, hr_group_setup


class Command(BaseCommand):
    help = (
        "Create the home page, the catalogue, the Trainers, Content leads, HR and CDO groups, the "
        "review workflow, the competency frameworks and the role profiles of a new "
        "installation. Safe to run again."
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
        frameworks_load()
        roles_load()
        catalogue = site_setup(site_name=name, hostname=hostname, port=port, language=language)
        hr_group_setup()
        cdo_group_setup()
        self.stdout.write(f"Site ready: catalogue at {catalogue.url_path}")
