"""Names instead of ids in the audit log: whom and what an entry is about, read for a whole
page of entries at once (one query per kind of object, whatever the number of entries).

core knows nothing of people, so the apps above it say how to name theirs: people registers
the namer of accounts and employee records (an erased person is their pseudonym) and the
search for a person by name or address within the organisations one administers
(``PeopleConfig.ready``), as it registers the organisation rule in core.access."""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from core.audit_words import detail_label, field_label, value_words

# model label → function(queryset) → {pk: name}
Namer = Callable[[models.QuerySet], dict]
_namers: dict[str, Namer] = {}
# Details that hold an id of an object: key → model label.
REFERENCES = {
    "employee": "people.Employee",
    "person": settings.AUTH_USER_MODEL,
    "unit": "people.OrgUnit",
    "module": "wagtailcore.Page",
}
# (reader, text) → a filter on AuditEntry: the entries by or about the people matching the
# text (name or address) whom the reader may see.
PeopleSearch = Callable[[object, str], models.Q]
_people_search: PeopleSearch | None = None


def namer_register(label: str, namer: Namer) -> None:
    _namers[label] = namer


def people_search_register(search: PeopleSearch) -> None:
    global _people_search
    _people_search = search


def entries_about_people(reader, text: str) -> models.Q:
    if _people_search is None:  # pragma: no cover - people registers it when the apps load
        raise RuntimeError("No people search registered: is 'people' installed?")
    return _people_search(reader, text)


def _names(model, ids: Iterable) -> dict[str, str]:
    """{str(pk): name} of the objects that still exist."""
    pks = [pk for pk in ids if str(pk).isdigit()]
    if not pks or model is None:
        return {}
    queryset = model._default_manager.filter(pk__in=pks)
    namer = _namers.get(model._meta.label)
    if namer is None:
        # Names are what str() says, which often reads a related object (an appointment:
        # its account and organisation): joined in the same query, not one per object.
        found = {obj.pk: str(obj) for obj in queryset.select_related()}
    else:
        found = namer(queryset)
    return {str(pk): name for pk, name in found.items()}


@dataclass
class Described:
    actor: str
    target: str
    details: list[tuple[str, str]]

    @property
    def details_text(self) -> str:
        return "; ".join(f"{label}: {value}" for label, value in self.details)


def describe(entries: list) -> None:
    """Give each entry ``described``: its actor, target and details in words. The actors'
    accounts, the targets of each kind and the objects the details name are each read in one
    query for all entries together."""
    user_model = get_user_model()
    wanted: dict[type, set] = defaultdict(set)
    for entry in entries:
        if entry.actor_id:
            wanted[user_model].add(entry.actor_id)
        if entry.target_type_id and entry.target_id:
            wanted[_model_of(entry.target_type_id)].add(entry.target_id)
        for key, label in REFERENCES.items():
            value = entry.data.get(key)
            if isinstance(value, int) and not isinstance(value, bool):
                wanted[apps.get_model(label)].add(value)
    names = {model: _names(model, ids) for model, ids in wanted.items() if model is not None}
    for entry in entries:
        target_model = _model_of(entry.target_type_id) if entry.target_type_id else None
        entry.described = Described(
            actor=names.get(user_model, {}).get(str(entry.actor_id), "")
            if entry.actor_id
            else _("Vaardig (automatic)"),
            target=_target(entry, target_model, names),
            details=_details(entry, target_model, names),
        )


def _model_of(content_type_id: int):
    # Content types are cached by Django: no query after the first of each kind.
    return ContentType.objects.get_for_id(content_type_id).model_class()


def _target(entry, model, names) -> str:
    if model is None:
        return ""
    kind = capfirst(str(model._meta.verbose_name))
    name = names.get(model, {}).get(entry.target_id)
    if name is None:
        # Deleted since: the entry's own record of it, else the kind alone.
        name = entry.data.get("object") or _("no longer exists")
    return f"{kind}: {name}"


def _details(entry, model, names) -> list[tuple[str, str]]:
    details = []
    for key, value in entry.data.items():
        if key == "object" or (key == "unit_name" and "unit" in entry.data):
            continue  # the target, or the unit resolved, names it
        if key == "changes" and isinstance(value, dict):
            for field, pair in value.items():
                old, new = pair if isinstance(pair, list) and len(pair) == 2 else (None, pair)
                details.append(
                    (field_label(model, field), f"{value_words(old)} → {value_words(new)}")
                )
            continue
        if key in REFERENCES and isinstance(value, int) and not isinstance(value, bool):
            value = names.get(apps.get_model(REFERENCES[key]), {}).get(str(value), value)
        details.append((detail_label(key), value_words(value)))
    return details
