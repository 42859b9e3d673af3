"""Organisations are tenants: the HR adviser of one organisation reaches nothing of another.

The matrix walks every admin URL pattern of our apps, resolved from the URLconf (so a new
view is covered without being listed), fills the ids in its address with objects of
organisation B and requests it as the HR adviser of organisation A, with two-factor set up:
each answers 404 (or 403). The lists and exports without an id are read the same way and
must not name anything of B. A platform administrator reaches every one of those addresses,
so the refusals are refusals and not wrong addresses."""

import datetime
import html

import pytest
from allauth.socialaccount.models import SocialApp
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from competencies.models import Competence, RoleTargets
from competencies.status import status_refresh
from content.branding import OrganisationBranding
from core.access import Scope
from core.audit import audit_log
from core.models import AuditEntry
from lms.certificates.services import certificate_reissue
from lms.demo import lesson_finish
from lms.models import AssignmentRule, Certificate, LearningPath
from people.models import (
    Employee,
    OrganisationAdministrator,
    OrgUnit,
    RoleProfile,
    RosterUpload,
    User,
)
from people.services import organisation_administrator_appoint
from tests.config.test_admin_access import admin_routes
from tests.config.test_admin_scope import LMS_NOT_YET_SCOPED, _scopes
from tests.factories import UserFactory, administer, employee_create, module_create

# What names organisation B on a page: if any of these shows up for A's HR adviser, a list,
# filter, chooser or export let B's data through.
B_MARKERS = (
    "Gemeente Anderstad",
    "Noordkwartier",
    "Bertha",
    "Buitenveld",
    "ANDERROL",
    "anderstad-personeel.csv",
    "b.buitenveld@anderstad.example",
    "Anderstadse regel",
    "Anderstads pad",
    "Anderstadse huisstijl",
)


@pytest.fixture
def organisation_b(frameworks, platform_admin, catalogue):
    """Organisation B with one of everything the admin can name: a unit, an employee, a role
    of its own with targets, a roster upload, an administrator, an audit entry, an assignment
    rule, a learning path and a certificate."""
    root = OrgUnit.add_root(name="Gemeente Anderstad")
    unit = OrgUnit.objects.get(pk=root.pk).add_child(name="Noordkwartier")
    role = RoleProfile.objects.create(
        code="ANDERROL",
        title_nl="Anderstadse rol",
        parent=RoleProfile.objects.get(code="ALL"),
        organisation=root,
    )
    RoleTargets.objects.create(role=role)
    employee = employee_create(
        org_unit=unit,
        roles=[role, "KCC"],
        user=UserFactory(
            email="b.buitenveld@anderstad.example", first_name="Bertha", last_name="Buitenveld"
        ),
    )
    status_refresh(employees=[employee])
    b_adviser = UserFactory(email="hr@anderstad.example")
    administration = organisation_administrator_appoint(
        user=b_adviser, organisation=root, acting_user=platform_admin
    )
    upload = RosterUpload.objects.create(
        uploaded_by=b_adviser, filename="anderstad-personeel.csv", kind="complete", content=b""
    )
    upload.organisations.set([root])
    audit_log(
        actor=b_adviser, action="people.employee.edit", target=employee, name="Bertha Buitenveld"
    )
    provider = SocialApp.objects.create(
        provider="openid_connect",
        provider_id="anderstad-entra",
        name="Anderstad Entra ID",
        client_id="anderstad",
        settings={"organisation": root.pk, "email_domains": ["anderstad.example"]},
    )
    module = module_create(catalogue, title="Gedeelde module", lessons=1, grants_certificate=True)
    rule = AssignmentRule.objects.create(
        organisation=root, name="Anderstadse regel", org_unit=unit, module=module
    )
    learning_path = LearningPath.objects.create(
        organisation=root, title_nl="Anderstads pad", deadline=datetime.date(2030, 1, 1)
    )
    for lesson in module.lessons():
        lesson_finish(employee.user, lesson)
    certificate = Certificate.objects.get(enrolment__learner=employee.user)
    certificate_reissue(certificate=certificate, acting_user=platform_admin)  # a version 1
    return {
        "module": module,
        AssignmentRule: rule,
        LearningPath: learning_path,
        Certificate: Certificate.objects.get(pk=certificate.pk),
        "root": root,
        Employee: employee,
        OrgUnit: unit,
        RoleProfile: role,
        RoleTargets: RoleTargets.objects.get(pk=role.pk),
        OrganisationAdministrator: administration,
        RosterUpload: upload,
        User: employee.user,  # accounts: the platform administrator's alone
        SocialApp: provider,  # sign-in providers: the same
        OrganisationBranding: OrganisationBranding.objects.create(
            organisation=root, organisation_name="Anderstadse huisstijl"
        ),
    }


