"""The audit log in the admin: read-only, newest first, for those who hold
``core.view_auditentry`` (the HR group). There is no add, edit or delete view at all: entries
are only ever written by the services, so the admin offers nothing that could change them."""

import django_filters
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget
from wagtail.admin.ui.tables import Column

from core.access import Scope, organisation_ids_administered
from core.admin_menu import AdminPermissionMixin
from core.ids import IdFilterSet
from core.models import AuditEntry
from core.spreadsheets import ExportReportView


def entries_administered_by(user):
    """The entries about the organisations ``user`` administers (AuditEntry.organisation_id,
    set by audit_log from what the entry is about); a platform administrator reads them all,
    those about no one organisation included."""
    ids = organisation_ids_administered(user)
    entries = AuditEntry.objects.all()
    return entries if ids is None else entries.filter(organisation_id__in=ids)


class AuditEntryFilterSet(IdFilterSet):
    action = django_filters.ChoiceFilter(label=_("Action"))
    created_at = django_filters.DateFromToRangeFilter(label=_("Date"), widget=DateRangePickerWidget)

    class Meta:
        model = AuditEntry
        fields = []

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        # The actions that occur in the entries this person may read.
        entries = entries_administered_by(request.user).order_by("action")
        actions = entries.values_list("action", flat=True)
        self.filters["action"].extra["choices"] = [(a, a) for a in actions.distinct()]


def _when(entry: AuditEntry) -> str:
    return date_format(timezone.localtime(entry.created_at), "SHORT_DATETIME_FORMAT")


def _target(entry: AuditEntry) -> str:
    """What the entry is about: "organisation unit 12"."""
    if entry.target_type is None:
        return ""
    return f"{entry.target_type.name} {entry.target_id}".strip()


def _data(entry: AuditEntry) -> str:
    """The recorded details on one line: "unit=12, competence=1.1, people_shown=4"."""
    return ", ".join(f"{key}={value}" for key, value in entry.data.items())


class AuditLogView(AdminPermissionMixin, ExportReportView):
    page_title = _("Audit log")
    header_icon = "history"
    model = AuditEntry
    admin_permissions = ("core.view_auditentry",)
    scope = Scope.ORGANISATIONS
    filterset_class = AuditEntryFilterSet
    index_url_name = "core_audit_log"
    index_results_url_name = "core_audit_log_results"
    default_ordering = "-created_at"
    columns = [
        Column("created_at", label=_("When"), accessor=_when, sort_key="created_at"),
        Column("actor", label=_("Who")),
        Column("action", label=_("What")),
        Column("target", label=_("Target"), accessor=_target),
        Column("data", label=_("Data"), accessor=_data),
    ]
    list_export = ["created_at", "actor", "action", "target", "data"]
    export_headings = {
        "created_at": _("When"),
        "actor": _("Who"),
        "action": _("What"),
        "target": _("Target"),
        "data": _("Data"),
    }

    def get_filename(self):
        return f"audit-log-{timezone.localdate():%Y-%m-%d}"

    def to_row_dict(self, item):
        return {
            "created_at": item.created_at,
            "actor": str(item.actor or ""),
            "action": item.action,
            "target": _target(item),
            "data": _data(item),
        }

    def get_base_queryset(self):
        return entries_administered_by(self.request.user).select_related("actor", "target_type")

    def order_queryset(self, queryset):
        # Entries written in the same instant keep the order in which they were written.
        queryset = super().order_queryset(queryset)
        return queryset.order_by(
            *queryset.query.order_by, "-pk" if self.ordering[0] == "-" else "pk"
        )
