"""HR's certificate register in the admin, as a Wagtail viewset: the list with its filters and
its CSV/XLSX export, one certificate inspected, its PDF, revoke with a reason, re-issue after a
change of name, and a ZIP of the PDFs of the filtered list.

Certificates are issued by completing a module and changed only by the services in
lms/certificates.py (which write the audit log), so the viewset has no add, edit, copy or
delete view at all: the register offers nothing that could change a certificate behind the
services' back. Who may do what is the model's permission policy, as in every viewset:
``lms.view_certificate`` to read and download, ``lms.change_certificate`` to revoke and re-issue.
The views of one certificate's actions (revoke, re-issue, PDF) are in admin_actions.py.
"""

import io
import zipfile

import django_filters
from django.contrib import messages
from django.contrib.admin.utils import quote
from django.contrib.auth import get_permission_codename
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail.admin.filters import DateRangePickerWidget
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import Button, HeaderButton

from content.models import ModulePage
from content.translations import source_pages_q
from core.access import Scope
from core.admin_views import ScopedViewSetMixin
from core.audit import audit_log
from core.ids import IdChoiceFilter, IdFilterSet
from core.spreadsheets import ExportIndexView
from lms.certificates.admin_actions import (
    CertificatePdfView,
    CertificateReissueView,
    CertificateRevokeView,
)
from lms.certificates.services import certificate_pdf_missing, verify_url
from lms.certificates.status import CertificateStatus
from lms.models import Certificate
from people.models import OrgUnit

MAX_ZIP = 2000

# The register's columns: the list shows these and the export has these, nothing more.
HEADINGS = {
    "number": gettext_lazy("Number"),
    "holder_name": gettext_lazy("Holder"),
    "module_title": gettext_lazy("Module"),
    "completed_on": gettext_lazy("Completed on"),
    "valid_until": gettext_lazy("Valid until"),
    "status": gettext_lazy("Status"),
    "issued_at": gettext_lazy("Issued"),
}


class CertificateFilterSet(IdFilterSet):
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"), choices=CertificateStatus.choices, method="filter_status"
    )
    module = IdChoiceFilter(
        label=gettext_lazy("Module"),
        field_name="enrolment__module",
        queryset=lambda request: (
            ModulePage.objects.available_to(request.user).filter(source_pages_q()).order_by("title")
        ),
    )
    org_unit = IdChoiceFilter(
        label=gettext_lazy("Organisation unit"),
        queryset=lambda request: OrgUnit.objects.administered_by(request.user).order_by("path"),
        method="filter_org_unit",
    )
    completed_on = django_filters.DateFromToRangeFilter(
        label=gettext_lazy("Completed on"), widget=DateRangePickerWidget
    )
    # The admin dashboard's "expiring within 30 days" leads here.
    valid_until = django_filters.DateFromToRangeFilter(
        label=gettext_lazy("Valid until"), widget=DateRangePickerWidget
    )

    class Meta:
        model = Certificate
        fields = []

    def filter_status(self, queryset, name, value):
        return queryset.status_is(value)

    def filter_org_unit(self, queryset, name, unit):
        # A unit includes every unit below it.
        return queryset.filter(enrolment__learner__employee__org_unit__path__startswith=unit.path)


def status_text(certificate: Certificate) -> str:
    """The status as the register shows it: with the reason of a revocation (HR's eyes only;
    the verification page never shows it) and how often it was re-issued."""
    status = certificate.status
    text = str(status.label)
    if status == CertificateStatus.REVOKED:
        text = f"{text}: {certificate.revoked_reason}"
    if certificate.history:
        count = len(certificate.history)
        text += " · " + ngettext("re-issued once", "re-issued %(counter)s times", count) % {
            "counter": count
        }
    return text


def _issued(certificate: Certificate):
    """The moment of issue as a local date and time, to the second, for the spreadsheet."""
    return timezone.localtime(certificate.issued_at).replace(tzinfo=None, microsecond=0)