@pytest.fixture
def adviser_a(hr, organisation):
    """The HR adviser of organisation A (Gemeente Teststad), with the names permission too,
    so that what refuses her is the organisation and not a missing permission."""
    employee_create(org_unit=organisation, roles=["KCC"])
    hr.user_permissions.add(Permission.objects.get(codename="view_coverage_names"))
    return hr


def _b_value(name, argument, model, b):
    if argument == "upload_id":
        return b[RosterUpload].pk
    if argument == "employee_id":
        return b[Employee].pk
    if argument == "module_id":
        return b["module"].pk  # a module's figures: of B's learners only, and HR's not at all
    if argument == "version":
        return 1  # an earlier version of B's re-issued certificate
    assert argument == "pk" and model in b, f"{name}: which object of B does <{argument}> name?"
    return b[model].pk


def _organisation_routes():
    """(name, URL kwargs names, model, scope) of every admin route still to be checked: the
    lms screens that do not declare their scope yet are left to their own tests."""
    scopes = _scopes()
    for name, pattern, model in admin_routes():
        key = name.split(":")[0] if model is not None else name
        if key in LMS_NOT_YET_SCOPED:
            continue
        yield name, pattern, model, scopes[key]


def test_the_hr_adviser_of_one_organisation_gets_404_for_every_object_of_another(
    client, adviser_a, organisation_b, platform_admin
):
    let_through, unreachable, checked = [], [], 0
    for name, pattern, model, scope in _organisation_routes():
        arguments = list(pattern.pattern.converters)
        if not arguments or scope is Scope.SHARED:
            continue  # lists are read below; shared things belong to no organisation
        kwargs = {
            argument: _b_value(name, argument, model, organisation_b) for argument in arguments
        }
        url = reverse(name, kwargs=kwargs)
        checked += 1
        client.force_login(adviser_a)
        for method in (client.get, client.post):
            response = method(url)
            refused = response.status_code in (404, 403) or (
                # Platform screens refuse through Wagtail's permission redirect, and so do
                # module statistics to whoever may not edit the (shared) module.
                (scope is Scope.PLATFORM or name == "lms_module_statistics")
                and response.status_code == 302
                and response["Location"] == reverse("wagtailadmin_home")
            )
            if not refused:
                let_through.append(f"{method.__name__.upper()} {url} → {response.status_code}")
        # The platform administrator is let past the lookup: the page, or a 405 from a page
        # that only takes a POST (which the lookup precedes).
        client.force_login(platform_admin)
        if client.get(url).status_code not in (200, 405):
            unreachable.append(url)

    # edit, delete, history, usage... of five models and the roster; the lms's rules, paths,
    # certificates (inspect, PDF, earlier PDF, revoke, re-issue) and module statistics
    assert checked >= 35
    assert let_through == []
    assert unreachable == []


