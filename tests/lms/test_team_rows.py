"""The team matrix's rows, written in Python (lms/templatetags/team.py): expired training,
and the words of each cell in the reader's language, however often a cell was made before."""

import datetime
import re

from django.urls import reverse
from django.utils import timezone

from competencies.models import Competence
from competencies.services import evidence_record
from lms.models import Assignment
from tests.factories import module_create

TODAY = timezone.localdate()


def _text(html: str) -> str:
    html = html[html.index("<main") : html.index("</main>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_expired_training_shows_when_it_expired(client, cast, catalogue):
    module = module_create(catalogue, title="Informatiebeveiliging", lessons=1)
    Assignment.objects.create(
        employee=cast.colleague,
        module=module,
        assigned_on=TODAY - datetime.timedelta(days=400),
        due_on=TODAY - datetime.timedelta(days=380),
        completed_on=TODAY - datetime.timedelta(days=390),
        expires_on=datetime.date(2026, 1, 5),
    )
    client.force_login(cast.manager.user)

    text = _text(client.get(reverse("lms:team")).content.decode())

    assert "Informatiebeveiliging (verlopen 5-1-2026)" in text


def test_the_cells_speak_the_readers_language(client, cast):
    evidence_record(
        employee=cast.learner,
        competence=Competence.objects.get(code="4.1"),
        rank=4,
        source="module",
        acting_user=None,
    )
    client.force_login(cast.manager.user)
    dutch = client.get(reverse("lms:team")).content.decode()
    cast.manager.user.preferred_language = "de"
    cast.manager.user.save(update_fields=["preferred_language"])
    client.force_login(cast.manager.user)

    german = client.get(reverse("lms:team"), HTTP_ACCEPT_LANGUAGE="de").content.decode()

    assert "4/4 haalt het doel" in _text(dutch) and "–/4 onder het doel" in _text(dutch)
    assert "4/4 erreicht das Ziel" in _text(german) and "–/4 unter dem Ziel" in _text(german)
    assert "onder het doel" not in german
