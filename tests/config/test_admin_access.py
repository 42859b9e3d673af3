"""The access matrix of the admin, over the URLconf: every admin URL our apps register (through
their register_admin_urls hooks and their viewsets) refuses a signed-in user who may enter
the admin but holds no other permission. A new screen is covered without anyone adding it
here; one with an id in its address needs an object to point at (see OBJECTS)."""

import datetime

import pytest
from allauth.socialaccount.models import SocialApp
from django.contrib.auth.models import Permission
from django.urls import URLPattern, reverse
from wagtail import hooks
from wagtail.admin.viewsets import viewsets

from content.branding import OrganisationBranding
from content.models import ModulePage
from lms.models import AssignmentRule, Certificate, Enrolment, LearningPath
from people.models import Employee, RosterUpload
from tests.factories import UserFactory, employee_create, module_create, two_factor_enable

OUR_APPS = {"config", "core", "people", "competencies", "content", "lms"}

# What an id in the address of a hook-registered view names. Viewset addresses name an object
# of the viewset's model.
OBJECTS = {"upload_id": RosterUpload, "module_id": ModulePage, "employee_id": Employee}
# Arguments that are not an id: the value the address is walked with.
VALUES = {"version": 1}  # an earlier version of a certificate


def _ours(module_name: str) -> bool:
    return module_name.split(".")[0] in OUR_APPS


def admin_routes() -> list[tuple[str, URLPattern, type | None]]:
    """(URL name, pattern, model of its viewset) for every admin URL of our apps."""
    reverse("wagtailadmin_home")  # loads the URLconf, which registers the viewsets
    routes = [
        (pattern.name, pattern, None)
        for hook in hooks.get_hooks("register_admin_urls")
        if _ours(hook.__module__)
        for pattern in hook()
    ]
    routes += [
        (f"{viewset.url_namespace}:{pattern.name}", pattern, viewset.model)
        for viewset in viewsets.viewsets
        if _ours(type(viewset).__module__)
        for pattern in viewset.get_urlpatterns()
    ]
    return routes


@pytest.fixture
def one_of_everything(hr, catalogue, organisation):
    """An object of every kind an admin address can name."""
    module = module_create(catalogue, lessons=1, grants_certificate=True)
    learner = employee_create(org_unit=organisation, roles=["KCC"]).user
    Certificate.objects.create(
        enrolment=Enrolment.objects.create(learner=learner, module=module),
        scope="-",
        number="2026-000001",
        public_id="access-matrix",
        holder_name="Holder",
        module_title=module.title,
        completed_on=datetime.date(2026, 1, 1),
    )
    RosterUpload.objects.create(uploaded_by=hr, filename="roster.csv", content=b"")
    AssignmentRule.objects.create(name="Start", org_unit=organisation, module=module)
    LearningPath.objects.create(title_nl="Pad", deadline=datetime.date(2027, 1, 1))
    SocialApp.objects.create(provider="openid_connect", provider_id="idp", name="IdP")
    OrganisationBranding.objects.create(organisation=organisation)


def _url(name: str, pattern: URLPattern, model) -> str:
    kwargs = {}
    for argument in pattern.pattern.converters:
        if argument in VALUES:
            kwargs[argument] = VALUES[argument]
            continue
        kind = model if model is not None and argument == "pk" else OBJECTS.get(argument)
        assert kind is not None, f"{name}: add what <{argument}> names to OBJECTS"
        instance = kind._default_manager.order_by("pk").first()
        assert instance is not None, f"{name}: make a {kind.__name__} in one_of_everything"
        kwargs[argument] = instance.pk
    return reverse(name, kwargs=kwargs)


@pytest.mark.slow  # asks every admin address of our apps, about 9 s
def test_every_admin_url_of_our_apps_refuses_someone_without_permissions(
    client, one_of_everything, django_user_model
):
    # With two-factor set up, so that what refuses them is the permission, not the sign-in gate.
    nobody = two_factor_enable(UserFactory())
    nobody.user_permissions.add(Permission.objects.get(codename="access_admin"))
    admin = two_factor_enable(
        django_user_model.objects.create_superuser(email="beheer@gemeente.example")
    )
    routes = admin_routes()
    dashboard = reverse("wagtailadmin_home")
    let_through, unreachable = [], []

    for name, pattern, model in routes:
        url = _url(name, pattern, model)
        client.force_login(nobody)
        for method in (client.get, client.post):
            response = method(url)
            # Refused: a 403, Wagtail's redirect to the dashboard with "no permission", or a
            # 404 for an object of an organisation they do not administer (none, here).
            refused = response.status_code in (403, 404) or (
                response.status_code == 302 and response["Location"] == dashboard
            )
            if not refused:
                let_through.append(f"{method.__name__.upper()} {url} → {response.status_code}")
        # Whether the address was right: someone who may open everything is not turned away,
        # so the refusal above was a refusal and not a wrong address.
        client.force_login(admin)
        response = client.get(url)
        if response.status_code in (403, 500) or response.get("Location") == dashboard:
            unreachable.append(f"GET {url} → {response.status_code}")

    assert len(routes) > 40  # the walk found the hooks and the viewsets
    assert {"people_roster_upload", "certificate:revoke", "lms_module_statistics"} <= {
        name for name, _pattern, _model in routes
    }
    assert let_through == []
    assert unreachable == []
