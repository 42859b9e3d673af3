from django.core.management.base import BaseCommand, CommandError

from people.models import User
from people.personal_data import AlreadyErased, personal_data_erase, user_by_email


class Command(BaseCommand):
    help = (
        "Erase one person's personal data (GDPR art. 17): name, e-mail address, employee "
        "number and free text go from every table; the audit log keeps a pseudonym. Cannot "
        "be undone, so it asks for --confirm."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="The person's sign-in address.")
        parser.add_argument(
            "--confirm", action="store_true", help="Yes, erase this person; cannot be undone."
        )

    def handle(self, *args, email, confirm, **options):
        try:
            user = user_by_email(email)
        except User.DoesNotExist:
            raise CommandError(f"No account with the address {email}.") from None
        name = user.get_full_name() or user.email
        if not confirm:
            raise CommandError(f"Nothing erased: add --confirm to erase {name} ({user.email}).")
        try:
            pseudonym = personal_data_erase(user=user, acting_user=None, reason="command line")
        except AlreadyErased as erased:
            raise CommandError(f"Erased already: {erased}.") from None
        self.stdout.write(f"Erased {name}; the audit log calls them {pseudonym}.")
