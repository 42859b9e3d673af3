"""HR's admin dashboard: per organisation they administer, the headline figure, overdue
training and certificates that need attention, and the roster imports waiting for them, each
leading to the screen where one acts; the same number of queries however many organisations
and employees."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lms.dashboard.attention import organisations_attention, roster_attention
from lms.models import Assignment, AssignmentRule, Certificate
from lms.training.assignments import assignments_apply
from people.models import OrgUnit, RoleProfile, RosterUpload
from people.services import hr_group_setup
from tests.factories import UserFactory, administer, two_factor_enable
from tests.lms.test_certificates import complete, module  # noqa: F401 (fixture)
from tests.lms.test_dashboard import _organisation

TODAY = timezone.localdate()
NOW = timezone.now()


@pytest.fixture
def hr(hr):
    hr.preferred_language = "en"
    hr.save(update_fields=["preferred_language"])
    return hr


def _mandatory_training(root, training, *, completed=0):
    AssignmentRule.objects.create(
        organisation=root,
        name=f"Bewustwording {root.name}",
        role=RoleProfile.objects.get(code="ALL"),
        module=training,
        due_days=10,
    )
    assignments_apply(today=TODAY - datetime.timedelta(days=30))  # due 20 days ago
    done = Assignment.objects.filter(employee__org_unit__path__startswith=root.path)[:completed]
    Assignment.objects.filter(pk__in=[a.pk for a in done]).update(completed_on=TODAY)


@pytest.fixture
def world(organisation, module):  # noqa: F811
    """Gemeente Teststad: 6 in Publiekszaken, 3 of them at every essential target, 4 of their
    6 mandatory modules overdue. Gemeente Elders: 4 people (too few for a share), all 4
    overdue."""
    teststad, _staff = _organisation(None, {"Publiekszaken": (6, 3)}, root=organisation)
    elders, _staff = _organisation("Gemeente Elders", {"Publiek": (4, 0)})
    _mandatory_training(teststad, module, completed=2)
    _mandatory_training(elders, module)
    return teststad, elders


def _shared_adviser(*organisations):
    user = UserFactory(email="hr@dienstverlening.example", preferred_language="en")
    user.groups.add(hr_group_setup())
    return two_factor_enable(administer(user, *organisations))


def _panel(html, panel_id):
    start = html.index(f'id="{panel_id}')
    return html[start : html.index("</table>", start)]


def _row(panel, name):
    return re.search(rf'<th scope="row">{name}</th>(.*?)</tr>', panel, re.S).group(1)


def _links(row):
    return re.findall(r'<a href="([^"]+)">\s*([^<]*)', row)


def test_hr_sees_the_headline_and_overdue_training_of_her_organisation_with_links(
    client, hr, world
):
    teststad, _elders = world
    client.force_login(hr)
    html = client.get(reverse("wagtailadmin_home")).content.decode()

    assert "css/admin_dashboard.css" in html  # the panels' own stylesheet
    panel = _panel(html, "vaardig-organisations")
    assert "Gemeente Elders" not in panel
    links = _links(_row(panel, "Gemeente Teststad"))
    coverage, compliance = links[0], links[1]
    assert coverage[0] == f"/admin/coverage/?unit={teststad.pk}"
    assert coverage[1].strip() == "50%"
    assert "(3 of 6)" in panel
    assert compliance == (f"/admin/compliance/?unit={teststad.pk}", "4")
    # The links lead to the screens that show the same figures.
    assert client.get(coverage[0]).status_code == 200
    report = client.get(compliance[0]).content.decode()
    assert re.search(r"Gemeente Teststad.*?<td[^>]*>\s*4\s*</td>", report, re.S)


def test_the_shared_service_adviser_sees_each_organisation_and_small_ones_hidden(client, world):
    teststad, elders = world
    client.force_login(_shared_adviser(teststad, elders))
    panel = _panel(
        client.get(reverse("wagtailadmin_home")).content.decode(), "vaardig-organisations"
    )

    elders_links = _links(_row(panel, "Gemeente Elders"))
    assert elders_links[0] == (f"/admin/coverage/?unit={elders.pk}", "too few people")
    assert elders_links[1] == (f"/admin/compliance/?unit={elders.pk}", "4")
    assert _links(_row(panel, "Gemeente Teststad"))[1][1] == "4"


def test_certificates_expiring_soon_or_revoked_lately_lead_to_the_register(
    client,
    hr,
    world,
    module,  # noqa: F811
):
    teststad, _elders = world
    holders = [
        employee.user
        for employee in teststad.get_descendants().first().employees.order_by("pk")[:4]
    ]
    soon, revoked, later, revoked_long_ago = (complete(user, module) for user in holders)
    Certificate.objects.filter(pk=soon.pk).update(valid_until=TODAY + datetime.timedelta(days=12))
    Certificate.objects.filter(pk=revoked.pk).update(revoked_at=NOW - datetime.timedelta(days=3))
    Certificate.objects.filter(pk=revoked_long_ago.pk).update(
        revoked_at=NOW - datetime.timedelta(days=90)
    )
    client.force_login(hr)

    panel = _panel(
        client.get(reverse("wagtailadmin_home")).content.decode(), "vaardig-organisations"
    )
    _coverage, _compliance, expiring, lately = _links(_row(panel, "Gemeente Teststad"))
    assert (expiring[1], lately[1]) == ("1", "1")
    expiring_list = client.get(expiring[0].replace("&amp;", "&")).content.decode()
    assert soon.number in expiring_list and later.number not in expiring_list
    revoked_list = client.get(lately[0].replace("&amp;", "&")).content.decode()
    assert revoked.number in revoked_list and later.number not in revoked_list


def _upload(name, organisation, **fields):
    upload = RosterUpload.objects.create(filename=name, kind="complete", **fields)
    upload.organisations.set([organisation])
    return upload


def test_roster_imports_that_wait_for_hr_are_listed_with_what_to_do(client, hr, world):
    teststad, elders = world
    day = datetime.timedelta(days=1)
    waiting = _upload("waiting.csv", teststad)
    refused = _upload(
        "refused.csv", teststad, rejected_at=NOW - day, preview={"problems": [[3, "No role."]]}
    )
    undo = _upload("undo.csv", teststad, applied_at=NOW - 2 * day, result={"leaver_ids": [1]})
    _upload("discarded.csv", teststad, rejected_at=NOW - day)
    _upload("old.csv", teststad, applied_at=NOW - 40 * day, result={"leaver_ids": [1]})
    _upload("no-leavers.csv", teststad, applied_at=NOW - day, result={"leaver_ids": []})
    _upload("refused-long-ago.csv", teststad, rejected_at=NOW - 30 * day, preview={"problems": []})
    _upload("elders.csv", elders)
    client.force_login(hr)

    html = client.get(reverse("wagtailadmin_home")).content.decode()
    panel = _panel(html, "vaardig-roster")
    assert [name for _url, name in _links(panel)] == ["undo.csv", "refused.csv", "waiting.csv"]
    assert f'href="/admin/roster/{waiting.pk}/"' in panel
    assert "Waiting for confirmation" in panel
    assert "Refused: the file has problems" in panel
    assert "leavers can be reinstated until" in panel
    assert [item.upload for item in roster_attention(user=hr)] == [undo, refused, waiting]


def test_someone_without_these_permissions_sees_no_panel(client, world, trainer):
    administer(trainer, world[0])
    client.force_login(trainer)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "vaardig-organisations" not in html and "vaardig-roster" not in html
    assert organisations_attention(user=trainer) == []


def test_the_panels_run_the_same_queries_for_one_small_and_three_large_organisations(
    client,
    frameworks,
    catalogue,
    module,  # noqa: F811
):
    small, _staff = _organisation("Gemeente Klein", {"A": (5, 1)})
    _mandatory_training(small, module)
    one = _shared_adviser(small)
    _upload("klein.csv", small)
    large = [
        _organisation(f"Gemeente Groot {n}", {"A": (7, 2), "B": (6, 3), "C": (3, 0)})[0]
        for n in range(3)
    ]
    for root in large:
        _mandatory_training(root, module, completed=2)
        _upload(f"{root.name}.csv", root)
    three = UserFactory(email="hr@groot.example", preferred_language="en")
    three.groups.add(hr_group_setup())
    two_factor_enable(administer(three, *large))

    def count(user):
        client.force_login(user)
        client.get(reverse("wagtailadmin_home"))  # warm what is cached per process
        with CaptureQueriesContext(connection) as queries:
            html = client.get(reverse("wagtailadmin_home")).content.decode()
        assert "vaardig-organisations" in html and "vaardig-roster" in html
        return len(queries)

    assert count(one) == count(three)
    assert [line.organisation for line in organisations_attention(user=three)] == sorted(
        large, key=lambda root: root.name
    )
    assert OrgUnit.objects.filter(depth=1).count() == 4
