from django.core.management.base import BaseCommand, CommandError

from competencies.coverage_names import coverage_names_grant, coverage_names_holders
from people.models import User


class Command(BaseCommand):
    help = (
        "Let one person see the names behind coverage figures (or, with --revoke, no longer), "
        "recorded in the audit log. Without an address: list who may see them."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", nargs="?", help="The person's e-mail address.")
        parser.add_argument("--revoke", action="store_true", help="Take the permission away.")

    def handle(self, *args, email=None, revoke=False, **options):
        if not email:
            for user in coverage_names_holders():
                self.stdout.write(f"{user.email}  {user.get_full_name()}")
            return
        user = User.objects.filter(email=email.strip().lower()).first()
        if user is None:
            raise CommandError(f"No account with the address {email}.")
        changed = coverage_names_grant(user=user, granted=not revoke, acting_user=None)
        state = "may no longer" if revoke else "may now"
        if not changed:
            state = "already could not" if revoke else "already could"
        self.stdout.write(f"{user.email} {state} see the names behind coverage figures.")
