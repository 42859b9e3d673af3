from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View

from core.access import Scope
from core.admin_menu import AdminPermissionMixin
from core.admin_views import ScopedIndexView
from people import access
from people.models import Employee, RosterUpload
from people.personal_data import (
    AlreadyErased,
    export_filename,
    personal_data_erase,
    personal_data_export,
    pseudonym_of,
)
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
from people.views import zip_response

MAX_UPLOAD = 20 * 1024 * 1024
ROSTER_PERMISSION = "people.import_roster"


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


class RosterView(AdminPermissionMixin, View):
    """The roster screens: for holders of the roster permission, about the uploads of the
    organisations they administer (RosterUpload.objects.administered_by)."""

    admin_permissions = (ROSTER_PERMISSION,)
    scope = Scope.ORGANISATIONS

    def uploads(self):
        return RosterUpload.objects.administered_by(self.request.user).defer("content")


class RosterUploadView(RosterView):
    def get(self, request):
        return self.render(RosterUploadForm())

    def post(self, request):
        form = RosterUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render(form)
        upload = roster_upload_create(
            data=form.cleaned_data["file"].read(),
            filename=form.cleaned_data["file"].name,
            kind=form.cleaned_data["kind"],
            acting_user=request.user,
        )
        return redirect("people_roster_preview", upload_id=upload.pk)

    def render(self, form):
        return TemplateResponse(
            self.request,
            "people/admin/roster_upload.html",
            {
                "form": form,
                "headers": [
                    (FIELD_LABELS[key], ", ".join(names)) for key, names in HEADERS.items()
                ],
                "max_rows": MAX_ROWS,
                "max_columns": MAX_COLUMNS,
                "uploads": self.uploads().select_related("uploaded_by")[:10],
            },
        )


class RosterUploadPageView(RosterView):
    """A page about one upload: looked up among the person's own, after the permission
    check and before anything else (a method the page does not answer included), so an
    upload of another organisation answers 404 whatever is asked of it."""

    def dispatch(self, request, *args, **kwargs):
        if not self.has_admin_permission():
            return self.permission_denied()
        uploads = self.uploads().select_related("uploaded_by", "reinstated_by")
        self.upload = get_object_or_404(uploads, pk=kwargs["upload_id"])
        return super().dispatch(request, *args, **kwargs)


class RosterPreviewView(RosterUploadPageView):
    """An upload's page: its preview until it is applied or discarded, then the record of
    what it did, with the undo while it lasts."""

    def get(self, request, upload_id):
        upload = self.upload
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


class RosterApplyView(RosterUploadPageView):
    def post(self, request, upload_id):
        upload = self.upload
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


class RosterDiscardView(RosterUploadPageView):
    def post(self, request, upload_id):
        upload = self.upload
        try:
            roster_upload_discard(upload_id=upload.pk, acting_user=request.user)
        except RosterUploadClosed as error:
            messages.warning(request, str(error))
        else:
            messages.success(request, _("The file has been discarded and deleted."))
        return redirect("people_roster_preview", upload_id=upload.pk)


class RosterReinstateView(RosterUploadPageView):
    def post(self, request, upload_id):
        upload = self.upload
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


class SharedRowsIndexView(ScopedIndexView):
    """A list that shows shared rows (the municipal roles) beside the organisation's own:
    only the own ones link to their edit and delete pages, which answer 404 for the others."""

    def _own(self, instance) -> bool:
        # A shared row has no organisation: only a platform administrator "administers" None.
        return instance.organisation_id in access.organisations_administered(self.request.user)

    def get_edit_url(self, instance):
        return super().get_edit_url(instance) if self._own(instance) else None

    def get_delete_url(self, instance):
        return super().get_delete_url(instance) if self._own(instance) else None


class PersonalDataExportView(AdminPermissionMixin, View):
    """HR produces the export of one employee's personal data, as the employee gets it from
    their account page (audited in the adviser's name)."""

    admin_permissions = ("people.change_employee",)
    scope = Scope.ORGANISATIONS

    def _employee(self, request, employee_id) -> Employee:
        return get_object_or_404(
            Employee.objects.administered_by(request.user).select_related("user"), pk=employee_id
        )

    def http_method_not_allowed(self, request, *args, employee_id, **kwargs):
        # Someone else's employee is "not found" whatever the method, a GET included.
        self._employee(request, employee_id)
        return super().http_method_not_allowed(request, *args, **kwargs)

    def post(self, request, employee_id):
        employee = self._employee(request, employee_id)
        data = personal_data_export(user=employee.user, acting_user=request.user, via="admin")
        return zip_response(data, export_filename(employee.user))


class PersonalDataEraseForm(forms.Form):
    confirm_name = forms.CharField(
        label=gettext_lazy("Type the person's full name to confirm"),
        max_length=300,
    )

    def __init__(self, *args, person_name: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.person_name = person_name

    def clean_confirm_name(self):
        typed = " ".join(self.cleaned_data["confirm_name"].split())
        if typed.casefold() != " ".join(self.person_name.split()).casefold():
            raise forms.ValidationError(_("This is not the name of the person to be erased."))
        return typed


class PersonalDataView(AdminPermissionMixin, View):
    """One employee's personal data in the admin: HR downloads the export and, with the right
    to delete employees, erases the person after a confirmation that names them."""

    admin_permissions = ("people.change_employee",)
    scope = Scope.ORGANISATIONS
    ERASE_PERMISSION = "people.delete_employee"

    def get_employee(self, employee_id):
        return get_object_or_404(
            Employee.objects.administered_by(self.request.user).select_related("user"),
            pk=employee_id,
        )

    def get(self, request, employee_id):
        employee = self.get_employee(employee_id)
        return self.render(employee, self.erase_form(employee))

    def post(self, request, employee_id):
        employee = self.get_employee(employee_id)
        if not request.user.has_perm(self.ERASE_PERMISSION):
            return self.permission_denied()
        form = self.erase_form(employee, request.POST)
        if form is None or not form.is_valid():
            return self.render(employee, form)
        try:
            pseudonym = personal_data_erase(
                user=employee.user, acting_user=request.user, reason="request"
            )
        except AlreadyErased:
            return redirect("people_personal_data", employee_id=employee.pk)
        messages.success(
            request,
            _("The personal data has been erased. The audit log calls this person %(pseudonym)s.")
            % {"pseudonym": pseudonym},
        )
        return redirect("people_personal_data", employee_id=employee.pk)

    def erase_form(self, employee, data=None):
        if employee.user.erased_at or not self.request.user.has_perm(self.ERASE_PERMISSION):
            return None
        return PersonalDataEraseForm(data, person_name=employee.user.get_full_name())

    def render(self, employee, form):
        return TemplateResponse(
            self.request,
            "people/admin/personal_data.html",
            {"employee": employee, "form": form, "pseudonym": pseudonym_of(employee.user)},
        )
