import datetime

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from core.audit import audit_log
from core.models import AuditEntry
from tests.factories import UserFactory
from tests.spreadsheets import csv_rows


def listing(html):
    """The table of entries, without the filter's list of actions."""
    start = html.index('<table class="listing')
    return html[start : html.index("</table>", start)]


@pytest.fixture
def hr(hr):
    """The shared HR adviser, reading in English."""
    hr.preferred_language = "en"
    hr.save(update_fields=["preferred_language"])
    return hr


@pytest.fixture
def entries(hr, organisation):
    """Entries about the HR adviser's own organisation and one about none (the snapshot,
    which a platform administrator reads)."""
    unit = organisation.add_child(name="Logboek")
    old = audit_log(actor=hr, action="people.roster.apply", target=unit, created=3)
    AuditEntry.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=40)
    )
    audit_log(
        actor=hr,
        action="competencies.coverage.names_view",
        target=unit,
        unit=unit.pk,
        competence="2.1",
        people_shown=4,
    )
    audit_log(
        actor=None,
        action="competencies.coverage_snapshot.take",
        organisation_id=organisation.pk,
        month="2026-10",
    )
    return unit


def test_hr_reads_the_audit_log_newest_first_with_who_what_target_and_data(client, hr, entries):
    client.force_login(hr)

    response = client.get(reverse("core_audit_log"))
    html = listing(response.content.decode())

    assert response.status_code == 200
    snapshot = html.index("Monthly coverage figures kept")
    names = html.index("Looked at the names behind coverage")
    roster = html.index("Roster imported")
    assert snapshot < names < roster
    assert "Organisation unit: Logboek" in html and f"unit {entries.pk}" not in html
    assert "Competence: 2.1" in html and "People shown: 4" in html
    assert hr.get_full_name() in html


def test_the_audit_log_filters_by_action_and_date(client, hr, entries):
    client.force_login(hr)
    url = reverse("core_audit_log")

    by_action = listing(client.get(url, {"action": "people.roster.apply"}).content.decode())
    since = (timezone.localdate() - datetime.timedelta(days=7)).isoformat()
    by_date = listing(client.get(url, {"created_at_from": since}).content.decode())

    assert "Roster imported" in by_action
    assert "Looked at the names behind coverage" not in by_action
    assert "Roster imported" not in by_date
    assert "Looked at the names behind coverage" in by_date


def test_the_audit_log_exports_what_it_lists(client, hr, entries):
    client.force_login(hr)

    response = client.get(reverse("core_audit_log"), {"export": "csv"})
    rows = csv_rows(response, "en")

    assert rows[0] == ["When", "Who", "What", "Action code", "About", "Details"]
    assert rows[2][2] == "Looked at the names behind coverage"
    assert [row[3] for row in rows[1:]] == [
        "competencies.coverage_snapshot.take",
        "competencies.coverage.names_view",
        "people.administrator.appoint",  # the HR adviser's own appointment, by the fixture
        "people.roster.apply",
    ]


def test_trainers_employees_and_outsiders_cannot_read_the_audit_log(
    client, entries, trainer, outsider
):
    for user in (trainer, outsider, UserFactory()):
        client.force_login(user)
        response = client.get(reverse("core_audit_log"))
        assert response.status_code in (302, 403)
        assert b"coverage.names_view" not in response.content


def test_no_one_can_add_change_or_delete_entries_through_the_admin(client, hr, entries):
    client.force_login(hr)
    entry = AuditEntry.objects.first()
    count = AuditEntry.objects.count()

    for name in ("core_audit_log_add", "core_audit_log_edit", "core_audit_log_delete"):
        with pytest.raises(NoReverseMatch):
            reverse(name, args=[entry.pk])
    for path in (f"/admin/audit-log/{entry.pk}/", f"/admin/audit-log/{entry.pk}/delete/"):
        assert client.post(path).status_code == 404
    assert client.post(reverse("core_audit_log")).status_code == 405
    assert AuditEntry.objects.count() == count
    assert not hr.has_perm("people.change_auditentry") and not hr.has_perm(
        "people.delete_auditentry"
    )
