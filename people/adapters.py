from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from allauth.mfa.stages import AuthenticateStage
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.providers.base.constants import AuthProcess
from django.shortcuts import render
from django.urls import reverse

from people.access import organisations_administered
from people.security import SECOND_FACTORS, two_factor_required
from people.services import DASHBOARD_PERMISSION
from people.sso import SAML, ProviderRules, SignInRefused, idp_second_factor, sso_sign_in


class AccountAdapter(DefaultAccountAdapter):
    """Public sign-up is closed: HR provisions accounts from the staff roster."""

    def is_open_for_signup(self, request):
        return False

    def get_login_redirect_url(self, request):
        """Where someone lands after signing in (an address they were on their way to comes
        first, allauth sees to that): the management dashboard for a CDO who administers an
        organisation, the home page (their own learning) for everyone else. A platform
        administrator holds every permission and still starts at home."""
        user = request.user
        if (
            not user.is_superuser
            and user.has_perm(DASHBOARD_PERMISSION)
            and organisations_administered(user).ids
        ):
            return reverse("lms:dashboard")
        return super().get_login_redirect_url(request)

    def get_login_stages(self):
        return [
            "people.adapters.SecondFactorStage"
            if stage == "allauth.mfa.stages.AuthenticateStage"
            else stage
            for stage in super().get_login_stages()
        ]


class SecondFactorStage(AuthenticateStage):
    """allauth's second-factor step, left out after a sign-in through an identity provider
    that asks for a second factor itself (the organisation says so on the provider)."""

    def _should_handle(self, request):
        if self.login.user is not None and idp_second_factor(request, self.login.user):
            return False
        return super()._should_handle(request)


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


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Sign-in through the organisation's identity provider, for the people HR provisioned
    (people/sso.py decides whose sign-in it is). Nobody signs up, nobody connects a second
    identity by hand, and every SAML provider must sign its assertions and may not start a
    sign-in of its own (IdP-initiated), whatever its settings say."""

    def is_open_for_signup(self, request, sociallogin):
        return False

    def list_apps(self, request, provider=None, client_id=None):
        apps = super().list_apps(request, provider=provider, client_id=client_id)
        for app in apps:
            if app.provider == SAML:
                settings = dict(app.settings or {})
                settings["advanced"] = {
                    **settings.get("advanced", {}),
                    "strict": True,
                    "want_assertion_signed": True,
                    "reject_idp_initiated_sso": True,
                }
                app.settings = settings
        return apps

    def pre_social_login(self, request, sociallogin):
        try:
            if sociallogin.state.get("process") != AuthProcess.LOGIN:
                # Identities are linked at sign-in, by HR's data, never by hand.
                raise SignInRefused(SignInRefused.UNKNOWN)
            sso_sign_in(
                request=request,
                sociallogin=sociallogin,
                rules=ProviderRules.of(sociallogin.provider.app),
            )
        except SignInRefused as refusal:
            raise ImmediateHttpResponse(
                render(
                    request,
                    "people/sso_refused.html",
                    {"reason": refusal.reason, "provider": sociallogin.provider.name},
                    status=403,
                )
            ) from None
