"""The lms keeps to organisations: the HR adviser of Gemeente Teststad (the cast's
organisation) reaches nothing of Gemeente Elders (where the outsider works) in the certificate
register, compliance, rules and paths; a rule of one organisation assigns nothing in another;
a trainer's module figures count her own organisation's learners; the Monday digest names a
manager's own people. The access matrix (tests/config/test_organisation_access.py) walks
every lms address as well."""

import datetime
import io
import zipfile

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lms.models import Assignment, AssignmentRule, Certificate, LearningPath, LearningPathModule
from lms.training.assignments import assignments_apply, assignments_apply_for
from lms.training.reminders import team_digests_send
from people.models import OrgUnit, RoleProfile
from tests.factories import UserFactory, administer, employee_create, module_create
from tests.lms.test_certificates import complete
from tests.lms.test_reminders import MONDAY, assign


@pytest.fixture
def module(catalogue, frameworks):
    return module_create(catalogue, title="Phishing herkennen", lessons=1, grants_certificate=True)


@pytest.fixture
def elders(cast):
    """The outsider's organisation, with the outsider as a KCC agent."""
    cast.outsider.roles.add(RoleProfile.objects.get(code="KCC"))
    return cast.outsider.organisation


def body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode()


def _rule(organisation, module, name, **fields):
    return AssignmentRule.objects.create(
        organisation=organisation,
        name=name,
        role=RoleProfile.objects.get(code="KCC"),
        module=module,
        **fields,
    )


def test_a_rule_of_one_organisation_leaves_the_others_people_alone(cast, elders, module):
    rule = _rule(cast.organisation, module, "KCC: phishing")
    path = LearningPath.objects.create(
        organisation=cast.organisation, title_nl="Digitaal vaardig", deadline=MONDAY
    )
    path.roles.set([RoleProfile.objects.get(code="KCC")])
    path.save()  # a path's roles are kept with it: saved with the path
    LearningPathModule.objects.create(path=path, module=module)

    assignments_apply()
    assignments_apply_for(rule=rule)
    assignments_apply_for(learning_path=path)

    reached = set(Assignment.objects.values_list("employee_id", "rule_id", "learning_path_id"))
    assert (cast.learner.pk, rule.pk, None) in reached
    assert (cast.learner.pk, None, path.pk) in reached
    assert not Assignment.objects.filter(employee=cast.outsider).exists()


def test_a_rule_saved_without_an_organisation_takes_its_units(cast, module):
    rule = AssignmentRule.objects.create(name="Team", org_unit=cast.team, module=module)

    assert rule.organisation == cast.organisation


@pytest.fixture
def certificates(cast, elders, module):
    """A certificate of the learner (Teststad) and one of the outsider (Elders)."""
    return complete(cast.learner.user, module), complete(cast.outsider.user, module)


def test_the_register_lists_and_exports_the_own_organisations_certificates_only(
    client, cast, certificates
):
    ours, theirs = certificates
    client.force_login(cast.hr)

    listing = client.get(reverse("certificate:index")).content.decode()
    export = body(client.get(reverse("certificate:index"), {"export": "csv"}))
    archive = client.get(reverse("certificate:zip"))
    by_unit = client.get(reverse("certificate:index"), {"org_unit": elders_root(cast).pk})

    assert "Lotte de Leeuw" in listing and "Otto Buiten" not in listing
    assert "Lotte de Leeuw" in export and "Otto Buiten" not in export
    # Both are number 1 of their organisation; the ZIP has one PDF, ours.
    assert ours.number == theirs.number
    assert zipfile.ZipFile(io.BytesIO(archive.content)).namelist() == [f"{ours.number}.pdf"]
    assert "Otto Buiten" not in by_unit.content.decode()


def elders_root(cast) -> OrgUnit:
    return cast.outsider.organisation


def test_another_organisations_certificate_answers_404_and_stays_as_it_was(
    client, cast, certificates
):
    _ours, theirs = certificates
    client.force_login(cast.hr)
    urls = [
        reverse(f"certificate:{name}", args=[theirs.pk])
        for name in ("inspect", "pdf", "revoke", "reissue")
    ]
    urls.append(reverse("certificate:pdf_version", args=[theirs.pk, 1]))

    answers = [client.get(url).status_code for url in urls]
    answers += [client.post(url, {"reason": "Fout"}).status_code for url in urls]

    assert answers == [404] * 10
    theirs.refresh_from_db()
    assert theirs.revoked_at is None and theirs.history == []


def test_compliance_counts_the_own_organisation_and_offers_its_rules_only(
    client, cast, elders, module
):
    _rule(cast.organisation, module, "Teststad: phishing")
    theirs = _rule(elders, module, "Elders: phishing")
    assignments_apply()
    client.force_login(cast.hr)
    url = reverse("lms_compliance")

    page = client.get(url)
    export = body(client.get(url, {"export": "csv"}))
    outside = client.get(url, {"unit": elders.pk, "rule": theirs.pk})

    html = page.content.decode()
    assert "Teststad: phishing" in html and "Elders: phishing" not in html
    assert "Teststad: phishing" in export and "Elders" not in export
    assert "Elders" not in outside.content.decode()
    assert {row.unit for row in outside.context["object_list"]} <= set(
        OrgUnit.objects.filter(path__startswith=cast.organisation.path)
    )


