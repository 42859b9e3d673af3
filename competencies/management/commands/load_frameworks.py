from django.core.management.base import BaseCommand

from competencies.loaders import frameworks_load, roles_load


class Command(BaseCommand):
    help = (
        "Load DigComp 2.2, the framework 'Digitaal werken in de publieke sector' and the "
        "municipal role profiles. Safe to run again."
    )

    def handle(self, *args, **options):
        frameworks = frameworks_load()
        roles = roles_load()
        self.stdout.write(f"{len(frameworks)} frameworks and {len(roles)} role profiles loaded.")
