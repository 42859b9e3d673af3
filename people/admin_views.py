from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from people.models import RosterUpload
from people.roster import (
    FIELD_LABELS,
    HEADERS,
    LEAVERS_SHARE,
    MAX_COLUMNS,
    MAX_ROWS,
    RosterConfirmationNeeded,
    RosterError,
    RosterUploadClosed,
    roster_details,
    roster_upload_apply,
    roster_upload_create,
    roster_upload_discard,
    roster_upload_reinstate,
)

MAX_UPLOAD = 20 * 1024 * 1024


class RosterUploadForm(forms.Form):
    # No default: which kind a file is decides whether people are marked as left, so HR
    # says it every time.
    kind = forms.ChoiceField(
        label=gettext_lazy("What does this file hold?"),
        choices=RosterUpload.Kind.choices,
        widget=forms.RadioSelect,
    )
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


def _require_permission(request):
    if not request.user.has_perm("people.import_roster"):
        raise PermissionDenied


def roster_upload(request):
    _require_permission(request)
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = roster_upload_create(
            data=form.cleaned_data["file"].read(),
            filename=form.cleaned_data["file"].name,
            kind=form.cleaned_data["kind"],
            acting_user=request.user,
        )
        return redirect("people_roster_preview", upload_id=upload.pk)
    return TemplateResponse(
        request,
        "people/admin/roster_upload.html",
        {
            "form": form,
            "headers": [(FIELD_LABELS[key], ", ".join(names)) for key, names in HEADERS.items()],
            "max_rows": MAX_ROWS,
            "max_columns": MAX_COLUMNS,
            "uploads": RosterUpload.objects.select_related("uploaded_by").defer("content")[:10],
        },
    )


def roster_preview(request, upload_id):
    _require_permission(request)
    upload = get_object_or_404(
        RosterUpload.objects.select_related("uploaded_by", "reinstated_by").defer("content"),
        pk=upload_id,
    )
    result = upload.result if upload.applied_at else upload.preview.get("result", {})
    return TemplateResponse(
        request,
        "people/admin/roster_preview.html",
        {
            "upload": upload,
            "result": result,
            "details": roster_details(result),
            "can_reinstate": upload.can_reinstate(),
            "leavers_share": LEAVERS_SHARE,
        },
    )


def _confirmed_number(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@require_POST
def roster_apply(request, upload_id):
    _require_permission(request)
    upload = get_object_or_404(RosterUpload.objects.defer("content"), pk=upload_id)
    try:
        roster_upload_apply(
            upload_id=upload.pk,
            acting_user=request.user,
            confirm_leavers=_confirmed_number(request.POST.get("confirm_leavers")),
            confirm_new_units=bool(request.POST.get("confirm_new_units")),
        )
    except RosterUploadClosed as error:
        messages.warning(request, str(error))
    except RosterConfirmationNeeded as error:
        messages.error(
            request,
            _("Nothing was imported yet: %(reasons)s") % {"reasons": " ".join(error.reasons)},
        )
    except RosterError:
        messages.error(request, _("Nothing was imported: the file has problems."))
    else:
        messages.success(request, _("The roster has been imported."))
    return redirect("people_roster_preview", upload_id=upload.pk)


@require_POST
def roster_discard(request, upload_id):
    _require_permission(request)
    upload = get_object_or_404(RosterUpload.objects.defer("content"), pk=upload_id)
    try:
        roster_upload_discard(upload_id=upload.pk, acting_user=request.user)
    except RosterUploadClosed as error:
        messages.warning(request, str(error))
    else:
        messages.success(request, _("The file has been discarded and deleted."))
    return redirect("people_roster_preview", upload_id=upload.pk)


@require_POST
def roster_reinstate(request, upload_id):
    _require_permission(request)
    upload = get_object_or_404(RosterUpload.objects.defer("content"), pk=upload_id)
    try:
        count = roster_upload_reinstate(upload_id=upload.pk, acting_user=request.user)
    except RosterUploadClosed as error:
        messages.warning(request, str(error))
    else:
        messages.success(
            request,
            ngettext(
                "%(count)s person is active again, with their account.",
                "%(count)s people are active again, with their accounts.",
                count,
            )
            % {"count": count},
        )
    return redirect("people_roster_preview", upload_id=upload.pk)
