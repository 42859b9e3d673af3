"""Each person's data: the export (GDPR art. 15 and 20), the erasure (art. 17) and the
retention of leavers."""

import datetime
import io
import json
import re
import zipfile

import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from wagtail.users.models import UserProfile

from competencies.models import Competence, CoverageSnapshotFigure, Evidence
from competencies.services import manager_validate, self_assessment_submit
from competencies.snapshots import coverage_snapshot_take
from content.models import ModuleCompetence
from core.dates import add_months
from core.models import AuditEntry
from lms.certificates.services import certificate_reissue
from lms.daily import daily_run
from lms.demo import lesson_finish
from lms.models import Assignment, Certificate, ReminderSent
from people.models import Employee, OrgUnit, RosterUpload, User
from people.personal_data import (
    NOT_PERSONAL,
    covered_models,
    person_models,
    personal_data_erase,
    pseudonym_of,
)
from tests.factories import UserFactory, employee_create, module_create

NUMBER = "KCC-4711"  # the learner's employee number: distinctive, so that the scan finds it


def read_zip(data: bytes) -> tuple[dict, str, zipfile.ZipFile]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    return (
        json.loads(archive.read("data.json")),
        archive.read("summary.html").decode(),
        archive,
    )


@pytest.fixture
def history(cast, catalogue, client):
    """The learner with a bit of everything Vaardig keeps about a person: a completed module
    with a certificate (re-issued, so with an earlier version), a manager's validation and a
    self-assessment with free text, an assignment, a reminder, an HR edit in the admin (the
    audit log and Wagtail's history), a roster preview that names her, an allauth address and
    a Wagtail profile."""
    learner = cast.learner
    Employee.objects.filter(pk=learner.pk).update(number=NUMBER)
    learner.refresh_from_db()
    module = module_create(
        catalogue, title="Phishing herkennen", lessons=1, grants_certificate=True
    )
    competence = Competence.objects.get(code="4.1")
    ModuleCompetence.objects.create(module=module, competence=competence, level_awarded=3)
    for lesson in module.lessons():
        lesson_finish(learner.user, lesson)
    certificate = Certificate.objects.get(enrolment__learner=learner.user)
    certificate_reissue(certificate=certificate, acting_user=cast.hr)
    manager_validate(
        manager=cast.manager,
        employee=learner,
        competence=Competence.objects.get(code="1.1"),
        rank=4,
        review_on=datetime.date.today() + datetime.timedelta(days=300),
        comment="Lotte de Leeuw helpt collega's met zoeken.",
        acting_user=cast.manager.user,
    )
    self_assessment_submit(
        employee=learner,
        competence=Competence.objects.get(code="2.1"),
        ticked={1, 2},
        acting_user=learner.user,
    )
    Assignment.objects.create(
        employee=learner,
        module=module,
        assigned_by=cast.manager.user,
        assigned_on=datetime.date.today(),
        due_on=datetime.date.today() + datetime.timedelta(days=30),
    )
    ReminderSent.objects.create(
        recipient=learner.user, reason=ReminderSent.Reason.DUE_SOON, sent_on=datetime.date.today()
    )
    client.force_login(cast.hr)
    response = client.post(
        reverse("employee:edit", args=[learner.pk]),
        {
            "email": learner.user.email,
            "first_name": "Lotte",
            "last_name": "de Leeuw",
            "number": NUMBER,
            "org_unit": cast.team.pk,
            "roles": [role.pk for role in learner.roles.all()],
            "manager_number": cast.manager.number,
            "start_date": "2020-02-01",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    client.logout()
    RosterUpload.objects.create(
        filename="personeel.csv",
        kind=RosterUpload.Kind.CHANGES,
        preview={"result": {"changes": [{"name": "Lotte de Leeuw", "email": learner.user.email}]}},
    )
    EmailAddress.objects.create(user=learner.user, email=learner.user.email, primary=True)
    UserProfile.get_for_user(learner.user)
    learner.refresh_from_db()
    return learner


# -- what is held ------------------------------------------------------------------------------


def test_every_model_that_refers_to_a_person_is_exported_or_listed_as_not_personal(db):
    held = person_models()
    # The walk finds Django's, Wagtail's, allauth's and our own models.
    assert {"lms.Enrolment", "competencies.Evidence", "account.EmailAddress"} <= held
    assert {"wagtailcore.Revision", "core.AuditEntry"} <= held
    forgotten = held - covered_models() - set(NOT_PERSONAL)
    assert not forgotten, (
        f"{sorted(forgotten)} refer to a person: register them as a part of the personal "
        "data (people/personal_data.py) or list them as not personal, with the reason."
    )
    both = covered_models() & set(NOT_PERSONAL)
    assert not both, f"{sorted(both)} are exported and listed as not personal"
    assert all(reason.strip() for reason in NOT_PERSONAL.values())


# -- export ------------------------------------------------------------------------------------


def test_the_export_holds_everything_vaardig_keeps_about_the_person(history, cast):
    user = history.user
    user.preferred_language = "nl"
    user.save()
    call_command("export_personal_data", user.email, "--output", "/dev/null")
    certificate = Certificate.objects.get(enrolment__learner=user)
    from people.personal_data import personal_data_export

    data, summary, archive = read_zip(
        personal_data_export(user=user, acting_user=cast.hr, via="admin")
    )
    parts = {key: part["records"] for key, part in data["parts"].items()}

    profile = parts["profile"][0]
    assert profile["email"] == "learner@gemeente.example" and profile["employee_number"] == NUMBER
    assert profile["manager"] == "Mark Meijer" and profile["unit"].endswith("/KCC")
    assert [a["email"] for a in profile["email_addresses"]] == [user.email]
    [enrolment] = parts["enrolments"]
    assert enrolment["module"] == "Phishing herkennen" and enrolment["completed"]
    assert enrolment["lessons"] and all(lesson["completed_at"] for lesson in enrolment["lessons"])
    # The knowledge check of the one lesson, passed at the first attempt, with her answers.
    [attempt] = enrolment["attempts"]
    assert (attempt["number"], attempt["score"], attempt["passed"]) == (1, 100, True)
    assert attempt["answers"] and attempt["submitted_at"]
    [validation] = parts["validations"]
    assert validation["recorded_by"] == "Mark Meijer" and validation["level"] == 4
    assert validation["comment"] == "Lotte de Leeuw helpt collega's met zoeken."
    assert [e["source"] for e in parts["self_assessments"]] == ["self"]
    assert [e["source"] for e in parts["evidence"]] == ["module"]
    assert {s["competence"].split()[0] for s in parts["statuses"]} >= {"1.1", "2.1", "4.1"}
    [exported_certificate] = parts["certificates"]
    assert exported_certificate["number"] == certificate.number
    assert len(exported_certificate["earlier_versions"]) == 1
    assert [a["assigned_by"] for a in parts["assignments"]] == ["Mark Meijer"]
    assert [r["reason"] for r in parts["reminders"]] == ["due_soon"]
    actions = {entry["action"] for entry in parts["audit"]}
    assert {"people.employee.edit", "people.personal_data.export"} <= actions

    # The PDFs, read through the storage, current and earlier version.
    with certificate.pdf.open("rb") as handle:
        assert archive.read(exported_certificate["pdf"]) == handle.read()
    pdfs = [name for name in archive.namelist() if name.endswith(".pdf")]
    assert len(pdfs) == 2 and all(archive.read(name).startswith(b"%PDF") for name in pdfs)

    # The summary, in the person's language, with the manager's name.
    assert '<html lang="nl">' in summary and "Certificaten" in summary
    assert "Mark Meijer" in summary and "Phishing herkennen" in summary
    # Nobody else's data: the colleague in the same team is not in it.
    assert cast.colleague.user.email not in json.dumps(data) + summary

    exports = AuditEntry.objects.filter(action="people.personal_data.export")
    assert [(e.actor, e.data["via"]) for e in exports.order_by("created_at")] == [
        (None, "command line"),
        (cast.hr, "admin"),
    ]


def test_an_employee_downloads_their_data_from_their_account_page(client, history, cast):
    client.force_login(history.user)
    page = client.get(reverse("account_overview")).content.decode()
    assert reverse("personal_data_download") in page and "Mijn gegevens downloaden" in page

    assert client.get(reverse("personal_data_download")).status_code == 405  # POST only
    response = client.post(reverse("personal_data_download"))

    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    data, _summary, _archive = read_zip(response.content)
    assert data["person"] == history.user.email
    assert AuditEntry.objects.filter(
        action="people.personal_data.export", actor=history.user, data__via="self"
    ).exists()


def test_someone_without_an_account_page_gets_no_export(client, db):
    response = client.post(reverse("personal_data_download"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_export_command_writes_the_zip(history, tmp_path, capsys):
    output = tmp_path / "lotte.zip"
    call_command("export_personal_data", "Learner@Gemeente.example", "--output", str(output))
    data, _summary, _archive = read_zip(output.read_bytes())
    assert data["parts"]["profile"]["records"][0]["last_name"] == "de Leeuw"
    with pytest.raises(CommandError, match="No account"):
        call_command("export_personal_data", "nobody@elders.example", "--output", str(output))


# -- erasure -----------------------------------------------------------------------------------


def text_columns_containing(needle: str) -> list[str]:
    """ "table.column" of every column of every table in the database (Django's, Wagtail's,
    allauth's and ours, read from the schema) whose text holds ``needle``, ignoring case,
    as written or as JSON writes it (non-ASCII letters escaped)."""
    spellings = {needle, json.dumps(needle)[1:-1]}
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            columns = connection.introspection.get_table_description(cursor, table)
            for column in columns:
                name = connection.ops.quote_name(column.name)
                for spelling in spellings:
                    cursor.execute(
                        f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)} "
                        f"WHERE UPPER(CAST({name} AS TEXT)) LIKE UPPER(%s)",
                        [f"%{spelling}%"],
                    )
                    if cursor.fetchone()[0]:
                        found.append(f"{table}.{column.name}")
    return found


def snapshot_figures() -> list[tuple]:
    return list(
        CoverageSnapshotFigure.objects.order_by("pk").values_list(
            "snapshot__month", "org_unit", "role", "competence", "with_target", "meeting"
        )
    )


def test_after_erasure_neither_name_nor_address_nor_number_is_anywhere_in_the_database(
    history, cast, client, django_capture_on_commit_callbacks
):
    user = history.user
    certificate = Certificate.objects.get(enrolment__learner=user)
    stored_pdfs = [certificate.pdf.name, *(v["pdf"] for v in certificate.history)]
    storage = certificate.pdf.storage
    needles = [user.email, user.first_name, user.last_name, NUMBER]
    # The scan finds them before the erasure: it looks in the right places.
    before = {needle: text_columns_containing(needle) for needle in needles}
    assert "people_user.email" in before[user.email]
    assert "people_employee.number" in before[NUMBER]
    assert "people_auditentry.data" in before[user.last_name]
    assert "wagtailcore_modellogentry.label" in before[user.last_name]
    assert "lms_certificate.holder_name" in before[user.first_name]
    assert "people_rosterupload.preview" in before[user.email]
    last_month = add_months(timezone.localdate().replace(day=1), -1)
    coverage_snapshot_take(month=last_month)
    figures = snapshot_figures()
    audit_ids = set(AuditEntry.objects.values_list("pk", flat=True))

    with django_capture_on_commit_callbacks(execute=True):
        call_command("erase_personal_data", user.email, "--confirm")

    assert {needle: text_columns_containing(needle) for needle in needles} == {
        needle: [] for needle in needles
    }
    # The account stays as an inactive, unusable, pseudonymous row; the records keep it.
    user.refresh_from_db()
    assert not user.is_active and not user.has_usable_password() and user.erased_at
    assert Evidence.objects.filter(employee__user=user).count() == 3
    assert not Evidence.objects.filter(employee__user=user).exclude(comment="").exists()
    # The audit log lost no entry and speaks of the pseudonym.
    pseudonym = pseudonym_of(user)
    assert audit_ids <= set(AuditEntry.objects.values_list("pk", flat=True))
    edit = AuditEntry.objects.get(action="people.employee.edit", target_id=str(history.pk))
    assert pseudonym in edit.data["object"]
    erase = AuditEntry.objects.get(action="people.personal_data.erase")
    assert erase.data == {"person": pseudonym, "reason": "command line"} and erase.actor is None
    # The figures of past months stay as they were.
    assert figures and snapshot_figures() == figures
    # The PDFs are gone from the storage; the public check says the certificate is gone.
    assert not any(storage.exists(name) for name in stored_pdfs)
    html = client.get(reverse("certificate_verify", args=[certificate.public_id])).content
    html = html.decode()
    assert "niet meer beschikbaar" in html and "Phishing herkennen" not in html
    # Signing in no longer works.
    assert not client.login(email=needles[0], password="correct-horse-battery")


def test_erasing_asks_for_confirmation_and_happens_once(history, capsys):
    email = history.user.email
    with pytest.raises(CommandError, match="--confirm"):
        call_command("erase_personal_data", email)
    assert User.objects.filter(email=email, erased_at__isnull=True).exists()

    call_command("erase_personal_data", email, "--confirm")
    out = capsys.readouterr().out
    assert "Lotte de Leeuw" in out and pseudonym_of(history.user) in out
    with pytest.raises(CommandError, match="No account"):
        call_command("erase_personal_data", email, "--confirm")
    assert AuditEntry.objects.filter(action="people.personal_data.erase").count() == 1


def test_pseudonyms_are_stable_and_need_the_installations_secret(cast, settings):
    first, second = cast.learner.user, cast.colleague.user
    pseudonym = pseudonym_of(first)
    assert re.fullmatch(r"person #[0-9a-f]{8}", pseudonym)
    assert pseudonym == pseudonym_of(first) != pseudonym_of(second)
    settings.SECRET_KEY = "another installation's secret key, at least fifty characters long"
    assert pseudonym_of(first) != pseudonym


def test_an_active_employee_erased_leaves_and_no_longer_manages_anyone(cast):
    personal_data_erase(user=cast.manager.user, acting_user=cast.hr, reason="request")
    manager = Employee.objects.get(pk=cast.manager.pk)
    assert not manager.is_active and manager.left_on == timezone.localdate()
    assert not Employee.objects.filter(manager=manager).exists()
    assert not OrgUnit.objects.filter(manager=manager).exists()


# -- the admin ---------------------------------------------------------------------------------


def test_hr_exports_and_erases_a_person_in_the_admin_after_naming_them(client, history, cast):
    client.force_login(cast.hr)
    edit = client.get(reverse("employee:edit", args=[history.pk])).content.decode()
    page_url = reverse("people_personal_data", args=[history.pk])
    assert page_url in edit

    page = client.get(page_url).content.decode()
    assert "Lotte de Leeuw" in page and NUMBER in page

    response = client.post(reverse("people_personal_data_export", args=[history.pk]))
    data, _summary, _archive = read_zip(response.content)
    assert data["person"] == "learner@gemeente.example"

    # The wrong name erases nothing.
    response = client.post(page_url, {"confirm_name": "Daan van Dijk"})
    assert response.status_code == 200 and "niet de naam" in response.content.decode()
    assert not User.objects.get(pk=history.user.pk).erased_at

    response = client.post(page_url, {"confirm_name": "  lotte de  leeuw "})
    assert response.status_code == 302
    erased = User.objects.get(pk=history.user.pk)
    assert erased.erased_at and erased.email.endswith("@erased.invalid")
    entry = AuditEntry.objects.get(action="people.personal_data.erase")
    assert entry.actor == cast.hr and entry.data["reason"] == "request"
    assert pseudonym_of(erased) in client.get(page_url).content.decode()


@pytest.mark.parametrize("who", ["learner", "manager", "trainer", "outsider"])
def test_only_hr_opens_exports_or_erases_someone_in_the_admin(client, cast, who):
    client.force_login(cast.account(who))
    target = cast.colleague
    for url in (
        reverse("people_personal_data", args=[target.pk]),
        reverse("people_personal_data_export", args=[target.pk]),
    ):
        assert client.get(url).status_code in (302, 403, 405)
        response = client.post(url, {"confirm_name": "Daan van Dijk"})
        assert response.status_code in (302, 403)
        assert response.get("Content-Type") != "application/zip"
    assert not User.objects.get(pk=target.user.pk).erased_at
    assert not AuditEntry.objects.filter(action__startswith="people.personal_data").exists()


# -- retention ---------------------------------------------------------------------------------


def test_the_daily_round_erases_leavers_once_their_organisations_period_has_passed(
    frameworks, organisation
):
    today = timezone.localdate()
    other = OrgUnit.add_root(name="Gemeente Kortbewaard", retention_months=6)

    def leaver(unit, months_ago, email):
        employee = employee_create(org_unit=unit, user=UserFactory(email=email))
        left_on = add_months(today, -months_ago)
        Employee.objects.filter(pk=employee.pk).update(is_active=False, left_on=left_on)
        return employee

    long_gone = leaver(organisation, 25, "lang.weg@gemeente.example")
    recent = leaver(organisation, 23, "net.weg@gemeente.example")
    short_retention = leaver(other, 7, "weg@kortbewaard.example")
    still_here = employee_create(org_unit=organisation, user=UserFactory(email="hier@x.example"))
    Employee.objects.filter(pk=still_here.pk).update(start_date=add_months(today, -40))

    report = daily_run()
    assert "2 people erased" in " ".join(report)

    erased = set(User.objects.filter(erased_at__isnull=False).values_list("pk", flat=True))
    assert erased == {long_gone.user_id, short_retention.user_id}
    assert not User.objects.filter(
        email__in=["lang.weg@gemeente.example", "weg@kortbewaard.example"]
    )
    assert User.objects.filter(pk=recent.user_id, erased_at__isnull=True).exists()
    entries = AuditEntry.objects.filter(action="people.personal_data.erase")
    assert {(e.actor, e.data["reason"]) for e in entries} == {(None, "retention")}
    assert "0 people erased" in " ".join(daily_run())


def test_hr_sets_the_retention_period_on_the_organisation(client, hr, organisation):
    client.force_login(hr)
    response = client.post(
        reverse("orgunit:edit", args=[organisation.pk]),
        {"name": organisation.name, "retention_months": "36", "manager_number": ""},
    )
    assert response.status_code == 302
    assert OrgUnit.objects.get(pk=organisation.pk).retention_months == 36
    # Left empty, the default period applies.
    client.post(
        reverse("orgunit:edit", args=[organisation.pk]),
        {"name": organisation.name, "retention_months": "", "manager_number": ""},
    )
    assert OrgUnit.objects.get(pk=organisation.pk).retention_months == 24


def test_the_export_takes_as_many_queries_for_many_modules_as_for_one(cast, catalogue):
    from django.test.utils import CaptureQueriesContext

    from people.personal_data import personal_data_export

    user = cast.learner.user

    def complete(title):
        module = module_create(catalogue, title=title, lessons=2, grants_certificate=True)
        for lesson in module.lessons():
            lesson_finish(user, lesson)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            personal_data_export(user=user, acting_user=user, via="self")
        return len(captured)

    complete("Phishing herkennen")
    queries()  # once to fill the caches (content types, site) that any request has filled
    one = queries()
    complete("Veilig wachtwoorden kiezen")
    complete("Samenwerken in Teams")
    assert Certificate.objects.filter(enrolment__learner=user).count() == 3
    assert queries() == one
