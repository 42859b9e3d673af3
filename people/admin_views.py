from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.forms import modelform_factory
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail.admin.panels import ObjectList
from wagtail.admin.views.generic import CreateView, DeleteView, EditView
from wagtail.admin.viewsets.model import ModelViewSet

from core.audit import audit_change, snapshot
from people.forms import AuditedAdminForm
from people.models import RosterUpload
from people.roster import RosterError, accepted_headers, roster_import

MAX_UPLOAD = 20 * 1024 * 1024


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


def _require_permission(request):
    if not request.user.has_perm("people.import_roster"):
        raise PermissionDenied


def _dry_run(data: bytes, user) -> dict:
    try:
        return {"result": roster_import(data=data, acting_user=user, dry_run=True).as_dict()}
    except RosterError as error:
        return {"problems": error.problems}


def roster_upload(request):
    _require_permission(request)
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read()
        upload = RosterUpload.objects.create(
            uploaded_by=request.user,
            filename=form.cleaned_data["file"].name[:255],
            content=data,
            preview=_dry_run(data, request.user),
        )
        return redirect("people_roster_preview", upload_id=upload.pk)
    return TemplateResponse(
        request,
        "people/admin/roster_upload.html",
        {
            "form": form,
            "headers": accepted_headers().split("; "),
            "uploads": RosterUpload.objects.select_related("uploaded_by")[:10],
        },
    )


def roster_preview(request, upload_id):
    _require_permission(request)
    upload = get_object_or_404(RosterUpload, pk=upload_id)
    if request.method == "POST":
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
    return TemplateResponse(request, "people/admin/roster_preview.html", {"upload": upload})


class FiguresUpdatingMessageMixin:
    """For the create and edit views of things that competence figures derive from (roles,
    organisations, targets, competences): when the saved form reports ``figures_updating``
    people, tell HR that their figures are being brought up to date in the background."""

    def form_valid(self, form):
        response = super().form_valid(form)
        count = getattr(form, "figures_updating", 0)
        if count:
            messages.info(
                self.request,
                ngettext(
                    "The competence figures of %(count)s person are being updated; "
                    "coverage shows them in a few minutes.",
                    "The competence figures of %(count)s people are being updated; "
                    "coverage shows them in a few minutes.",
                    count,
                )
                % {"count": count},
            )
        return response


class FiguresCreateView(FiguresUpdatingMessageMixin, CreateView):
    pass


class FiguresEditView(FiguresUpdatingMessageMixin, EditView):
    pass


class AuditedDeleteView(DeleteView):
    """Deleting is recorded in the one audit log with the values the object had."""

    def delete_action(self):
        with transaction.atomic():
            audit_change(
                actor=self.request.user,
                target=self.object,
                before=snapshot(self.object),
                after=None,
            )
            super().delete_action()


class AuditedModelViewSet(ModelViewSet):
    """The admin of something HR maintains (people, units, roles, targets, frameworks,
    rules, paths). Every create, edit and delete goes to the one audit log with its old and
    new values, whatever the form; edits that change competence figures say so."""

    add_view_class = FiguresCreateView
    edit_view_class = FiguresEditView
    delete_view_class = AuditedDeleteView
    base_form_class = AuditedAdminForm

    def get_edit_handler(self):
        if hasattr(self, "panels") and not hasattr(self, "edit_handler"):
            handler = ObjectList(self.panels, base_form_class=self.base_form_class)
            return handler.bind_to_model(self.model)
        return super().get_edit_handler()

    def get_form_class(self, for_update=False):
        fields = self.get_form_fields()
        if self._edit_handler is None and fields is not None:
            return modelform_factory(
                self.model,
                form=self.base_form_class,
                fields=fields,
                formfield_callback=self.formfield_for_dbfield,
            )
        return super().get_form_class(for_update=for_update)
