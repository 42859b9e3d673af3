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
from core.audit_names import Described, describe, entries_about_people
from core.audit_words import action_words
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
    person = django_filters.CharFilter(
        label=_("Person"),
        method="filter_person",
        help_text=_("Name or e-mail address: what they did and what was done about them."),
    )
    action = django_filters.ChoiceFilter(label=_("Action"))
    created_at = django_filters.DateFromToRangeFilter(label=_("Date"), widget=DateRangePickerWidget)

    class Meta:
        model = AuditEntry
        fields = []

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        # The actions that occur in the entries this person may read, in words.
        entries = entries_administered_by(request.user).order_by()
        actions = entries.values_list("action", flat=True).distinct()
        self.filters["action"].extra["choices"] = sorted(
            ((code, action_words(code)) for code in actions), key=lambda choice: choice[1]
        )

    def filter_person(self, queryset, name, value):
        # Only people the reader may see are searched (people/audit_names.py): the staff and
        # administrators of her own organisations.
        return (
            queryset.filter(entries_about_people(self.request.user, value)) if value else queryset
        )


def _when(entry: AuditEntry) -> str:
    return date_format(timezone.localtime(entry.created_at), "SHORT_DATETIME_FORMAT")


def _described(entry: AuditEntry) -> Described:
    described = getattr(entry, "described", None)
    if described is None:
        describe([entry])
        described = entry.described
    return described


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
        Column("actor", label=_("Who"), accessor=lambda entry: _described(entry).actor),
        Column("action", label=_("What"), accessor=lambda entry: action_words(entry.action)),
        Column("target", label=_("About"), accessor=lambda entry: _described(entry).target),
        Column("data", label=_("Details"), accessor=lambda entry: _described(entry).details_text),
    ]
    list_export = ["created_at", "actor", "action", "code", "target", "data"]
    export_headings = {
        "created_at": _("When"),
        "actor": _("Who"),
        "action": _("What"),
        "code": _("Action code"),
        "target": _("About"),
        "data": _("Details"),
    }

    def get_filename(self):
        return f"audit-log-{timezone.localdate():%Y-%m-%d}"

    def to_row_dict(self, item):
        described = _described(item)
        return {
            "created_at": item.created_at,
            "actor": described.actor,
            "action": action_words(item.action),
            "code": item.action,
            "target": described.target,
            "data": described.details_text,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The page's people and objects named in one query per kind, not one per entry.
        describe(list(context["object_list"]))
        return context

    def as_spreadsheet(self, queryset, spreadsheet_format):
        return super().as_spreadsheet(_described_in_chunks(queryset), spreadsheet_format)

    def get_base_queryset(self):
        return entries_administered_by(self.request.user).select_related("actor", "target_type")

    def order_queryset(self, queryset):
        # Entries written in the same instant keep the order in which they were written.
        queryset = super().order_queryset(queryset)
        return queryset.order_by(
            *queryset.query.order_by, "-pk" if self.ordering[0] == "-" else "pk"
        )


EXPORT_CHUNK = 500


def _described_in_chunks(queryset):
    """The entries of an export, named a chunk at a time: a year of the log does not fit in
    memory, and one query per entry would take as long as the year."""
    chunk = []
    for entry in queryset.iterator(chunk_size=EXPORT_CHUNK):
        chunk.append(entry)
        if len(chunk) == EXPORT_CHUNK:
            describe(chunk)
            yield from chunk
            chunk = []
    describe(chunk)
    yield from chunk
