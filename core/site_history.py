"""Wagtail's own record of changes made in the admin (Reports → Site history), beside
Vaardig's audit log: it keeps to the organisations the reader administers.

Wagtail's admin screens record each create, edit and delete in Wagtail's log too, named by the
object as it was then (an employee by name, a unit, a rule). Wagtail shows every entry of a
kind to anyone with a permission on that kind, so the HR adviser of one organisation would
read the changes to another's people there. Of every model whose queryset has
``administered_by(user)`` (people/access.py), only the entries about objects it holds are
shown and offered as filters; entries about pages follow the page permission policy
(content/page_scope.py)."""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from wagtail.admin.views.reports.audit_logging import LogEntriesView, SiteHistoryReportFilterSet
from wagtail.log_actions import registry as log_action_registry
from wagtail.models import ModelLogEntry

from core.access import is_platform_administrator


def model_log_entries_administered(entries, user):
    """``entries`` (of Wagtail's ModelLogEntry) without those about objects of organisations
    ``user`` does not administer."""
    if is_platform_administrator(user):
        return entries
    scoped, kept = Q(pk__in=[]), Q(pk__in=[])
    for model in apps.get_models():
        manager = model._default_manager
        if not hasattr(manager, "administered_by"):
            continue
        content_type = ContentType.objects.get_for_model(model)
        # A log entry names its object by a text id.
        ids = manager.administered_by(user).annotate(_id=Cast("pk", CharField())).values("_id")
        scoped |= Q(content_type=content_type)
        kept |= Q(content_type=content_type, object_id__in=ids)
    return entries.filter(~scoped | kept)


def _entries_viewable_by(user):
    for log_model in log_action_registry.get_log_entry_models():
        entries = log_model.objects.viewable_by_user(user)
        if log_model is ModelLogEntry:
            entries = model_log_entries_administered(entries, user)
        yield entries


class OrganisationSiteHistoryFilterSet(SiteHistoryReportFilterSet):
    def get_user_choices(self):
        """The people who made the entries one may read (not everyone's editors)."""
        ids = set()
        for entries in _entries_viewable_by(self.request.user):
            ids.update(entries.get_user_ids())
        User = get_user_model()
        return User.objects.filter(pk__in=ids).order_by(User.USERNAME_FIELD)


class OrganisationSiteHistoryView(LogEntriesView):
    filterset_class = OrganisationSiteHistoryFilterSet

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if queryset.model is ModelLogEntry:
            queryset = model_log_entries_administered(queryset, self.request.user)
        return queryset