class CertificateIndexView(ExportIndexView):
    any_permission_required = ["view"]

    def get_base_queryset(self):
        # The register of the organisations the person administers, and nothing else.
        return Certificate.objects.administered_by(self.request.user)

    zip_url_name = None
    revoke_url_name = None
    reissue_url_name = None
    pdf_url_name = None
    pdf_version_url_name = None

    def get_filename(self):
        return f"certificates-{timezone.localdate():%Y-%m-%d}"

    @cached_property
    def columns(self):
        columns = super().columns
        # The number links to the certificate; 2026-000123 stays on one line.
        columns[0].classname = "w-whitespace-nowrap"
        return columns

    def order_queryset(self, queryset):
        # Certificates completed on the same day keep one order from page to page.
        queryset = super().order_queryset(queryset)
        return queryset.order_by(*queryset.query.order_by, "-pk")

    def to_row_dict(self, item):
        # The export has the list's columns, the status without the revocation reason.
        return {
            "number": item.number,
            "holder_name": item.holder_name,
            "module_title": item.module_title,
            "completed_on": item.completed_on,
            "valid_until": item.valid_until,
            "status": str(item.status.label),
            "issued_at": _issued(item),
        }

    def _filter_query(self) -> str:
        query = self.request.GET.copy()
        for name in ("p", "export", "_w_filter_fragment"):
            query.pop(name, None)
        return query.urlencode()

    @cached_property
    def header_buttons(self):
        return [
            *super().header_buttons,
            HeaderButton(
                _("Download the PDFs (ZIP)"),
                url=f"{reverse(self.zip_url_name)}?{self._filter_query()}",
                icon_name="download",
            ),
        ]

    def get_list_more_buttons(self, instance):
        return [*super().get_list_more_buttons(instance), *_action_buttons(self, instance)]


def _action_buttons(view, certificate: Certificate, button_class=Button) -> list:
    """Download, revoke and re-issue, for those who may; the same in the list and on the
    inspect page."""
    buttons = []
    if certificate.pdf:
        buttons.append(
            button_class(
                _("Download the PDF"),
                url=reverse(view.pdf_url_name, args=[quote(certificate.pk)]),
                icon_name="download",
                priority=30,
            )
        )
    if certificate.status != CertificateStatus.REVOKED and view.user_has_permission("change"):
        for label, url_name, icon, priority in (
            (_("Re-issue with current name"), view.reissue_url_name, "rotate", 40),
            (_("Revoke"), view.revoke_url_name, "cross", 50),
        ):
            buttons.append(
                button_class(
                    label,
                    url=reverse(url_name, args=[quote(certificate.pk)]),
                    icon_name=icon,
                    priority=priority,
                )
            )
    return buttons


class CertificateInspectView(InspectView):
    any_permission_required = ["view"]
    revoke_url_name = None
    reissue_url_name = None
    pdf_url_name = None
    pdf_version_url_name = None

    @cached_property
    def header_buttons(self):
        # Shown as buttons, not in a menu: they are what one comes to this page for.
        return _action_buttons(self, self.object, button_class=HeaderButton)

    def get_fields_context(self):
        certificate = self.object
        fields = [
            (_("Number"), certificate.number),
            (_("Holder"), certificate.holder_name),
            (_("Module"), certificate.module_title),
            (_("Organisation"), certificate.organisation_name),
            (_("Completed on"), certificate.completed_on),
            (_("Valid until"), certificate.valid_until or _("Does not expire")),
            (_("Status"), status_text(certificate)),
            (_("Issued"), timezone.localtime(certificate.issued_at)),
            (
                _("Competences"),
                "; ".join(
                    _("%(code)s %(title)s (level %(level)s)") % competence
                    for competence in certificate.competences
                )
                or "—",
            ),
            (_("Verification page"), verify_url(certificate)),
        ]
        if certificate.revoked_at:
            fields.append(
                (
                    _("Revoked"),
                    _("%(when)s by %(who)s")
                    % {
                        "when": date_format(
                            timezone.localtime(certificate.revoked_at), "SHORT_DATETIME_FORMAT"
                        ),
                        "who": certificate.revoked_by or "—",
                    },
                )
            )
        for number, version in enumerate(certificate.history, start=1):
            fields.append((_("Earlier version"), self._earlier_version(number, version)))
        return [{"label": label, "value": value, "component": None} for label, value in fields]

    def _earlier_version(self, number: int, version: dict):
        if not version.get("pdf"):
            return version["holder_name"]
        return format_html(
            '{} · <a href="{}">{}</a>',
            version["holder_name"],
            reverse(self.pdf_version_url_name, args=[quote(self.object.pk), number]),
            _("Download the PDF of this version"),
        )


