"""Wagtail's own editor of accounts (Settings → Users, for the platform administrator) goes
through the same doors as every other change to a person: the sign-in address through
people.services.account_email_change (audited, announced to the old address), and every other
change, rights included, in the one audit log with its old and new value. A password set here
is recorded as set, never its value."""

from django.db import transaction
from wagtail.users.views import users

from core.access import Scope
from core.audit import audit_change, audit_log
from core.spreadsheets import SpreadsheetExportMixin
from people.models import User
from people.services import account_email_change

# What the editor changes besides the address and the password.
ACCOUNT_FIELDS = ("first_name", "last_name", "is_active", "is_superuser")


def account_snapshot(user: User) -> dict:
    values = {name: getattr(user, name) for name in ACCOUNT_FIELDS}
    values["groups"] = sorted(group.name for group in user.groups.all())
    return values


class IndexView(SpreadsheetExportMixin, users.IndexView):
    """Wagtail's list of accounts; an export of it goes through the one export helper."""


class CreateView(users.CreateView):
    def save_instance(self):
        with transaction.atomic():
            user = super().save_instance()
            after = {"email": user.email, **account_snapshot(user)}
            audit_change(
                actor=self.request.user,
                target=user,
                before=None,
                after=after,
                action="people.account.create",
            )
        return user


class EditView(users.EditView):
    def save_instance(self):
        stored = User.objects.get(pk=self.object.pk)
        before = account_snapshot(stored)
        # The form has put the new address on the account already: it is changed through the
        # service below, after everything else, or not at all.
        email = self.form.instance.email
        self.form.instance.email = stored.email
        with transaction.atomic():
            user = super().save_instance()
            audit_change(
                actor=self.request.user,
                target=user,
                before=before,
                after=account_snapshot(user),
                action="people.account.edit",
            )
            if self.form.cleaned_data.get("password1"):
                audit_log(
                    actor=self.request.user, action="people.account.password_set", target=user
                )
            account_email_change(user=user, email=email, acting_user=self.request.user)
        return user


class DeleteView(users.DeleteView):
    def delete_action(self):
        user = self.object
        before = {"email": user.email, **account_snapshot(user)}
        with transaction.atomic():
            audit_change(
                actor=self.request.user,
                target=user,
                before=before,
                after=None,
                action="people.account.delete",
            )
            super().delete_action()


class UserViewSet(users.UserViewSet):
    scope = Scope.PLATFORM  # superusers only: people.apps registers the policy
    index_view_class = IndexView
    add_view_class = CreateView
    edit_view_class = EditView
    delete_view_class = DeleteView