def test_rules_and_paths_of_another_organisation_are_neither_listed_nor_reachable(
    client, cast, elders, module
):
    theirs = _rule(elders, module, "Elders: phishing")
    their_path = LearningPath.objects.create(
        organisation=elders, title_nl="Elders pad", deadline=MONDAY
    )
    client.force_login(cast.hr)
    cast.hr.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["view_assignmentrule", "change_assignmentrule", "view_learningpath"]
        )
    )

    rules = client.get(reverse("assignmentrule:index")).content.decode()
    paths = client.get(reverse("learningpath:index")).content.decode()

    assert "Elders: phishing" not in rules and "Elders pad" not in paths
    assert client.get(reverse("assignmentrule:edit", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("learningpath:edit", args=[their_path.pk])).status_code == 404


def test_a_rule_form_offers_and_accepts_the_own_organisation_only(client, cast, elders, module):
    cast.hr.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_assignmentrule", "view_assignmentrule"])
    )
    client.force_login(cast.hr)
    url = reverse("assignmentrule:add")
    form = client.get(url).context["form"]
    data = {
        "name": "Elders erbij",
        "module": module.pk,
        "due_days": 30,
        "active": "on",
    }

    into_b = client.post(url, {**data, "organisation": elders.pk, "org_unit": elders.pk})
    unit_of_b = client.post(
        url, {**data, "organisation": cast.organisation.pk, "org_unit": elders.pk}
    )

    assert list(form.fields["organisation"].queryset) == [cast.organisation]
    assert elders not in form.fields["org_unit"].queryset
    assert cast.team in form.fields["org_unit"].queryset
    assert into_b.status_code == unit_of_b.status_code == 200  # the form again, with errors
    assert not AssignmentRule.objects.filter(name="Elders erbij").exists()


def test_a_trainer_of_one_organisation_may_not_mix_in_anothers_role(client, cast, elders, module):
    their_role = RoleProfile.objects.create(
        code="ELDERS",
        title_nl="Eldersrol",
        parent=RoleProfile.objects.get(code="ALL"),
        organisation=elders,
    )
    cast.hr.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_assignmentrule", "view_assignmentrule"])
    )
    client.force_login(cast.hr)

    response = client.post(
        reverse("assignmentrule:add"),
        {
            "organisation": cast.organisation.pk,
            "name": "Met Eldersrol",
            "role": their_role.pk,
            "module": module.pk,
            "due_days": 30,
        },
    )

    assert response.status_code == 200
    assert not AssignmentRule.objects.filter(name="Met Eldersrol").exists()


def test_the_monday_digest_names_the_managers_own_people_only(cast, elders, module, mailoutbox):
    # A late member of the manager's team, and a late outsider who names her as manager by
    # mistake of the roster: organisations apart, the outsider is not in her team.
    assign(cast.learner, module, MONDAY - datetime.timedelta(days=3))
    assign(cast.outsider, module, MONDAY - datetime.timedelta(days=3))

    team_digests_send(today=MONDAY)

    bodies = [m.body for m in mailoutbox if m.to == [cast.manager.user.email]]
    assert len(bodies) == 1
    assert "Lotte de Leeuw" in bodies[0] and "Otto Buiten" not in bodies[0]


def _queries(client, url, **params) -> int:
    client.get(url, params)  # warm caches
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params)
        body(response)
    assert response.status_code == 200, url
    return len(context)


def test_the_register_compliance_and_statistics_cost_the_same_for_one_organisation_or_three(
    client, cast, certificates, module, trainer
):
    _rule(cast.organisation, module, "Teststad: phishing")
    assignments_apply()
    administer(trainer, cast.organisation)
    for user in (cast.hr, trainer):
        user.user_permissions.add(Permission.objects.get(codename="view_certificate"))
        user.user_permissions.add(Permission.objects.get(codename="view_assignment"))
    urls = [
        (reverse("certificate:index"), {}),
        (reverse("certificate:index"), {"export": "csv"}),
        (reverse("lms_compliance"), {}),
        (reverse("lms_module_statistics", args=[module.pk]), {}),
    ]
    client.force_login(trainer)
    one = [_queries(client, url, **params) for url, params in urls]

    for name in ("Gemeente Twee", "Gemeente Drie"):
        root = OrgUnit.add_root(name=name)
        employee = employee_create(org_unit=root, roles=["KCC"], user=UserFactory())
        complete(employee.user, module)
        administer(trainer, root)
    three = [_queries(client, url, **params) for url, params in urls]

    assert Certificate.objects.count() == 4
    assert three == one
