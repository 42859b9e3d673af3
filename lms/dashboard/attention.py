"""What needs HR's attention, for the panels of the admin's dashboard: per organisation the
person administers, the headline figure, the overdue training and the certificates to look
at; and the roster imports waiting for them. Each figure is read for all their organisations
at once, so the number of queries does not grow with the organisations or their staff."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Case, CharField, Count, Q, Value, When
from django.db.models.functions import Substr
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from competencies.snapshots import TrendPoint, headlines_now_of
from competencies.suppression import UnitTree, hidden_units
from lms.certificates.status import CertificateStatus, certificate_status_condition
from lms.models import Assignment, Certificate
from lms.training.status import LATE, statuses_q
from people.access import organisations
from people.models import OrgUnit, RosterUpload

COVERAGE_PERMISSION = "competencies.view_coverage"
COMPLIANCE_PERMISSION = "lms.view_assignment"
CERTIFICATE_PERMISSION = "lms.view_certificate"
ROSTER_PERMISSION = "people.import_roster"
# Certificates that expire within this many days, or were revoked within as many, are named.
CERTIFICATE_DAYS = 30


@dataclass
class OrganisationAttention:
    """One organisation's line on HR's dashboard; a figure the person may not see is None."""

    organisation: OrgUnit
    headline: TrendPoint | None = None
    late: int | None = None
    expiring: int | None = None
    revoked: int | None = None

    @property
    def coverage_url(self) -> str:
        return f"{reverse('competencies_coverage')}?{urlencode({'unit': self.organisation.pk})}"

    @property
    def compliance_url(self) -> str:
        return f"{reverse('lms_compliance')}?{urlencode({'unit': self.organisation.pk})}"

    def _register(self, **filters) -> str:
        query = urlencode({"org_unit": self.organisation.pk, **filters})
        return f"{reverse('certificate:index')}?{query}"

    @property
    def expiring_url(self) -> str:
        today = timezone.localdate()
        until = today + datetime.timedelta(days=CERTIFICATE_DAYS)
        return self._register(
            status=CertificateStatus.VALID,
            valid_until_from=today.isoformat(),
            valid_until_to=until.isoformat(),
        )

    @property
    def revoked_url(self) -> str:
        return self._register(status=CertificateStatus.REVOKED)


@dataclass(frozen=True)
class Permissions:
    coverage: bool
    compliance: bool
    certificates: bool
    roster: bool

    @classmethod
    def of(cls, user) -> "Permissions":
        return cls(
            coverage=user.has_perm(COVERAGE_PERMISSION),
            compliance=user.has_perm(COMPLIANCE_PERMISSION),
            certificates=user.has_perm(CERTIFICATE_PERMISSION),
            roster=user.has_perm(ROSTER_PERMISSION),
        )

    @property
    def any_figure(self) -> bool:
        return self.coverage or self.compliance or self.certificates


def _headlines(roots: list[OrgUnit], threshold: int) -> dict[int, TrendPoint]:
    """Today's headline figure of each organisation, hidden where the coverage page hides it
    (competencies/suppression.py, over each organisation's own tree)."""
    month = timezone.localdate().replace(day=1)
    step = OrgUnit.steplen
    figures = headlines_now_of(organisations=[root.path for root in roots])
    points = {}
    for root in roots:
        own = {p: c for p, c in figures.items() if p.startswith(root.path)}
        tree = UnitTree({p: c[0] for p, c in own.items()}, step)
        hidden = hidden_units(tree, threshold=threshold)
        total = sum(c[0] for c in own.values())
        met = sum(c[1] for c in own.values())
        points[root.pk] = TrendPoint(
            month, total, met, threshold, live=True, suppressed=root.path in hidden
        )
    return points


def _late_training(roots: list[OrgUnit], today: datetime.date) -> dict[str, int]:
    """{organisation path: assignments overdue or expired}, counted as the compliance report
    counts them (open assignments of active employees, by where they work)."""
    step = OrgUnit.steplen
    within = Q(pk__in=[])
    for root in roots:
        within |= Q(employee__org_unit__path__startswith=root.path)
    rows = (
        Assignment.objects.filter(withdrawn_on__isnull=True, employee__is_active=True)
        .filter(within, statuses_q(LATE, today))
        .annotate(organisation_path=Substr("employee__org_unit__path", 1, step))
        .values_list("organisation_path")
        .annotate(late=Count("pk"))
        .order_by()
    )
    return dict(rows)


def _certificates(user, today: datetime.date) -> dict[str, tuple[int, int]]:
    """{organisation id as the certificate's scope: (expiring soon, revoked lately)}."""
    soon = today + datetime.timedelta(days=CERTIFICATE_DAYS)
    lately = timezone.now() - datetime.timedelta(days=CERTIFICATE_DAYS)
    expiring = certificate_status_condition(CertificateStatus.VALID, today) & Q(
        valid_until__lte=soon
    )
    rows = (
        Certificate.objects.administered_by(user)
        .values("scope")
        .annotate(
            expiring=Count("pk", filter=expiring),
            revoked=Count("pk", filter=Q(revoked_at__gte=lately)),
        )
        .order_by()
    )
    return {row["scope"]: (row["expiring"], row["revoked"]) for row in rows}


def organisations_attention(
    *, user, today: datetime.date | None = None
) -> list[OrganisationAttention]:
    """Per organisation ``user`` administers, the figures of HR's dashboard that their
    permissions let them see. At most four queries after the organisations themselves."""
    today = today or timezone.localdate()
    allowed = Permissions.of(user)
    if not allowed.any_figure:
        return []
    roots = list(organisations(user))
    if not roots:
        return []
    lines = [OrganisationAttention(organisation=root) for root in roots]
    if allowed.coverage:
        headlines = _headlines(roots, settings.COVERAGE_PRIVACY_THRESHOLD)
        for line in lines:
            line.headline = headlines[line.organisation.pk]
    if allowed.compliance:
        late = _late_training(roots, today)
        for line in lines:
            line.late = late.get(line.organisation.path, 0)
    if allowed.certificates:
        certificates = _certificates(user, today)
        for line in lines:
            line.expiring, line.revoked = certificates.get(str(line.organisation.pk), (0, 0))
    return lines


@dataclass(frozen=True)
class RosterAttention:
    upload: RosterUpload
    state: str  # "waiting", "refused" or "undo"

    @property
    def url(self) -> str:
        return reverse("people_roster_preview", args=[self.upload.pk])


ROSTER_SHOWN = 10


def roster_attention(*, user, now: datetime.datetime | None = None) -> list[RosterAttention]:
    """The roster imports of the person's organisations that wait for them: a file waiting
    for confirmation, one refused for its problems in the last days (while it is fresh), and
    an import whose leavers can still be reinstated. The newest first, in one query."""
    if not user.has_perm(ROSTER_PERMISSION):
        return []
    now = now or timezone.now()
    waiting = Q(applied_at__isnull=True, rejected_at__isnull=True, file_deleted_at__isnull=True)
    refused = Q(
        rejected_at__gte=now - datetime.timedelta(days=RosterUpload.FILE_DAYS),
        preview__has_key="problems",
    )
    # RosterUpload.can_reinstate in SQL: applied within the undo window, not reinstated yet,
    # with leavers to bring back.
    undo = Q(
        applied_at__gt=now - datetime.timedelta(days=RosterUpload.UNDO_DAYS),
        reinstated_at__isnull=True,
        result__has_key="leaver_ids",
    ) & ~Q(result__leaver_ids=[])
    uploads = (
        RosterUpload.objects.administered_by(user)
        .annotate(
            state=Case(
                When(waiting, then=Value("waiting")),
                When(refused, then=Value("refused")),
                When(undo, then=Value("undo")),
                default=None,
                output_field=CharField(),
            )
        )
        .filter(state__isnull=False)
        .defer("content", "preview", "result")
        .order_by("-uploaded_at")[:ROSTER_SHOWN]
    )
    return [RosterAttention(upload=upload, state=upload.state) for upload in uploads]