class CertificateZipView(CertificateIndexView):
    """The PDFs of the list as it is filtered: the same view, answering with a ZIP."""

    def get(self, request, *args, **kwargs):
        certificates = list(self.get_queryset().exclude(pdf="")[: MAX_ZIP + 1])
        if len(certificates) > MAX_ZIP:
            messages.error(
                request,
                _("Narrow the filters: at most %(max)s PDFs fit in one download.")
                % {"max": MAX_ZIP},
            )
            return redirect(f"{reverse(self.index_url_name)}?{self._filter_query()}")
        buffer = io.BytesIO()
        names = set()
        added, missing = [], []
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for certificate in certificates:
                # Numbers are unique per organisation; the scope tells two alike apart.
                name = f"{certificate.number}.pdf"
                if name in names:
                    name = f"{certificate.number}-{certificate.scope}.pdf"
                try:
                    with certificate.pdf.open("rb") as handle:
                        content = handle.read()
                except OSError:
                    # The file went missing from the storage (a restore, a lost volume):
                    # the others still go out, and this one is made again from its record.
                    missing.append(certificate)
                    continue
                names.add(name)
                archive.writestr(name, content)
                added.append(certificate)
            if missing:
                archive.writestr("MISSING.txt", self._missing_note(missing))
        for certificate in missing:
            certificate_pdf_missing(certificate=certificate)
        audit_log(
            actor=request.user,
            action="lms.certificate.download_zip",
            numbers=[certificate.number for certificate in added],
            **({"missing": [c.number for c in missing]} if missing else {}),
        )
        if missing:
            messages.warning(request, self._missing_note(missing))
        response = HttpResponse(buffer.getvalue(), content_type="application/zip")
        response["Content-Disposition"] = 'attachment; filename="certificaten.zip"'
        return response

    def _missing_note(self, missing: list[Certificate]) -> str:
        return _(
            "The PDFs of these certificates could not be found and are not in the ZIP: "
            "%(numbers)s. They are being made again; download the ZIP again in a few minutes."
        ) % {"numbers": ", ".join(certificate.number for certificate in missing)}


class CertificateViewSet(ScopedViewSetMixin, ModelViewSet):
    """Every view looks its certificate up in ``Certificate.objects.administered_by(user)``
    (ScopedViewSetMixin) before it runs, and the list, its export and the ZIP read the same
    queryset: another organisation's certificate answers 404."""

    model = Certificate
    scope = Scope.ORGANISATIONS
    icon = "doc-full"
    menu_label = gettext_lazy("Certificates")
    menu_order = 330
    add_to_admin_menu = True
    index_view_class = CertificateIndexView
    inspect_view_class = CertificateInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    add_to_reference_index = False  # nothing in the CMS links to a certificate
    filterset_class = CertificateFilterSet
    search_fields = ["number", "holder_name", "module_title"]
    ordering = "-completed_on"
    list_per_page = 50
    # The first column links to the certificate and holds its actions.
    list_display = [
        "number",
        Column("holder_name", label=HEADINGS["holder_name"], sort_key="holder_name", width="14%"),
        Column(
            "module_title", label=HEADINGS["module_title"], sort_key="module_title", width="22%"
        ),
        Column(
            "completed_on", label=HEADINGS["completed_on"], sort_key="completed_on", width="11%"
        ),
        Column(
            "valid_until",
            label=HEADINGS["valid_until"],
            accessor=lambda certificate: certificate.valid_until or "—",
            sort_key="valid_until",
            width="11%",
        ),
        Column("status", label=HEADINGS["status"], accessor=status_text, width="15%"),
        Column("issued_at", label=HEADINGS["issued_at"], sort_key="issued_at", width="12%"),
    ]
    list_export = list(HEADINGS)
    export_headings = HEADINGS

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            # The views Wagtail would add for any model, which a certificate must not have.
            add_url_name=None,
            edit_url_name=None,
            delete_url_name=None,
            history_url_name=None,
            usage_url_name=None,
            zip_url_name=self.get_url_name("zip"),
            revoke_url_name=self.get_url_name("revoke"),
            reissue_url_name=self.get_url_name("reissue"),
            pdf_url_name=self.get_url_name("pdf"),
            pdf_version_url_name=self.get_url_name("pdf_version"),
            **kwargs,
        )

    @property
    def url_finder_class(self):
        # "The admin page of a certificate" is its inspect page: there is no edit page.
        finder = super().url_finder_class
        finder.edit_url_name = self.get_url_name("inspect")
        return finder

    def get_permissions_to_register(self):
        # Only what the register uses is offered when HR edits a group's permissions.
        return (
            super()
            .get_permissions_to_register()
            .filter(
                codename__in=[
                    get_permission_codename(action, self.model_opts)
                    for action in ("view", "change")
                ]
            )
        )

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path(
                "zip/",
                self.construct_view(CertificateZipView, **self.get_index_view_kwargs()),
                name="zip",
            ),
            path("<id:pk>/", self.inspect_view, name="inspect"),
            path("<id:pk>/pdf/", self.construct_view(CertificatePdfView), name="pdf"),
            path(
                "<id:pk>/pdf/<id:version>/",
                self.construct_view(CertificatePdfView),
                name="pdf_version",
            ),
            path("<id:pk>/revoke/", self.construct_view(CertificateRevokeView), name="revoke"),
            path("<id:pk>/reissue/", self.construct_view(CertificateReissueView), name="reissue"),
        ]
