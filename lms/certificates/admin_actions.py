"""What HR does to one certificate in the register (lms/certificates/admin.py): revoke it with a
reason, re-issue it after a change of name, download its PDF or an earlier version's. Each goes
through the certificate services or writes the audit log."""

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import quote
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView, View
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from core.audit import audit_log
from lms.certificates.pdf import certificate_pdf_response
from lms.certificates.services import (
    CertificateError,
    certificate_reissue,
    certificate_revoke,
    holder_name_now,
)
from lms.models import Certificate


class CertificateActionView(PermissionCheckedMixin, WagtailAdminTemplateMixin):
    """Something HR does to one certificate, after a confirmation page."""

    model = Certificate
    permission_required = "change"
    header_icon = "doc-full"
    index_url_name = None
    inspect_url_name = None

    @cached_property
    def object(self) -> Certificate:
        # Looked up after the permission check: no one learns which ids exist without it.
        administered = Certificate.objects.administered_by(self.request.user)
        return get_object_or_404(administered, pk=self.kwargs["pk"])

    def get_page_subtitle(self):
        return self.object.number

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": _("Certificates")},
            {"url": self.inspect_url, "label": self.object.number},
            {"url": "", "label": self.get_page_title(), "sublabel": self.object.number},
        ]

    @property
    def inspect_url(self) -> str:
        return reverse(self.inspect_url_name, args=[quote(self.object.pk)])

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            certificate=self.object, cancel_url=self.inspect_url, **kwargs
        )


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Kept in the audit log; not shown on the verification page."),
    )


class CertificateRevokeView(CertificateActionView, FormView):
    template_name = "lms/admin/certificate_revoke.html"
    page_title = gettext_lazy("Revoke certificate")
    form_class = RevokeForm

    def form_valid(self, form):
        try:
            certificate_revoke(
                certificate=self.object,
                reason=form.cleaned_data["reason"],
                acting_user=self.request.user,
            )
        except CertificateError as error:
            messages.error(self.request, str(error))
        else:
            messages.success(
                self.request,
                _("Certificate %(number)s revoked.") % {"number": self.object.number},
            )
        return redirect(self.inspect_url)


class CertificateReissueView(CertificateActionView, TemplateView):
    template_name = "lms/admin/certificate_reissue.html"
    page_title = gettext_lazy("Re-issue certificate")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            new_name=holder_name_now(self.object.enrolment.learner), **kwargs
        )

    def post(self, request, *args, **kwargs):
        try:
            certificate_reissue(certificate=self.object, acting_user=request.user)
        except CertificateError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, _("Certificate %(number)s re-issued.") % {"number": self.object.number}
            )
        return redirect(self.inspect_url)


class CertificatePdfView(PermissionCheckedMixin, View):
    """HR's download of a certificate's PDF, revoked ones included, or of an earlier version
    of a re-issued one (``version``: its place in the history, from 1). Each download is
    written to the audit log: the PDF is personal data, and who took a copy is on record."""

    model = Certificate
    permission_required = "view"

    def get(self, request, pk, version=None):
        administered = Certificate.objects.administered_by(request.user)
        certificate = get_object_or_404(administered, pk=pk)
        if version is None:
            name = certificate.pdf.name
        elif 1 <= version <= len(certificate.history):
            name = certificate.history[version - 1].get("pdf", "")
        else:
            raise Http404
        if not name:
            raise Http404(_("The PDF is being prepared."))
        response = certificate_pdf_response(name, number=certificate.number)
        audit_log(
            actor=request.user,
            action="lms.certificate.download",
            target=certificate,
            version=version or len(certificate.history) + 1,
        )
        return response
