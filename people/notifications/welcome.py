"""The welcome e-mail for accounts that a roster import created: where Vaardig is and how to
sign in, which depends on the organisation (a password they set through the reset link, or
its identity provider)."""

from collections.abc import Callable

from allauth.socialaccount.models import SocialApp
from django.db import transaction
from django.urls import reverse
from django_tasks import task

from core.mail import absolute_url, mail_session
from people.models import Employee
from people.notifications.services import notification_send
from people.sso import ProviderRules

# Welcome e-mails go out in batches of this many accounts, each batch one background task.
WELCOME_BATCH = 500

# The full address of the privacy statement for an organisation's staff, in a language, or
# None: the statements are pages of the content app, which registers how to find it
# (ContentConfig.ready). The welcome is where a new account first hears of its data.
PrivacyStatement = Callable[[int, str], str | None]


def _no_statement(organisation_id: int, language: str) -> str | None:
    return None


_privacy_statement: PrivacyStatement = _no_statement


def privacy_statement_register(find: PrivacyStatement) -> None:
    global _privacy_statement
    _privacy_statement = find


def _providers_by_organisation() -> dict[int, list[str]]:
    """The names of the identity providers that sign each organisation's people in."""
    providers: dict[int, list[str]] = {}
    for app in SocialApp.objects.order_by("name"):
        organisation_id = ProviderRules.of(app).organisation_id
        if organisation_id is not None:
            providers.setdefault(organisation_id, []).append(app.name)
    return providers


@mail_session()
def accounts_welcome(*, user_ids: list[int]) -> int:
    """Welcome each of these accounts once, in their language. Returns e-mails sent."""
    providers = _providers_by_organisation()
    employees = (
        Employee.objects.filter(user_id__in=user_ids, is_active=True, user__is_active=True)
        .select_related("user", "organisation")
        .order_by("pk")
    )
    sent = 0
    for employee in employees:
        user, organisation = employee.user, employee.organisation
        sent += notification_send(
            recipient=user,
            event=f"people.account.welcome:{user.pk}",
            template="account_welcome",
            context={
                "name": user.get_full_name(),
                "email": user.email,
                "organisation": organisation.name,
                "password": organisation.password_sign_in,
                "providers": providers.get(organisation.pk, []),
                "reset_url": absolute_url("account_reset_password"),
                "login_url": absolute_url("account_login"),
                "privacy_url": _privacy_statement(organisation.pk, user.preferred_language),
            },
            url=reverse("account_overview"),
            audit_action="people.account.welcome",
            audit_target=user,
        )
    return sent


@task()
def accounts_welcome_task(user_ids: list[int]) -> int:
    return accounts_welcome(user_ids=user_ids)


def accounts_welcome_enqueue(user_ids: list[int]) -> None:
    """Welcome new accounts in the background once the import that made them is committed
    (a large import makes thousands: no request waits for their e-mails)."""
    ids = sorted(user_ids)
    for start in range(0, len(ids), WELCOME_BATCH):
        batch = ids[start : start + WELCOME_BATCH]
        transaction.on_commit(lambda batch=batch: accounts_welcome_task.enqueue(batch))
