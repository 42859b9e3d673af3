from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Public sign-up is closed: HR provisions accounts from the staff roster."""

    def is_open_for_signup(self, request):
        return False
