"""What every admin screen of HR's data shares: forms and views that write each create,
edit and delete to the one audit log with old and new values, in the name of the person
signed in."""

import functools

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.db import transaction
from django.forms import modelform_factory
from django.shortcuts import get_object_or_404
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import ObjectList
from wagtail.admin.views.generic import CreateView, DeleteView, EditView, IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import policy_registry, register_permission_policy

from core.access import Scope, is_platform_administrator
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


class SharedPermissionPolicy(ModelPermissionPolicy):
    """Something every organisation shares (the competency frameworks): the model's
    permissions let people read it; adding, changing and deleting reach every organisation,
    so they are for platform administrators."""

    WRITES = {"add", "change", "delete"}

    def user_has_permission(self, user, action):
        if action in self.WRITES:
            return is_platform_administrator(user)
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class PlatformPermissionPolicy(ModelPermissionPolicy):
    """Platform administration (organisations and their administrators): superusers only."""

    def user_has_permission(self, user, action):
        return is_platform_administrator(user)

    def user_has_any_permission(self, user, actions):
        return is_platform_administrator(user)

    def users_with_any_permission(self, actions):
        return self.auth_model._default_manager.filter(is_active=True, is_superuser=True)


class ScopedIndexView(IndexView):
    """A viewset's list: the rows its viewset's ``listed_queryset`` gives the person."""

    listed_queryset = None  # set by the viewset: a callable taking the user

    def get_base_queryset(self):
        return self.listed_queryset(self.request.user)


class ScopedExportIndexView(ScopedIndexView, ExportIndexView):
    """A viewset's list with Vaardig's export: the rows ``listed_queryset`` gives the person."""


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


class ScopedViewSetMixin:
    """A viewset that declares how it is scoped (``scope``, a core.access.Scope) and keeps to
    it in every one of its views: its list shows ``listed_queryset(user)``, and an id in any
    of its addresses (edit, delete, inspect, history, usage, copy, or a view of its own) is
    looked up in ``administered_queryset(user)`` before the view runs, so someone else's
    object answers 404 whatever the view does next. For Scope.ORGANISATIONS both default to
    the model's ``administered_by(user)``."""

    scope: Scope | None = None  # tests/config/test_admin_scope.py fails on a viewset without
    index_view_class = ScopedIndexView

    def administered_queryset(self, user):
        manager = self.model._default_manager
        if self.scope is Scope.ORGANISATIONS:
            return manager.administered_by(user)
        return manager.all()

    def listed_queryset(self, user):
        return self.administered_queryset(user)

    def register_permissions(self):
        # Shared and platform models keep a policy of their own, registered with Wagtail
        # before the viewset would register the plain model-permission one.
        policy = {Scope.SHARED: SharedPermissionPolicy, Scope.PLATFORM: PlatformPermissionPolicy}
        if self.scope in policy and not policy_registry.get_by_type(self.model, fallback=False):
            register_permission_policy(self.model, policy[self.scope](self.model), exact_class=True)
        super().register_permissions()

    def get_index_view_kwargs(self, **kwargs):
        kwargs = super().get_index_view_kwargs(**kwargs)
        if issubclass(self.index_view_class, ScopedIndexView):
            kwargs["listed_queryset"] = self.listed_queryset
        return kwargs

    def construct_view(self, view_class, **kwargs):
        view = super().construct_view(view_class, **kwargs)

        @functools.wraps(view)
        def scoped(request, *args, **url_kwargs):
            pk = url_kwargs.get("pk")
            if pk is not None:
                get_object_or_404(self.administered_queryset(request.user), pk=unquote(str(pk)))
            return view(request, *args, **url_kwargs)

        return scoped


class AuditedModelViewSet(ScopedViewSetMixin, ModelViewSet):
    """The admin of something HR maintains (people, units, roles, targets, frameworks,
    rules, paths). Every create, edit and delete goes to the one audit log with its old and
    new values, whatever the form."""

    add_view_class = AuditedCreateView
    edit_view_class = AuditedEditView
    delete_view_class = AuditedDeleteView
    base_form_class = AuditedAdminForm
    # Vaardig's CSV and XLSX, filters that check ids, of the rows the person administers.
    index_view_class = ScopedExportIndexView

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
