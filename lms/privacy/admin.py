"""The privacy register in the admin, and its PDF for the works council."""

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.views import View

from core.access import Scope
from core.admin_menu import AdminPermissionMixin
from core.forms import DatePicker
from core.ids import id_from_text
from lms.certificates.pdf import html_to_pdf
from lms.privacy.register import Register, default_period, privacy_register
from people.access import organisations
from people.models import OrgUnit


class RegisterForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=OrgUnit.objects.none(), empty_label=None
    )
    start = forms.DateField(label=_("Names looks from"), widget=DatePicker)
    end = forms.DateField(label=_("to"), widget=DatePicker)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations(user)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", _("The end of the period comes before its start."))
        return cleaned


def register_pdf(register: Register) -> bytes:
    return html_to_pdf(render_to_string("lms/privacy_register_pdf.html", {"register": register}))


def register_filename(register: Register) -> str:
    return f"privacy-register-{register.organisation.pk}-{register.generated_at:%Y-%m-%d}.pdf"


class PrivacyRegisterView(AdminPermissionMixin, View):
    """The register of one organisation the person administers (the first one unless chosen);
    another organisation's answers 404. HR reads it, as it reads the audit log it quotes."""

    admin_permissions = ("core.view_auditentry",)
    scope = Scope.ORGANISATIONS

    def get(self, request):
        own = organisations(request.user)
        if "organisation" in request.GET:
            organisation_id = id_from_text(request.GET["organisation"])
            if organisation_id is None:
                raise Http404
            organisation = get_object_or_404(own, pk=organisation_id)
        else:
            organisation = own.first()
            if organisation is None:
                raise Http404
        start, end = default_period()
        form = RegisterForm(
            {
                "organisation": organisation.pk,
                "start": request.GET.get("start") or start,
                "end": request.GET.get("end") or end,
            },
            user=request.user,
        )
        if form.is_valid():
            start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        register = privacy_register(organisation=organisation, period_start=start, period_end=end)
        if request.GET.get("download") == "pdf" and form.is_valid():
            response = HttpResponse(register_pdf(register), content_type="application/pdf")
            response["Content-Disposition"] = (
                f'attachment; filename="{register_filename(register)}"'
            )
            response["Cache-Control"] = "private, no-store"
            return response
        return TemplateResponse(
            request,
            "lms/admin/privacy_register.html",
            {"register": register, "form": form},
        )
