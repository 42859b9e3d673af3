from django import forms
from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from core.admin_menu import AdminPermissionMixin
from people.models import RosterUpload
from people.roster import RosterError, accepted_headers, roster_import

MAX_UPLOAD = 20 * 1024 * 1024
ROSTER_PERMISSION = "people.import_roster"


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Roster file (CSV or XLSX)"),
        help_text=gettext_lazy(
            "The export of the HR system. You see a preview before anything changes."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        return upload


def _dry_run(data: bytes, user) -> dict:
    try:
        return {"result": roster_import(data=data, acting_user=user, dry_run=True).as_dict()}
    except RosterError as error:
        return {"problems": error.problems}


class RosterUploadView(AdminPermissionMixin, View):
    admin_permissions = (ROSTER_PERMISSION,)

    def get(self, request):
        return self.render(RosterUploadForm())

    def post(self, request):
        form = RosterUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render(form)
        data = form.cleaned_data["file"].read()
        upload = RosterUpload.objects.create(
            uploaded_by=request.user,
            filename=form.cleaned_data["file"].name[:255],
            content=data,
            preview=_dry_run(data, request.user),
        )
        return redirect("people_roster_preview", upload_id=upload.pk)

    def render(self, form):
        return TemplateResponse(
            self.request,
            "people/admin/roster_upload.html",
            {
                "form": form,
                "headers": accepted_headers().split("; "),
                "uploads": RosterUpload.objects.select_related("uploaded_by")[:10],
            },
        )


class RosterPreviewView(AdminPermissionMixin, View):
    admin_permissions = (ROSTER_PERMISSION,)

    def get(self, request, upload_id):
        upload = get_object_or_404(RosterUpload, pk=upload_id)
        return TemplateResponse(request, "people/admin/roster_preview.html", {"upload": upload})

    def post(self, request, upload_id):
        upload = get_object_or_404(RosterUpload, pk=upload_id)
        with transaction.atomic():
            upload = RosterUpload.objects.select_for_update().get(pk=upload.pk)
            if upload.applied_at:
                messages.warning(request, _("This file has been imported already."))
            else:
                try:
                    result = roster_import(data=bytes(upload.content), acting_user=request.user)
                except RosterError as error:
                    upload.preview = {"problems": error.problems}
                    upload.save(update_fields=["preview"])
                    messages.error(request, _("Nothing was imported: the file has problems."))
                else:
                    upload.applied_at = timezone.now()
                    upload.result = result.as_dict()
                    upload.save(update_fields=["applied_at", "result"])
                    messages.success(request, _("The roster has been imported."))
        return redirect("people_roster_preview", upload_id=upload.pk)
