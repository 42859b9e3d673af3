"""Which learning modules a person sees: the one rule for the catalogue, search, the home,
serving a module or lesson, starting one, the team's assignment form, the route to the
targets and the admin's page explorer and choosers.

The catalogue is shared: a module without an organisation is for everyone. A module of an
organisation's own (``ModulePage.organisation``, a root unit) is for the staff of that
organisation and those who administer it (people/access.py ``organisations_seen``); for
anyone else it does not exist, so its address and its lessons answer 404. The rule is
written once, as a query (``module_q``), and every list and every single page is read
through it, never filtered afterwards in a template.

A statement can be one organisation's own too (content/statements.py): it stays public,
since anyone may read what an organisation says of its data, but in the admin it is as
hidden from other organisations' editors as their modules are.
"""

from django.db import models
from django.db.models import Q
from django.db.models.functions import Length, Substr
from django.utils.translation import gettext_lazy as _
from wagtail.models import PageManager, PagePermissionTester, PageQuerySet

from people.access import organisations_seen


def owner_field(help_text) -> models.ForeignKey:
    """The organisation a page belongs to (a root unit), or none: shared by all. Modules and
    statements have one, read by the rules below."""
    return models.ForeignKey(
        "people.OrgUnit",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"depth": 1},
        help_text=help_text,
    )


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


_HIDDEN_CACHE = "hidden_page_paths"


def hidden_page_paths(user) -> tuple[str, ...] | None:
    """The tree paths of other organisations' own pages, which ``user`` does not see in the
    admin: their modules and their statements (None: none are hidden, a platform
    administrator). Read once per user object, so once per request: the admin asks it for
    every page it lists."""
    if hasattr(user, _HIDDEN_CACHE):
        return getattr(user, _HIDDEN_CACHE)
    from content.models import ModulePage
    from content.statements import StatementPage

    ids = organisations_seen(user)
    paths = None
    if ids is not None:
        modules, statements = (
            model.objects.exclude(module_q(ids)).order_by().values_list("path", flat=True)
            for model in (ModulePage, StatementPage)
        )
        paths = tuple(modules.union(statements))  # one query
    setattr(user, _HIDDEN_CACHE, paths)
    return paths


# The admin's side of the rule. Wagtail lists pages of every type (the explorer, its search,
# the choosers, the reports, the dashboard, the history); a page there is hidden when it is
# another organisation's own module or statement, or lies below one (a module's lessons).
# These functions are the one answer to "which pages may this person see in the admin", as a
# query and for one page; content/page_scope.py applies them to every place of the admin
# that names pages.


def _hidden_q(user) -> Q | None:
    paths = hidden_page_paths(user)
    if not paths:
        return None
    hidden = Q()
    for path in paths:
        hidden |= Q(path__startswith=path)
    return hidden


def pages_available_to(pages: PageQuerySet, user) -> PageQuerySet:
    """``pages`` (of any kind) without other organisations' own pages and what lies below."""
    hidden = _hidden_q(user)
    return pages if hidden is None else pages.exclude(hidden)


def pages_hidden_from(pages: PageQuerySet, user) -> PageQuerySet:
    """The rest of ``pages``: other organisations' own pages and what lies below them."""
    hidden = _hidden_q(user)
    return pages.none() if hidden is None else pages.filter(hidden)


def page_hidden_from(page, user) -> bool:
    """Whether ``page`` is another organisation's own page, or lies below one."""
    paths = hidden_page_paths(user)
    return bool(paths) and (page.path or "").startswith(paths)


class HiddenPagePermissionTester(PagePermissionTester):
    """What may be done with another organisation's own module or lesson: nothing. Wagtail
    asks a page's tester before it links to the page (usage lists, the history, buttons), so
    such a page is shown as private there, never by its title."""

    def __init__(self, user, page):
        super().__init__(user, page)
        self.permissions = set()

    def can_copy(self):
        return False

    def user_has_lock(self):
        return False


def page_permissions_for(page, user) -> PagePermissionTester:
    """``page.permissions_for_user(user)`` for modules and lessons: none on a hidden one."""
    if page_hidden_from(page, user):
        return HiddenPagePermissionTester(user, page)
    return PagePermissionTester(user, page)
