"""The audit log names people and objects, not ids, says what happened in the reader's
language, shows old and new values, and finds a person's entries by name or address
(core/audit_admin.py, core/audit_names.py, people/audit_names.py)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from competencies.models import Competence
from competencies.services import evidence_record
from core.audit import audit_change, audit_log, snapshot
from lms.certificates.services import certificate_revoke
from lms.demo import lesson_finish
from lms.models import Assignment, Certificate
from lms.training.assignments import assignments_due_extend
from people.models import OrganisationAdministrator, OrgUnit
from people.personal_data import personal_data_erase, pseudonym_of
from tests.factories import module_create


def listing(html):
    """The table of entries (empty when none is found), without the filter's choices."""
    if '<table class="listing' not in html:
        return ""
    start = html.index('<table class="listing')
    return html[start : html.index("</table>", start)]


@pytest.fixture
def hr(hr):
    """The shared HR adviser (the cast's), reading in English."""
    hr.preferred_language = "en"
    hr.save(update_fields=["preferred_language"])
    return hr


def edit_unit(cast, hr):
    """HR moves the learner to Financiën: an edit with old and new values."""
    employee = cast.learner
    before = snapshot(employee)
    employee.org_unit = cast.other_team
    employee.save()
    return audit_change(actor=hr, target=employee, before=before, after=snapshot(employee))


def test_entries_name_people_and_objects_and_show_old_and_new_values(client, cast, hr):
    edit_unit(cast, hr)
    audit_log(
        actor=hr, action="lms.assignment.extend", target=cast.colleague, employee=cast.colleague.pk
    )
    client.force_login(hr)

    html = listing(client.get(reverse("core_audit_log")).content.decode())

    assert "Employee changed" in html and "Due date moved" in html
    assert f"Employee: Lotte de Leeuw ({cast.learner.number})" in html
    assert "KCC → Financiën" in html
    assert f"Employee: Daan van Dijk ({cast.colleague.number})" in html
    assert "people.employee.edit" not in html and f"employee {cast.learner.pk}" not in html


def test_the_actions_are_in_the_readers_language(client, cast, hr):
    edit_unit(cast, hr)
    hr.preferred_language = "de"
    hr.save(update_fields=["preferred_language"])
    client.force_login(hr)

    html = listing(client.get(reverse("core_audit_log")).content.decode())

    assert "Beschäftigte:r geändert" in html
    assert "Employee changed" not in html


def test_an_erased_person_shows_as_their_pseudonym(
    client, cast, hr, django_capture_on_commit_callbacks
):
    edit_unit(cast, hr)
    learner = cast.learner.user
    with django_capture_on_commit_callbacks(execute=True):
        personal_data_erase(user=learner, acting_user=hr, reason="request")
    client.force_login(hr)

    html = listing(client.get(reverse("core_audit_log")).content.decode())

    assert pseudonym_of(learner) in html
    assert "Lotte" not in html and "de Leeuw" not in html


def test_the_log_filters_by_person_within_the_own_organisations(client, cast, hr):
    edit_unit(cast, hr)
    audit_log(actor=hr, action="lms.assignment.extend", target=cast.colleague)
    audit_log(actor=cast.outsider.user, action="lms.enrolment.start", target=cast.outsider)
    client.force_login(hr)
    url = reverse("core_audit_log")

    lotte = listing(client.get(url, {"person": "lotte leeuw"}).content.decode())
    by_address = listing(client.get(url, {"person": "colleague@gemeente"}).content.decode())
    outsider = listing(client.get(url, {"person": "Otto"}).content.decode())

    assert "Employee changed" in lotte and "Due date moved" not in lotte
    assert "Due date moved" in by_address and "Employee changed" not in by_address
    # Another organisation's person is not found, nor are the entries about them.
    assert "Otto" not in outsider and "Module started" not in outsider
    assert "Due date moved" not in outsider


def test_the_action_filter_offers_the_actions_in_words(client, cast, hr):
    audit_log(actor=hr, action="lms.assignment.extend", target=cast.colleague)
    client.force_login(hr)

    html = client.get(reverse("core_audit_log")).content.decode()

    assert '<option value="lms.assignment.extend">Due date moved</option>' in html


def test_the_number_of_queries_does_not_grow_with_the_entries(client, cast, hr):
    people = [cast.learner, cast.colleague, cast.stranger]

    def write(count: int) -> None:
        for n in range(count):
            person = people[n % 3]
            audit_log(
                actor=person.user, action="lms.assignment.extend", target=person, employee=person.pk
            )
            # An appointment's name reads its account and organisation.
            appointment = OrganisationAdministrator.objects.create(
                user=person.user, organisation=OrgUnit.add_root(name=f"Gemeente {count}-{n}")
            )
            audit_log(
                actor=hr,
                action="people.administrator.appoint",
                target=appointment,
                organisation_id=cast.organisation.pk,
            )

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("core_audit_log"))
        assert response.status_code == 200
        return len(captured)

    client.force_login(hr)
    write(3)
    few = queries()
    write(30)

    assert queries() == few


def test_the_person_filter_finds_what_was_done_about_their_training_and_levels(
    client, cast, hr, catalogue
):
    """An assignment moved or a level validated is an entry about an assignment or evidence,
    not about the employee record; it names the employee in its details, and her name
    finds it."""
    today = timezone.localdate()
    module = module_create(catalogue, title="Phishing herkennen", lessons=1)
    late = Assignment.objects.create(
        employee=cast.learner,
        module=module,
        assigned_on=today - datetime.timedelta(days=40),
        due_on=today - datetime.timedelta(days=3),
    )
    assignments_due_extend(
        assignments=[late],
        due_on=today + datetime.timedelta(days=30),
        reason="Long-term sick leave",
        acting_user=hr,
    )
    evidence_record(
        employee=cast.colleague,
        competence=Competence.objects.get(code="4.1"),
        rank=4,
        source="manager",
        acting_user=cast.manager.user,
        review_on=today + datetime.timedelta(days=200),
    )
    client.force_login(hr)
    url = reverse("core_audit_log")

    lotte = listing(client.get(url, {"person": "lotte leeuw"}).content.decode())
    daan = listing(client.get(url, {"person": "daan"}).content.decode())

    assert "Due date moved" in lotte and "Long-term sick leave" in lotte
    assert f"Lotte de Leeuw ({cast.learner.number})" in lotte
    assert "Due date moved" not in daan
    assert "Level validated by the manager" in daan
    assert f"4.1, level 4: Daan van Dijk ({cast.colleague.number})" in daan
    assert f"Daan van Dijk ({cast.colleague.number})" in daan
    assert "Long-term sick leave" not in daan and "Lotte" not in daan


def test_the_person_filter_finds_what_was_done_about_her_certificate(client, cast, hr, catalogue):
    """A certificate revoked is an entry about the certificate, which names its holder's
    account (``audit_person_id``): her name finds it, a colleague's does not."""
    module = module_create(catalogue, title="Veilig e-mailen", lessons=1, grants_certificate=True)
    lesson_finish(cast.learner.user, module.lessons().first())
    certificate_revoke(
        certificate=Certificate.objects.get(enrolment__learner=cast.learner.user),
        reason="Issued by mistake",
        acting_user=hr,
    )
    client.force_login(hr)
    url = reverse("core_audit_log")

    lotte = listing(client.get(url, {"person": "lotte leeuw"}).content.decode())
    daan = listing(client.get(url, {"person": "daan"}).content.decode())

    assert "Issued by mistake" in lotte and "Person: Lotte de Leeuw" in lotte
    assert "Issued by mistake" not in daan