def test_the_lists_filters_and_exports_show_none_of_another_organisations_rows(
    client, adviser_a, organisation_b, organisation
):
    client.force_login(adviser_a)
    shown = []
    for name, pattern, _model, _scope in _organisation_routes():
        if pattern.pattern.converters:
            continue
        url = reverse(name)
        for params in ({}, {"export": "csv"}):
            response = client.get(url, params)
            if response.status_code != 200:
                continue
            body = (
                b"".join(response.streaming_content) if response.streaming else response.content
            ).decode()
            shown += [f"{url}?{params}: {marker}" for marker in B_MARKERS if marker in body]

    assert shown == []
    # The lists were not empty: A's own rows are there.
    employees = client.get(reverse("employee:index")).content.decode()
    own = Employee.objects.filter(organisation=organisation).first().user.last_name
    assert html.escape(own) in employees  # "'s Gravensande" is written &#x27;s Gravensande


def test_the_default_coverage_is_an_organisation_the_adviser_administers(
    client, adviser_a, organisation_b, organisation
):
    client.force_login(adviser_a)

    response = client.get(reverse("competencies_coverage"))

    assert response.context["unit"] == organisation
    names = reverse("competencies_coverage_names")
    competence = Competence.objects.get(code="2.1", area__framework__code="digcomp")
    outside = {"unit": organisation_b[OrgUnit].pk, "competence": competence.pk}
    assert client.get(names, outside).status_code == 404
    assert client.get(names, {**outside, "export": "csv"}).status_code == 404
    # A unit of B in the filter is no choice of hers: the page stays on her organisation.
    assert client.get(reverse("competencies_coverage"), {"unit": outside["unit"]}).context[
        "unit"
    ] == (organisation)


def test_a_superuser_administers_every_organisation(client, platform_admin, organisation_b):
    client.force_login(platform_admin)

    html = client.get(reverse("employee:index")).content.decode()

    assert "Buitenveld" in html


def _queries(client, url, **params) -> int:
    client.get(url, params)  # warm caches (content types, site)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, url
    return len(context)


@pytest.mark.usefixtures("rendered_pages")
def test_scoping_costs_the_same_queries_for_one_organisation_as_for_three(
    client, adviser_a, organisation
):
    urls = [
        (reverse("employee:index"), {}),
        (reverse("employee:index"), {"export": "csv"}),
        (reverse("orgunit:index"), {}),
        (reverse("roleprofile:index"), {}),
        (reverse("roletargets:index"), {}),
        (reverse("competencies_coverage"), {}),
        (reverse("core_audit_log"), {}),
        (reverse("people_roster_upload"), {}),
    ]
    client.force_login(adviser_a)
    one = [_queries(client, url, **params) for url, params in urls]

    for name in ("Gemeente Twee", "Gemeente Drie"):
        root = OrgUnit.add_root(name=name)
        employee_create(org_unit=root, roles=["KCC"])
        administer(adviser_a, root)
    three = [_queries(client, url, **params) for url, params in urls]

    assert three == one


def test_an_appointment_is_the_platform_administrators_and_is_audited(
    client, platform_admin, hr, organisation
):
    other = OrgUnit.add_root(name="Gemeente Derde")
    client.force_login(hr)
    assert client.get(reverse("organisationadministrator:index")).status_code in (302, 403)
    client.post(
        reverse("organisationadministrator:add"), {"email": hr.email, "organisation": other.pk}
    )
    assert not OrganisationAdministrator.objects.filter(user=hr, organisation=other).exists()

    client.force_login(platform_admin)
    client.post(
        reverse("organisationadministrator:add"), {"email": hr.email, "organisation": other.pk}
    )
    administration = OrganisationAdministrator.objects.get(user=hr, organisation=other)
    client.post(reverse("organisationadministrator:delete", args=[administration.pk]))

    assert not OrganisationAdministrator.objects.filter(user=hr, organisation=other).exists()
    entries = AuditEntry.objects.filter(organisation_id=other.pk).order_by("pk")
    assert [(e.action, e.actor, e.data["user"]) for e in entries] == [
        ("people.administrator.appoint", platform_admin, hr.email),
        ("people.administrator.remove", platform_admin, hr.email),
    ]
