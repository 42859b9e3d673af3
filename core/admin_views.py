"""What every admin screen of HR's data shares: forms and views that write each create,
edit and delete to the one audit log with old and new values, in the name of the person
signed in."""

from django.contrib import messages
from django.db import transaction
from django.forms import modelform_factory
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import ObjectList
from wagtail.admin.views.generic import CreateView, DeleteView, EditView
from wagtail.admin.viewsets.model import ModelViewSet

from core.audit import audit_change, snapshot
from core.ids import ids_checked
from core.spreadsheets import ExportIndexView


class AuditedAdminForm(WagtailAdminModelForm):
    """An admin form whose save is recorded in the one audit log, with the old and new
    values, in the name of the person signed in. Subclasses put what saving means in
    ``save_object``; the audit entry is written in the same transaction."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        ids_checked(self.fields)  # an id beyond the database's range is a form error
        self.before = self.audit_values(self.instance) if self.instance.pk else None

    @transaction.atomic
    def save(self, commit=True):
        instance = self.save_object(commit=commit)
        if commit:
            audit_change(
                actor=self.for_user,
                target=instance,
                before=self.before,
                after=self.audit_values(instance),
            )
        return instance

    def save_object(self, commit=True):
        return super().save(commit=commit)

    def audit_values(self, instance) -> dict:
        return snapshot(instance)


class NoticeMixin:
    """Create and edit views whose saved form may carry a ``notice``: what the save set in
    motion (figures being recomputed in the background, say), shown after the usual message."""

    def form_valid(self, form):
        response = super().form_valid(form)
        if getattr(form, "notice", ""):
            messages.info(self.request, form.notice)
        return response


class AuditedCreateView(NoticeMixin, CreateView):
    pass


class AuditedEditView(NoticeMixin, EditView):
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
    new values, whatever the form."""

    add_view_class = AuditedCreateView
    edit_view_class = AuditedEditView
    delete_view_class = AuditedDeleteView
    base_form_class = AuditedAdminForm
    index_view_class = ExportIndexView  # Vaardig's CSV and XLSX, filters that check ids

    @property
    def pk_path_converter(self):
        converter = super().pk_path_converter
        return "id" if converter == "int" else converter

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
