"""Which learning modules a person sees: the one rule for the catalogue, search, the home,
serving a module or lesson, starting one, the team's assignment form, the route to the
targets and the admin's page explorer and choosers.

The catalogue is shared: a module without an organisation is for everyone. A module of an
organisation's own (``ModulePage.organisation``, a root unit) is for the staff of that
organisation and those who administer it (people/access.py ``organisations_seen``); for
anyone else it does not exist, so its address and its lessons answer 404. The rule is
written once, as a query (``module_q``), and every list and every single page is read
through it, never filtered afterwards in a template.
"""

from django.db.models import Q
from django.db.models.functions import Length, Substr
from wagtail.models import PageManager, PageQuerySet

from people.access import organisations_seen


def module_q(organisation_ids) -> Q:
    """Modules shared by all, or owned by one of ``organisation_ids`` (None: every one)."""
    if organisation_ids is None:
        return Q()
    return Q(organisation__isnull=True) | Q(organisation__in=organisation_ids)


def module_seen(organisation_id: int | None, organisation_ids) -> bool:
    """``module_q`` for one module whose organisation is known (None: shared), in Python:
    serving a module or lesson asks it without a query. Pinned to ``module_q`` by
    tests/content/test_access.py."""
    return (
        organisation_ids is None or organisation_id is None or organisation_id in organisation_ids
    )


class ModulePageQuerySet(PageQuerySet):
    def available_to(self, user) -> "ModulePageQuerySet":
        """The modules ``user`` may see and take: the shared ones and their organisations'."""
        return self.filter(module_q(organisations_seen(user)))

    def available_in(self, organisation_id: int) -> "ModulePageQuerySet":
        """The modules the staff of one organisation may take (for its rules and paths)."""
        return self.filter(module_q([organisation_id]))


class LessonPageQuerySet(PageQuerySet):
    def available_to(self, user) -> "LessonPageQuerySet":
        """The lessons of the modules ``user`` may see (a lesson's module is its parent)."""
        from content.models import ModulePage

        modules = ModulePage.objects.available_to(user)
        if organisations_seen(user) is None:
            return self.all()
        # The parent's path is the lesson's path without its last step.
        return self.annotate(
            _module_path=Substr("path", 1, Length("path") - ModulePage.steplen)
        ).filter(_module_path__in=modules.values("path"))


ModulePageManager = PageManager.from_queryset(ModulePageQuerySet)
LessonPageManager = PageManager.from_queryset(LessonPageQuerySet)


def _hidden_module_paths(user) -> list[str] | None:
    """The tree paths of the modules of organisations ``user`` does not see (None: none)."""
    from content.models import ModulePage

    ids = organisations_seen(user)
    if ids is None:
        return None
    return list(ModulePage.objects.exclude(module_q(ids)).values_list("path", flat=True))


def pages_available_to(pages: PageQuerySet, user) -> PageQuerySet:
    """``pages`` (of any kind) without other organisations' own modules and their lessons:
    for the admin's page explorer and choosers, which list pages of every type."""
    paths = _hidden_module_paths(user)
    if not paths:
        return pages
    hidden = Q()
    for path in paths:
        hidden |= Q(path__startswith=path)
    return pages.exclude(hidden)


def page_hidden_from(page, user) -> bool:
    """Whether ``page`` is another organisation's own module, or lies below one."""
    from content.models import ModulePage

    ids = organisations_seen(user)
    if ids is None:
        return False
    steplen = ModulePage.steplen
    ancestry = [page.path[:end] for end in range(steplen, len(page.path) + 1, steplen)]
    return ModulePage.objects.exclude(module_q(ids)).filter(path__in=ancestry).exists()
