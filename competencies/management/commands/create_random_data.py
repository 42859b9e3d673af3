import time

from django.core.management.base import BaseCommand, CommandError

from competencies.loaders import frameworks_load, roles_load
from competencies.random_data import random_organisation_create
from people.models import OrgUnit


class Command(BaseCommand):
    help = (
        "Create a realistic organisation of N employees with roles, managers, evidence and "
        "competence statuses, using bulk inserts (for demos and load tests)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--employees", type=int, required=True)
        parser.add_argument("--organisation", default="Gemeente Grootstad")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, employees, organisation, seed, **options):
        if employees < 1:
            raise CommandError("--employees must be at least 1.")
        if OrgUnit.get_root_nodes().filter(name=organisation).exists():
            raise CommandError(f"An organisation named {organisation!r} exists already.")
        started = time.perf_counter()
        frameworks_load()
        roles_load()
        result = random_organisation_create(name=organisation, employees=employees, seed=seed)
        self.stdout.write(
            f"{organisation}: {result.employees} employees, {result.evidence} evidence rows, "
            f"{result.statuses} competence statuses in {time.perf_counter() - started:.1f} s."
        )
