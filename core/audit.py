from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.db import models
from modelcluster.models import get_all_child_relations

from core.models import AuditEntry

_UNSET = object()


def audit_log(
    *,
    actor: AbstractBaseUser | None,
    action: str,
    target: models.Model | None = None,
    organisation_id: int | None = _UNSET,
    **data,
):
    """Write one audit entry; call it inside the transaction of the change it records.

    The entry is filed under an organisation, whose administrators read it: the one given,
    or else the one the target names with its ``audit_organisation_id`` (an employee's, a
    unit's root, a role's own). Without either it is about no one organisation and only
    platform administrators read it.

    An entry about something of one person's (her enrolment, certificate, attempt) names her
    account as ``person``, which the target gives with its ``audit_person_id``: a search for
    her finds it (people/audit_names.py)."""
    if organisation_id is _UNSET:
        organisation_id = getattr(target, "audit_organisation_id", None)
    person_id = getattr(target, "audit_person_id", None)
    if person_id is not None:
        data.setdefault("person", person_id)
    return AuditEntry.objects.create(
        actor=actor,
        organisation_id=organisation_id,
        action=action,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        data=data,
    )


def _readable(value):
    """A field value as the audit log keeps it: JSON, and readable without the database (a
    unit's name rather than its id)."""
    if isinstance(value, models.Model):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def snapshot(instance: models.Model) -> dict:
    """The values of an object as HR edits it: its own fields, its many-to-many choices and
    the rows of its inline lists (a role's targets, a path's modules)."""
    values = {}
    for field in instance._meta.concrete_fields:
        if field.primary_key or not field.editable:
            continue
        value = (
            getattr(instance, field.name)
            if field.is_relation
            else field.value_from_object(instance)
        )
        values[field.name] = _readable(value)
    if instance.pk is None:
        return values
    for field in instance._meta.many_to_many:
        values[field.name] = sorted(str(related) for related in getattr(instance, field.name).all())
    for relation in get_all_child_relations(instance):
        rows = getattr(instance, relation.get_accessor_name()).all()
        values[relation.get_accessor_name()] = sorted(
            str({k: v for k, v in snapshot(row).items() if v not in (None, "")}) for row in rows
        )
    return values


def changes(before: dict, after: dict) -> dict:
    """{field: [old, new]} for every field whose value differs."""
    return {
        name: [before.get(name), after.get(name)]
        for name in sorted(set(before) | set(after))
        if before.get(name) != after.get(name)
    }


def audit_change(
    *,
    actor: AbstractBaseUser | None,
    target: models.Model,
    before: dict | None,
    after: dict | None,
    action: str | None = None,
):
    """Record a create (no ``before``), an edit or a delete (no ``after``) of an object with
    its old and new values. An edit that changed nothing is not recorded."""
    verb = "create" if before is None else "delete" if after is None else "edit"
    diff = changes(before or {}, after or {})
    if verb == "edit" and not diff:
        return None
    opts = target._meta
    return audit_log(
        actor=actor,
        action=action or f"{opts.app_label}.{opts.model_name}.{verb}",
        target=target,
        object=str(target),
        changes=diff,
    )
