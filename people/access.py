"""Who administers what: the one place that decides which organisations a person's admin
rights reach, and through it every admin list, form, chooser, export and report.

An organisation is a root organisation unit. A person administers the organisations a
platform administrator appointed them to (``OrganisationAdministrator``); a superuser is the
platform administrator and administers them all. The HR, trainer, content-lead, CDO and
names permissions hold within those organisations only: each model's queryset has
``administered_by(user)``, which asks ``organisations_administered`` here, and admin views
fetch single objects with ``get_object_or_404(Model.objects.administered_by(user), pk=...)``
so that someone else's object answers 404.

The answer is read once per request (one query) and kept on the user object, which the
request holds for its whole length; the querysets then filter by ids and paths, so scoping
costs the same whatever the number of organisations.
"""

from contextlib import suppress
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from core.access import is_platform_administrator

_CACHE = "_organisations_administered"
_SEEN_CACHE = "_organisations_seen"


@dataclass(frozen=True)
class Administered:
    """The organisations one person administers: ``ids`` and ``paths`` of their root units,
    or None for both when they administer every organisation (a platform administrator)."""

    ids: frozenset[int] | None
    paths: tuple[str, ...] | None

    @property
    def everything(self) -> bool:
        return self.ids is None

    def units(self, queryset: QuerySet) -> QuerySet:
        """``queryset`` of organisation units narrowed to these organisations' trees."""
        if self.paths is None:
            return queryset
        within = Q(pk__in=[])
        for path in self.paths:
            within |= Q(path__startswith=path)
        return queryset.filter(within)

    def __contains__(self, organisation_id) -> bool:
        return self.ids is None or organisation_id in self.ids


def organisations_administered(user) -> Administered:
    """The organisations ``user`` administers, read once per user object (so once per request).
    Anonymous and inactive people administer none."""
    cached = getattr(user, _CACHE, None)
    if cached is not None:
        return cached
    if is_platform_administrator(user):
        result = Administered(ids=None, paths=None)
    elif (
        not getattr(user, "is_authenticated", False)
        or not user.is_active
        or getattr(user, "administers_some", None) is False  # loaded with the request's user
    ):
        result = Administered(ids=frozenset(), paths=())
    else:
        from people.models import OrgUnit

        roots = list(
            OrgUnit.objects.filter(depth=1, administrators__user=user).values_list("pk", "path")
        )
        result = Administered(
            ids=frozenset(pk for pk, _path in roots), paths=tuple(path for _pk, path in roots)
        )
    setattr(user, _CACHE, result)
    return result


def organisations_administered_forget(user) -> None:
    """Drop the remembered answer (after an appointment changed it for this user object)."""
    for name in (_CACHE, _SEEN_CACHE):
        if hasattr(user, name):
            delattr(user, name)


def organisation_ids_administered(user) -> frozenset[int] | None:
    """What core.access asks: ids, or None for every organisation."""
    return organisations_administered(user).ids


def organisations(user) -> QuerySet:
    """The organisations (root units) ``user`` administers, by name."""
    from people.models import OrgUnit

    roots = OrgUnit.objects.filter(depth=1)
    ids = organisations_administered(user).ids
    return (roots if ids is None else roots.filter(pk__in=ids)).order_by("name")


def employer_id(user) -> int | None:
    """The organisation ``user`` works for, by their employee record (a leaver's too; loaded
    with the request's user), or None: an anonymous visitor, an account without one."""
    if not getattr(user, "is_authenticated", False):
        return None
    from people.models import Employee

    with suppress(Employee.DoesNotExist):
        return user.employee.organisation_id
    return None


def organisations_seen(user) -> frozenset[int] | None:
    """The organisations whose own things (their own learning modules) ``user`` sees: the
    one they work for (their employee record, a leaver's too) and those they administer.
    None means every organisation (a platform administrator); an anonymous visitor or an
    account without an employee record or appointment sees none, only what is shared.
    Read once per user object, so once per request."""
    if hasattr(user, _SEEN_CACHE):
        return getattr(user, _SEEN_CACHE)
    administered = organisations_administered(user).ids
    if administered is None:
        setattr(user, _SEEN_CACHE, None)
        return None
    seen = set(administered)
    if getattr(user, "is_authenticated", False) and user.is_active:
        employer = employer_id(user)
        if employer is not None:
            seen.add(employer)
    result = frozenset(seen)
    setattr(user, _SEEN_CACHE, result)
    return result
