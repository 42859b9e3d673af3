import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from competencies.models import (
    Competence,
    CompetenceStatus,
    CoverageSnapshot,
    CoverageSnapshotFigure,
    CoverageSnapshotHeadline,
    Evidence,
)
from competencies.random_data import random_organisation_create
from competencies.services import CompetencyError, evidence_record
from competencies.snapshots import (
    coverage_snapshot_take,
    coverage_snapshot_task,
    coverage_trend,
    headline_now,
)
from competencies.status import status_refresh
from core.dates import add_months, month_end, month_start
from core.models import AuditEntry
from people.models import Employee, OrgUnit
from tests.factories import employee_create

Source = Evidence.Source


def current_month():
    return month_start(timezone.localdate())


def stored(snapshot):
    figures = {
        (f.org_unit_id, f.role_id, f.competence_id): (f.with_target, f.meeting)
        for f in CoverageSnapshotFigure.objects.filter(snapshot=snapshot)
    }
    headlines = {
        (h.org_unit_id, h.role_id): (h.with_essential, h.meeting_all)
        for h in CoverageSnapshotHeadline.objects.filter(snapshot=snapshot)
    }
    return figures, headlines


def counted_by_hand():
    """Today's figures, counted one employee and one status at a time."""
    figures, headlines = {}, {}
    for employee in Employee.objects.filter(is_active=True):
        statuses = list(
            CompetenceStatus.objects.filter(employee=employee, target_rank__isnull=False)
        )
        if not statuses:
            continue
        essential = [s for s in statuses if s.essential]
        for role in [None, *employee.roles.values_list("pk", flat=True)]:
            for status in statuses:
                key = (employee.org_unit_id, role, status.competence_id)
                total, met = figures.get(key, (0, 0))
                figures[key] = (total + 1, met + status.meets_target)
            if essential:
                key = (employee.org_unit_id, role)
                total, met = headlines.get(key, (0, 0))
                headlines[key] = (total + 1, met + all(s.meets_target for s in essential))
    return figures, headlines


def test_a_snapshot_of_today_adds_up_like_counting_by_hand(frameworks):
    random_organisation_create(name="Gemeente Telstad", employees=80)
    Employee.objects.filter(pk__in=Employee.objects.order_by("pk")[:5].values("pk")).update(
        is_active=False
    )
    # Random people rarely meet every essential target; ten of them do here.
    CompetenceStatus.objects.filter(
        employee__in=Employee.objects.order_by("-pk")[:10].values("pk"), target_rank__isnull=False
    ).update(meets_target=True)

    snapshot = coverage_snapshot_take()

    figures, headlines = stored(snapshot)
    assert (figures, headlines) == counted_by_hand()
    assert snapshot.month == current_month() and not snapshot.replayed
    assert any(role is not None for _unit, role, _c in figures)  # per role as well
    assert 0 < sum(met for _t, met in headlines.values()) < sum(t for t, _m in headlines.values())


def test_taking_a_month_twice_replaces_it(frameworks):
    random_organisation_create(name="Gemeente Tweemaal", employees=40)
    first = coverage_snapshot_take()
    before = stored(first)
    Employee.objects.filter(pk=Employee.objects.order_by("pk").first().pk).update(is_active=False)

    second = coverage_snapshot_take()

    assert second.pk == first.pk and CoverageSnapshot.objects.count() == 1
    after = stored(second)
    assert after == counted_by_hand() and after != before
    assert AuditEntry.objects.filter(action="competencies.coverage_snapshot.take").count() == 2


def test_a_month_that_has_not_begun_is_refused(db):
    with pytest.raises(CompetencyError):
        coverage_snapshot_take(month=add_months(current_month(), 1))
    with pytest.raises(CommandError):
        call_command("take_coverage_snapshot", "--month", f"{add_months(current_month(), 1):%Y-%m}")
    assert not CoverageSnapshot.objects.exists()


