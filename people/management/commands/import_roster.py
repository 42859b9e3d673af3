from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from people.roster import RosterError, roster_import


class Command(BaseCommand):
    help = (
        "Import the staff roster exported by the HR system (CSV with ';' or ',', UTF-8 or "
        "Windows-1252, or XLSX). All or nothing; --dry-run shows what would change."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, path, dry_run, **options):
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error}") from error
        try:
            result = roster_import(data=data, acting_user=None, dry_run=dry_run)
        except RosterError as error:
            for line, message in error.problems:
                self.stderr.write(f"line {line}: {message}" if line else message)
            raise CommandError(
                f"Nothing imported: {len(error.problems)} problem(s) in {path}."
            ) from error
        prefix = "Dry run, nothing changed: would have " if dry_run else ""
        self.stdout.write(
            f"{prefix}created {result.created}, updated {result.updated}, "
            f"unchanged {result.unchanged}, left {result.left} "
            f"({', '.join(result.organisations)})"
        )
