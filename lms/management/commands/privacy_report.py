import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from lms.privacy.admin import register_pdf
from lms.privacy.register import privacy_register
from people.models import OrgUnit


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"Not a date (yyyy-mm-dd): {value}") from None


class Command(BaseCommand):
    help = (
        "Write the privacy register of one organisation as a PDF for the works council: the "
        "personal data held, who holds which right, the threshold, the retention periods and "
        "the looks at names behind figures in a period (the last twelve months by default)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organisation", required=True, help="The organisation's name.")
        parser.add_argument("--output", required=True, help="The PDF file to write.")
        parser.add_argument("--start", help="First day of the period of names looks (yyyy-mm-dd).")
        parser.add_argument("--end", help="Last day of that period (yyyy-mm-dd).")
        parser.add_argument(
            "--language",
            default=settings.LANGUAGE_CODE,
            choices=[code for code, _name in settings.LANGUAGES],
            help="The language of the register (default: the installation's).",
        )

    def handle(self, *args, organisation, output, start, end, language, **options):
        roots = list(OrgUnit.objects.filter(depth=1, name=organisation.strip()))
        if len(roots) != 1:
            names = ", ".join(OrgUnit.objects.filter(depth=1).values_list("name", flat=True))
            raise CommandError(
                f"No one organisation called {organisation!r}. There are: {names or 'none'}."
            )
        root = roots[0]
        with translation.override(language):
            register = privacy_register(
                organisation=root,
                period_start=_date(start) if start else None,
                period_end=_date(end) if end else None,
            )
            data = register_pdf(register)
        Path(output).write_bytes(data)
        self.stdout.write(f"Written to {output} ({len(data)} bytes).")