@pytest.fixture
def history(frameworks, organisation):
    """A team whose history is known: Anna reaches all her targets two months ago; Bas joins
    last month; Cem left two months ago."""
    team = organisation.add_child(name="Team Loket")
    two_months_ago = add_months(current_month(), -2)
    anna = employee_create(org_unit=team, roles=["KCC"], start_date=datetime.date(2020, 1, 1))
    bas = employee_create(org_unit=team, roles=["KCC"], start_date=add_months(current_month(), -1))
    cem = employee_create(
        org_unit=team,
        roles=["KCC"],
        start_date=datetime.date(2019, 1, 1),
        is_active=False,
        left_on=two_months_ago + datetime.timedelta(days=3),
    )
    competence = Competence.objects.get(code="4.2")
    status_refresh(employees=[anna])
    # Anna closes every gap in one go, two months ago: then she meets all essential targets.
    for status in CompetenceStatus.objects.filter(employee=anna, target_rank__isnull=False):
        evidence_record(
            employee=anna,
            competence=status.competence,
            rank=8,
            source=Source.MODULE,
            acting_user=None,
            recorded_on=two_months_ago + datetime.timedelta(days=9),
        )
    status_refresh(employees=[anna, bas, cem])
    return {"team": team, "anna": anna, "bas": bas, "cem": cem, "competence": competence}


def test_a_past_month_is_replayed_from_the_evidence_as_of_its_last_day(history):
    competence, team = history["competence"], history["team"]
    three, two, one = (add_months(current_month(), -n) for n in (3, 2, 1))

    figure = {}
    for month in (three, two, one):
        snapshot = coverage_snapshot_take(month=month)
        assert snapshot.replayed
        figure[month] = CoverageSnapshotFigure.objects.get(
            snapshot=snapshot, org_unit=team, role=None, competence=competence
        )

    # Three months ago: Anna and Cem (not yet left), neither at target.
    assert (figure[three].with_target, figure[three].meeting) == (2, 0)
    # Two months ago: Cem left early in the month; Anna's evidence arrived later in it.
    assert (figure[two].with_target, figure[two].meeting) == (1, 1)
    # Last month: Bas joined, without evidence.
    assert (figure[one].with_target, figure[one].meeting) == (2, 1)


def test_a_replayed_month_without_changes_since_equals_todays_figures(frameworks):
    long_ago = timezone.localdate() - datetime.timedelta(days=400)
    random_organisation_create(name="Gemeente Stil", employees=60, today=long_ago)
    # Every record lies more than a year back; nothing expires between last month and today
    # when validity and reviews are far enough away.
    Evidence.objects.update(expires_on=None, review_on=None)
    status_refresh(employees=Employee.objects.all())

    replayed = coverage_snapshot_take(month=add_months(current_month(), -1))
    live = coverage_snapshot_take()

    assert stored(replayed) == stored(live)


def test_the_trend_rolls_snapshots_up_and_ends_with_todays_figure(history):
    organisation = OrgUnit.objects.get(pk=history["team"].get_parent().pk)
    for back in (3, 2, 1):
        coverage_snapshot_take(month=add_months(current_month(), -back))

    points = coverage_trend(unit=organisation, threshold=1)

    assert len(points) == 12 and points[-1].live and points[-1].month == current_month()
    assert all(p.missing for p in points[:-4])
    assert [(p.with_essential, p.meeting_all) for p in points[-4:-1]] == [(2, 0), (1, 1), (2, 1)]
    assert (points[-1].with_essential, points[-1].meeting_all) == headline_now(unit=organisation)
    assert headline_now(unit=organisation) == (2, 1)
    assert points[-2].share == 50
    assert coverage_trend(unit=organisation, threshold=5)[-2].too_few


def test_the_task_and_the_command_take_the_snapshot(history):
    last_month = add_months(current_month(), -1)

    coverage_snapshot_task.enqueue(f"{last_month:%Y-%m}")
    output = io.StringIO()
    call_command("take_coverage_snapshot", stdout=output)

    assert set(CoverageSnapshot.objects.values_list("month", "replayed")) == {
        (last_month, True),
        (current_month(), False),
    }
    assert f"{current_month():%Y-%m}" in output.getvalue()
    assert month_end(datetime.date(2028, 2, 1)) == datetime.date(2028, 2, 29)
