"""The manager's team matrix and assigning from it; HR's compliance report and its export."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from competencies.models import Competence
from competencies.random_data import random_organisation_create
from competencies.services import evidence_record
from competencies.status import status_refresh
from core.models import AuditEntry
from lms.models import Assignment, AssignmentRule
from lms.training.assignments import assignments_apply
from lms.training.compliance import compliance
from people.models import Employee, OrgUnit, RoleProfile
from tests.factories import UserFactory, administer, employee_create, module_create
from tests.spreadsheets import csv_rows, xlsx_sheet

TODAY = timezone.localdate()


@pytest.fixture
def module(catalogue):
    return module_create(catalogue, title="Phishing herkennen", lessons=1)


def test_the_team_matrix_shows_levels_targets_overdue_training_and_self_assessments(
    client, cast, module
):
    first, second = cast.learner, cast.colleague
    evidence_record(
        employee=first,
        competence=Competence.objects.get(code="4.1"),
        rank=4,
        source="module",
        acting_user=None,
    )
    Assignment.objects.create(
        employee=second,
        module=module,
        assigned_on=TODAY - datetime.timedelta(days=40),
        due_on=TODAY - datetime.timedelta(days=10),
    )
    client.force_login(cast.manager.user)

    response = client.get(reverse("lms:team"))

    overview = response.context["overview"]
    assert [row.employee for row in overview.rows] == [first, second]
    codes = [c.code for c in overview.competences]
    assert "4.1" in codes
    first_row = overview.rows[0]
    cell = first_row.cells[codes.index("4.1")]
    assert (cell.effective, cell.target, cell.meets) == (4, 4, True)
    assert [a.module_id for a in overview.rows[1].late] == [module.pk]
    html = response.content.decode()
    assert cast.stranger.user.get_full_name() not in html
    assert "Phishing herkennen" in html and "tag--overdue" in html
    assert "4/4" in html


def test_the_team_matrix_counts_self_assessments_waiting_for_a_conversation(client, cast):
    competence = Competence.objects.get(code="1.1")
    client.force_login(cast.learner.user)
    client.post(reverse("lms:self_assessment", args=[competence.pk]), {"levels": ["1", "2", "3"]})
    client.force_login(cast.manager.user)

    overview = client.get(reverse("lms:team")).context["overview"]

    assert overview.rows[0].open_self_assessments == 1


def test_another_manager_sees_none_of_this_team(client, cast):
    client.force_login(cast.other_manager.user)

    html = client.get(reverse("lms:team")).content.decode()

    assert cast.stranger.user.get_full_name() in html
    assert not any(m.user.get_full_name() in html for m in (cast.learner, cast.colleague))
    assert client.get(reverse("lms:team_member", args=[cast.learner.pk])).status_code == 404


def test_someone_without_a_team_gets_not_found(client, cast):
    client.force_login(cast.learner.user)
    assert client.get(reverse("lms:team")).status_code == 404
    client.force_login(cast.outsider.user)
    assert client.post(reverse("lms:team_assign")).status_code == 404


def test_a_manager_assigns_a_module_to_the_whole_team(client, cast, module):
    client.force_login(cast.manager.user)
    due = TODAY + datetime.timedelta(days=21)

    response = client.post(
        reverse("lms:team_assign"),
        {"module": module.pk, "due_on": due.isoformat(), "who": "everyone"},
        follow=True,
    )

    assert "toegewezen aan 2 mensen" in response.content.decode()
    assigned = Assignment.objects.filter(module=module, due_on=due)
    assert {a.employee for a in assigned} == {cast.learner, cast.colleague}


def test_the_assign_form_sends_back_its_prefilled_due_date(client, cast, module):
    """The browser's date picker keeps only an ISO value: a Dutch "03-12-2026" would be
    dropped and the form would answer "this field is required"."""
    client.force_login(cast.manager.user)
    page = client.get(reverse("lms:team")).content.decode()
    prefilled = re.search(r'<input type="date" name="due_on" value="([^"]*)"', page).group(1)

    response = client.post(
        reverse("lms:team_assign"), {"module": module.pk, "due_on": prefilled, "who": "everyone"}
    )

    assert prefilled == (TODAY + datetime.timedelta(days=30)).isoformat()
    assert response.status_code == 302
    assert Assignment.objects.filter(module=module).count() == 2


def test_a_manager_assigns_to_chosen_people_but_never_outside_the_team(client, cast, module):
    client.force_login(cast.manager.user)
    due = (TODAY + datetime.timedelta(days=21)).isoformat()
    url = reverse("lms:team_assign")

    chosen = client.post(
        url,
        {
            "module": module.pk,
            "due_on": due,
            "who": "chosen",
            "members": [cast.colleague.pk],
        },
    )
    foreign = client.post(
        url,
        {
            "module": module.pk,
            "due_on": due,
            "who": "chosen",
            "members": [cast.stranger.pk],
        },
    )
    past = client.post(
        url,
        {
            "module": module.pk,
            "due_on": (TODAY - datetime.timedelta(days=1)).isoformat(),
            "who": "everyone",
        },
    )

    assert chosen.status_code == 302
    assert foreign.status_code == 400 and past.status_code == 400
    assert [a.employee for a in Assignment.objects.all()] == [cast.colleague]


@pytest.mark.usefixtures("rendered_pages")
def test_the_team_view_runs_the_same_queries_for_a_small_and_a_large_team(client, cast, module):
    def queries(manager):
        client.force_login(manager.user)
        client.get(reverse("lms:team"))
        with CaptureQueriesContext(connection) as context:
            response = client.get(reverse("lms:team"))
        assert response.status_code == 200
        assert not any("competencies_evidence" in q["sql"] for q in context.captured_queries)
        return len(context)

    big_boss = employee_create(org_unit=cast.organisation, roles=["MGR"])
    crowd = [
        employee_create(org_unit=cast.organisation, roles=["KCC"], manager=big_boss)
        for _ in range(25)
    ]
    status_refresh(employees=[big_boss, *crowd])
    for member in [*crowd, cast.learner, cast.colleague]:
        Assignment.objects.create(employee=member, module=module, assigned_on=TODAY, due_on=TODAY)

    assert queries(cast.manager) == queries(big_boss) == TEAM_PAGE_QUERIES


# The team is read once for the matrix (it was read three times, and its existence checked
# once more), its statuses and assignments as plain values: 12 queries in all, with those of
# the site around the page (the session, the user, the page tree, the locale) and the newest
# change of her organisation (the key under which the page is kept, lms/page_cache).
TEAM_PAGE_QUERIES = 12


def _rule_for_all_staff(module, organisation=None):
    return AssignmentRule.objects.create(
        organisation=organisation,
        name="Bewustwording",
        role=RoleProfile.objects.get(code="ALL"),
        module=module,
        due_days=10,
    )


def test_compliance_counts_each_status_per_unit_and_rolls_up(frameworks, organisation, module):
    root = organisation
    left = root.add_child(name="Links")
    right = OrgUnit.objects.get(pk=root.pk).add_child(name="Rechts")
    rule = _rule_for_all_staff(module)
    people = [employee_create(org_unit=unit, roles=["KCC"]) for unit in (left, left, left, right)]
    assignments_apply(today=TODAY - datetime.timedelta(days=30))
    # left: one completed, one overdue (due 20 days ago), one expired; right: one overdue
    Assignment.objects.filter(employee=people[0]).update(completed_on=TODAY)
    Assignment.objects.filter(employee=people[2]).update(
        completed_on=TODAY - datetime.timedelta(days=400), expires_on=TODAY
    )
    # What a manager assigned on their own counts under its own heading.
    Assignment.objects.create(
        employee=people[3],
        module=module,
        assigned_by=people[0].user,
        assigned_on=TODAY - datetime.timedelta(days=20),
        due_on=TODAY - datetime.timedelta(days=1),
    )

    rows = {(r.unit.name, r.source): r for r in compliance(unit=root, levels=1, today=TODAY)}

    left_row, right_row, root_row = rows["Links", rule], rows["Rechts", rule], rows[root.name, rule]
    assert (left_row.completed, left_row.overdue, left_row.expired, left_row.total) == (1, 1, 1, 3)
    assert (right_row.overdue, right_row.total) == (1, 1)
    assert (root_row.completed, root_row.overdue, root_row.expired, root_row.total) == (1, 2, 1, 4)
    assert root_row.compliant_percent == 25
    by_managers = rows["Rechts", None]
    assert (by_managers.overdue, by_managers.total) == (1, 1)
    assert by_managers.source_label == "Assigned by managers"
    assert (rows[root.name, None].total, ("Links", None) in rows) == (1, False)
    assert all(r.source == rule for r in compliance(unit=root, rule=rule, today=TODAY))


def test_hr_reads_the_compliance_report_and_exports_it(client, hr, module):
    root = random_organisation_create(name="Gemeente Naleving", employees=60).root
    administer(hr, root)  # the unit filter offers her own organisations' units
    _rule_for_all_staff(module, root)
    assignments_apply()
    client.force_login(hr)
    url = reverse("lms_compliance")

    page = client.get(url, {"unit": root.pk, "levels": 1})
    xlsx = client.get(url, {"unit": root.pk, "levels": 1, "export": "xlsx"})
    csv_response = client.get(url, {"unit": root.pk, "levels": 1, "export": "csv"})

    assert page.status_code == 200 and "Bewustwording" in page.content.decode()
    expected = compliance(unit=root, levels=1)
    sheet = xlsx_sheet(xlsx)
    assert sheet.headings[0] == "Organisatieonderdeel"
    assert sheet.title.startswith(
        "Verplichte training, gefilterd op Organisatieonderdeel: Gemeente Naleving"
    )
    assert [(r[0], r[2], r[3], r[6]) for r in sheet.rows] == [
        (row.unit.path_names, row.total, row.completed, row.overdue) for row in expected
    ]
    lines = csv_rows(csv_response, "nl")
    assert len(lines) == len(expected) + 1
    assert (
        int(lines[1][2])
        == expected[0].total
        == Employee.objects.filter(organisation=root, is_active=True).count()
    )


def test_the_compliance_report_is_for_hr_only(client, cast):
    for user in (cast.learner, cast.manager, cast.unit_manager, cast.outsider):
        client.force_login(user.user)
        assert client.get(reverse("lms_compliance")).status_code in (302, 403)
    for user in (UserFactory(), cast.trainer):
        client.force_login(user)
        assert client.get(reverse("lms_compliance")).status_code in (302, 403)


def test_the_compliance_report_runs_the_same_queries_for_small_and_large_organisations(
    client, hr, module
):
    small = random_organisation_create(name="Gemeente Klein", employees=40).root
    large = random_organisation_create(name="Gemeente Groot", employees=400, seed=3).root
    for root in (small, large):
        administer(hr, root)
        _rule_for_all_staff(module, root)
    assignments_apply()
    client.force_login(hr)

    def queries(unit):
        url = reverse("lms_compliance")
        client.get(url, {"unit": unit.pk, "levels": 2})
        with CaptureQueriesContext(connection) as context:
            client.get(url, {"unit": unit.pk, "levels": 2})
        return len(context)

    assert queries(small) == queries(large)


def _rule_form(module, role_code: str, repeat_months: str = "") -> dict:
    """The admin form of an active rule "Bewustwording" of Gemeente Teststad: a role, a
    module, due in 30 days."""
    return {
        "organisation": OrgUnit.objects.get(depth=1, name="Gemeente Teststad").pk,
        "name": "Bewustwording",
        "role": RoleProfile.objects.get(code=role_code).pk,
        "org_unit": "",
        "module": module.pk,
        "learning_path": "",
        "due_days": "30",
        "repeat_months": repeat_months,
        "active": "on",
    }


def test_hr_adds_a_rule_in_the_admin_and_it_reaches_everyone_it_names(
    client, cast, module, django_capture_on_commit_callbacks
):
    members = {cast.learner, cast.colleague}  # the KCC role
    client.force_login(cast.hr)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("assignmentrule:add"), _rule_form(module, "KCC", repeat_months="12")
        )

    assert response.status_code == 302
    assigned = Assignment.objects.filter(rule__name="Bewustwording")
    assert {a.employee for a in assigned} == members
    assert {a.due_on for a in assigned} == {TODAY + datetime.timedelta(days=30)}
    # Applied to the people the rule names, not to the whole organisation, in HR's name.
    applied = AuditEntry.objects.get(action="lms.assignment.apply")
    assert applied.actor == cast.hr and applied.data["employees"] == len(members)


def test_a_rule_moved_to_another_group_is_withdrawn_from_the_people_it_no_longer_names(
    client, cast, module, django_capture_on_commit_callbacks
):
    members = {cast.learner, cast.colleague}  # the KCC role; the stranger holds POL
    kcc = RoleProfile.objects.get(code="KCC")
    rule = AssignmentRule.objects.create(
        organisation=cast.organisation, name="Bewustwording", role=kcc, module=module, due_days=30
    )
    assignments_apply()
    client.force_login(cast.hr)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("assignmentrule:edit", args=[rule.pk]), _rule_form(module, "POL")
        )

    assert response.status_code == 302
    open_ones = Assignment.objects.filter(rule=rule, withdrawn_on__isnull=True)
    assert {a.employee for a in open_ones} == {cast.stranger}
    withdrawn = Assignment.objects.filter(rule=rule, withdrawn_on=TODAY)
    assert {a.employee for a in withdrawn} == members
    applied = AuditEntry.objects.filter(action="lms.assignment.apply").latest("pk")
    assert applied.data["employees"] == len(members) + 1  # the old group and the new


def test_a_rule_needs_a_target_group_and_exactly_one_thing_to_do(client, hr):
    client.force_login(hr)

    response = client.post(
        reverse("assignmentrule:add"),
        {"name": "Niets", "due_days": "30", "active": "on"},
    )

    assert response.status_code == 200 and not AssignmentRule.objects.exists()
