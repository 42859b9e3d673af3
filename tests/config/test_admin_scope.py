"""Every admin screen of our apps says how it is scoped to organisations (core.access.Scope):
a view registered through a hook on its class (``scope``, with AdminPermissionMixin), a
viewset on itself. The walk goes over the URLconf, so a new screen is covered without being
listed here, and one registered without a scope fails."""

from core.access import Scope
from tests.config.test_admin_access import OUR_APPS, admin_routes

# Screens once registered before they declared their scope; the list is empty and stays so
# (the last test fails on an entry that has one).
LMS_NOT_YET_SCOPED: set[str] = set()


def _declared(pattern, viewset) -> Scope | None:
    if viewset is not None:
        return getattr(viewset, "scope", None)
    view_class = getattr(pattern.callback, "view_class", None)
    return getattr(view_class, "scope", None)


def _scopes() -> dict[str, Scope | None]:
    """{URL name or viewset namespace: its declared scope} over every admin route of ours."""
    from wagtail.admin.viewsets import viewsets

    routes = admin_routes()  # loads the URLconf first, which registers the viewsets
    reverse_namespace = {
        viewset.url_namespace: viewset
        for viewset in viewsets.viewsets
        if type(viewset).__module__.split(".")[0] in OUR_APPS
    }
    scopes = {}
    for name, pattern, model in routes:
        namespace = name.split(":")[0] if model is not None else None
        viewset = reverse_namespace.get(namespace) if namespace else None
        scopes[namespace or name] = _declared(pattern, viewset)
    return scopes


def test_every_admin_view_and_viewset_declares_how_it_is_scoped():
    scopes = _scopes()

    missing = sorted(
        name
        for name, scope in scopes.items()
        if not isinstance(scope, Scope) and name not in LMS_NOT_YET_SCOPED
    )

    assert len(scopes) > 15  # the walk found the hooks and the viewsets
    assert missing == []


def test_the_people_and_competencies_screens_keep_to_their_organisations():
    scopes = _scopes()
    own = [
        "employee",
        "orgunit",
        "roleprofile",
        "roletargets",
        "people_roster_upload",
        "people_roster_preview",
        "competencies_coverage",
        "competencies_coverage_names",
        "core_audit_log",
    ]

    assert {name: scopes[name] for name in own} == dict.fromkeys(own, Scope.ORGANISATIONS)
    assert scopes["framework"] == scopes["competence"] == Scope.SHARED
    assert scopes["organisationadministrator"] == Scope.PLATFORM


def test_the_lms_screens_keep_to_their_organisations():
    scopes = _scopes()
    lms = [
        "certificate",
        "assignmentrule",
        "learningpath",
        "lms_compliance",
        "lms_compliance_results",
        "lms_module_statistics",
        "lms_privacy_register",
    ]

    assert {name: scopes[name] for name in lms} == dict.fromkeys(lms, Scope.ORGANISATIONS)


def test_the_list_of_screens_still_to_be_scoped_only_shrinks():
    scopes = _scopes()

    assert set(scopes) >= LMS_NOT_YET_SCOPED  # a renamed screen is taken off the list
    assert [name for name in sorted(LMS_NOT_YET_SCOPED) if isinstance(scopes[name], Scope)] == []


def test_the_video_screens_keep_to_their_collections():
    """Videos are managed on wagtailmedia's screens, which are not ours and so not in the walk
    above: they are scoped by Wagtail collections, through the permission policy registered
    for the site's video model (tests/content/test_video.py shows a trainer of one collection
    finding, choosing and changing only its videos)."""
    from wagtail.permission_policies.collections import CollectionOwnershipPermissionPolicy
    from wagtail.permissions import policy_registry
    from wagtailmedia import get_media_model

    from content.video import Video

    assert get_media_model() is Video
    assert isinstance(policy_registry.get_by_type(Video), CollectionOwnershipPermissionPolicy)
