"""HR's certificate register in the admin: list and filter, revoke with a reason, re-issue
after a change of name, and a ZIP of the PDFs of the filtered list."""

import io
import zipfile

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from content.models import ModulePage
from lms.certificates.services import CertificateError, certificate_reissue, certificate_revoke
from lms.models import Certificate
from people.models import OrgUnit

MAX_ZIP = 2000


class CertificateFilter(django_filters.FilterSet):
    org_unit = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Organisation unit"),
        queryset=OrgUnit.objects.order_by("path"),
        method="filter_org_unit",
    )
    module = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Module"),
        field_name="enrolment__module",
        queryset=ModulePage.objects.order_by("title"),
    )
    completed_from = django_filters.DateFilter(
        label=gettext_lazy("Completed from"),
        field_name="completed_on",
        lookup_expr="gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    completed_until = django_filters.DateFilter(
        label=gettext_lazy("Completed until"),
        field_name="completed_on",
        lookup_expr="lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"),
        choices=[
            ("valid", gettext_lazy("Valid")),
            ("expired", gettext_lazy("Expired")),
            ("revoked", gettext_lazy("Revoked")),
        ],
        method="filter_status",
    )

    class Meta:
        model = Certificate
        fields = []

    def filter_org_unit(self, queryset, name, unit):
        # A unit includes every unit below it.
        return queryset.filter(enrolment__learner__employee__org_unit__path__startswith=unit.path)

    def filter_status(self, queryset, name, value):
        today = timezone.localdate()
        if value == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        not_revoked = queryset.filter(revoked_at__isnull=True)
        if value == "expired":
            return not_revoked.filter(valid_until__lt=today)
        return not_revoked.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))


def _require(request, codename):
    if not request.user.has_perm(f"lms.{codename}"):
        raise PermissionDenied


def _filtered(request):
    return CertificateFilter(
        request.GET or None, queryset=Certificate.objects.select_related("enrolment__module")
    )


def certificate_list(request):
    _require(request, "view_certificate")
    certificates = _filtered(request)
    page = Paginator(certificates.qs.order_by("-completed_on", "-pk"), 50).get_page(
        request.GET.get("p")
    )
    query = request.GET.copy()
    query.pop("p", None)
    return TemplateResponse(
        request,
        "lms/admin/certificate_list.html",
        {"filter": certificates, "page": page, "query": query.urlencode()},
    )


def certificate_zip(request):
    _require(request, "view_certificate")
    certificates = list(_filtered(request).qs.exclude(pdf="")[: MAX_ZIP + 1])
    if len(certificates) > MAX_ZIP:
        messages.error(
            request,
            _("Narrow the filters: at most %(max)s PDFs fit in one download.") % {"max": MAX_ZIP},
        )
        return redirect("lms_certificates")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for certificate in certificates:
            with certificate.pdf.open("rb") as handle:
                archive.writestr(f"{certificate.number}.pdf", handle.read())
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="certificaten.zip"'
    return response


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Kept in the audit log; not shown on the verification page."),
    )


def certificate_revoke_view(request, certificate_id):
    _require(request, "change_certificate")
    certificate = get_object_or_404(Certificate, pk=certificate_id)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            certificate_revoke(
                certificate=certificate,
                reason=form.cleaned_data["reason"],
                acting_user=request.user,
            )
        except CertificateError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, _("Certificate %(number)s revoked.") % {"number": certificate.number}
            )
        return redirect("lms_certificates")
    return TemplateResponse(
        request, "lms/admin/certificate_revoke.html", {"certificate": certificate, "form": form}
    )


def certificate_reissue_view(request, certificate_id):
    _require(request, "change_certificate")
    if request.method != "POST":
        raise PermissionDenied
    certificate = get_object_or_404(Certificate, pk=certificate_id)
    try:
        certificate_reissue(certificate=certificate, acting_user=request.user)
    except CertificateError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("Certificate %(number)s re-issued.") % {"number": certificate.number}
        )
    return redirect("lms_certificates")
