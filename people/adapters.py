from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator

from people.security import SECOND_FACTORS, two_factor_required


class AccountAdapter(DefaultAccountAdapter):
    """Public sign-up is closed: HR provisions accounts from the staff roster."""

    def is_open_for_signup(self, request):
        return False


class MFAAdapter(DefaultMFAAdapter):
    """Whoever must sign in with two factors cannot switch the last one off (a new phone:
    set up the new app as a second factor first, then remove the old one)."""

    def can_delete_authenticator(self, authenticator):
        if authenticator.type not in SECOND_FACTORS or not two_factor_required(authenticator.user):
            return True
        others = Authenticator.objects.filter(
            user_id=authenticator.user_id, type__in=SECOND_FACTORS
        ).exclude(pk=authenticator.pk)
        return others.exists()
