from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from people.roster import (
    CHANGES,
    COMPLETE,
    LEAVERS_SHARE,
    RosterConfirmationNeeded,
    RosterError,
    roster_details,
    roster_import,
)

KIND_MISSING = (
    "Say what the file holds: --complete if it is the complete list of staff (everyone of its "
    "organisations who is not in it is marked as left), or --changes-only if it holds new and "
    "changed people only (nobody is marked as left)."
)


class Command(BaseCommand):
    help = (
        "Import the staff roster exported by the HR system (CSV with ';', ',' or tabs, UTF-8, "
        "UTF-16 or Windows-1252, or XLSX). All or nothing; --dry-run shows what would change, "
        "by name."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        kind = parser.add_mutually_exclusive_group()
        kind.add_argument(
            "--complete",
            dest="kind",
            action="store_const",
            const=COMPLETE,
            help="The file is the complete list of staff: people not in it are marked as left.",
        )
        kind.add_argument(
            "--changes-only",
            dest="kind",
            action="store_const",
            const=CHANGES,
            help="The file holds new and changed people only: nobody is marked as left.",
        )
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument(
            "--confirm-leavers",
            type=int,
            metavar="N",
            help=(
                f"Needed when a complete list marks more than {LEAVERS_SHARE} %% of an "
                "organisation's active staff as left: N must be the number of leavers."
            ),
        )
        parser.add_argument(
            "--confirm-new-units",
            action="store_true",
            help="Needed when the file names organisation units that do not exist yet.",
        )

    def handle(self, *args, path, kind, dry_run, confirm_leavers, confirm_new_units, **options):
        if kind is None:
            raise CommandError(KIND_MISSING)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error}") from error
        try:
            result = roster_import(
                data=data,
                kind=kind,
                acting_user=None,
                dry_run=dry_run,
                confirm_leavers=confirm_leavers,
                confirm_new_units=confirm_new_units,
                filename=path.name,
            )
        except RosterError as error:
            for line, message in error.problems:
                self.stderr.write(f"line {line}: {message}" if line else message)
            for warning in error.warnings:
                self.stderr.write(warning)
            raise CommandError(
                f"Nothing imported: {len(error.problems)} problem(s) in {path}."
            ) from error
        except RosterConfirmationNeeded as error:
            for reason in error.reasons:
                self.stderr.write(reason)
            hints = []
            if error.leavers:
                hints.append(f"--confirm-leavers {error.leavers}")
            if error.new_units:
                hints.append("--confirm-new-units")
            raise CommandError(
                "Nothing imported. Run with --dry-run to see the names; if they are right, "
                f"run again with {' '.join(hints)}."
            ) from error
        self._report(result)

    def _report(self, result):
        for warning in result.warnings:
            self.stderr.write(warning)
        details = roster_details(result.as_dict())
        for path in result.new_units:
            new = " (new organisation)" if path in result.new_organisations else ""
            self.stdout.write(f"new unit: {path}{new}")
        for person in details["leavers"]["items"]:
            self.stdout.write(f"leaves: {person['name']} ({person['number']}), {person['unit']}")
        for change in details["changes"]["items"]:
            for item in change["fields"]:
                self.stdout.write(
                    f"changes: {change['name']} ({change['number']}): {item['label']} "
                    f"{item['old'] or '—'} → {item['new'] or '—'}"
                )
        for person in details["returning"]["items"]:
            self.stdout.write(f"returns: {person['name']} ({person['number']})")
        for person in details["new_people"]["items"]:
            self.stdout.write(f"new: {person['name']} ({person['number']}), {person['unit']}")
        for key in ("leavers", "changes", "returning", "new_people"):
            if details[key]["more"]:
                self.stdout.write(
                    f"({details[key]['more']} more {key.replace('_', ' ')} not listed)"
                )
        prefix = "Dry run, nothing changed: would have " if result.dry_run else ""
        self.stdout.write(
            f"{prefix}created {result.created}, updated {result.updated}, "
            f"unchanged {result.unchanged}, left {result.left} "
            f"({', '.join(result.organisations)})"
        )
