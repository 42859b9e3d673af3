"""The certificate status in Python and in SQL is one rule: for any certificate on any day, the
status filter that selects it is exactly the one the Python form names."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lms.certificates.status import CertificateStatus, certificate_status
from lms.models import Certificate, Enrolment
from tests.factories import UserFactory, module_create

MOST_CERTIFICATES = 4

# Days relative to the generated "today": the edges (yesterday, today, tomorrow) often,
# anything within a few years otherwise.
offsets = st.one_of(st.sampled_from([-1, 0, 1]), st.integers(min_value=-1000, max_value=1000))
certificates = st.lists(
    st.fixed_dictionaries(
        {"revoked_offset": st.none() | offsets, "valid_until_offset": st.none() | offsets}
    ),
    min_size=1,
    max_size=MOST_CERTIFICATES,
)


@pytest.fixture
def enrolments(catalogue):
    """Room for one certificate each; the certificates themselves are made per example."""
    module = module_create(catalogue, lessons=0)
    return [
        Enrolment.objects.create(learner=UserFactory(), module=module)
        for _n in range(MOST_CERTIFICATES)
    ]


def _day(today, offset):
    return None if offset is None else today + datetime.timedelta(days=offset)


@settings(
    max_examples=60,
    deadline=None,
    # The enrolments fixture is made once for all examples on purpose; each example makes
    # its certificates in a savepoint and rolls it back, so no example sees another's rows.
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    today=st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2090, 12, 31)),
    facts=certificates,
)
def test_each_certificate_is_selected_by_exactly_the_status_python_gives_it(
    enrolments, today, facts
):
    with transaction.atomic():
        created = []
        for number, (enrolment, fact) in enumerate(zip(enrolments, facts, strict=False)):
            revoked_on = _day(today, fact["revoked_offset"])
            created.append(
                Certificate.objects.create(
                    enrolment=enrolment,
                    scope="test",
                    number=f"T-{number}",
                    public_id=f"public-{number}",
                    holder_name="Holder",
                    module_title="Module",
                    completed_on=today,
                    valid_until=_day(today, fact["valid_until_offset"]),
                    revoked_at=(
                        timezone.make_aware(datetime.datetime.combine(revoked_on, datetime.time()))
                        if revoked_on
                        else None
                    ),
                )
            )
        selected_by = {
            status: set(Certificate.objects.status_is(status, today).values_list("pk", flat=True))
            for status in CertificateStatus
        }

        # Read back, so that the Python form judges what the database holds.
        for certificate in Certificate.objects.filter(pk__in=[c.pk for c in created]):
            statuses = {status for status, pks in selected_by.items() if certificate.pk in pks}
            assert statuses == {certificate_status(certificate, today)}, (
                certificate.revoked_at,
                certificate.valid_until,
                today,
            )
        transaction.set_rollback(True)


def test_the_property_speaks_of_today(enrolments):
    today = timezone.localdate()
    certificate = Certificate(
        enrolment=enrolments[0], completed_on=today, valid_until=today, revoked_at=None
    )
    assert certificate.status == CertificateStatus.VALID
    certificate.valid_until = today - datetime.timedelta(days=1)
    assert certificate.status == CertificateStatus.EXPIRED
    certificate.revoked_at = timezone.now()
    assert certificate.status == CertificateStatus.REVOKED == "revoked"
