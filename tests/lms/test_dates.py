"""Dates read as each language writes them: "24 oktober 2026", "24. Oktober 2026",
"Oct. 24, 2026" (Django's formats per language, never one pattern for all)."""

import datetime

import pytest
from django.urls import reverse

from lms.models import Assignment
from tests.factories import module_create

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "language, written",
    [("nl", "24 oktober 2026"), ("de", "24. Oktober 2026"), ("en", "Oct. 24, 2026")],
)
def test_a_due_date_is_written_in_the_readers_language(client, cast, catalogue, language, written):
    module = module_create(catalogue, title="Veilig e-mailen", lessons=1)
    Assignment.objects.create(
        employee=cast.learner,
        module=module,
        assigned_on=datetime.date(2026, 9, 1),
        due_on=datetime.date(2026, 10, 24),
    )
    cast.learner.user.preferred_language = language
    cast.learner.user.save()
    client.force_login(cast.learner.user)

    page = client.get(reverse("lms:my_learning")).content.decode()

    assert written in page
