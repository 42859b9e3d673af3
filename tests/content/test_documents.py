"""Lesson documents need the same sign-in as the lessons, and are always served by Wagtail's
document view, never by a redirect to a public address of the file."""

from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail.documents.models import Document


def document_create() -> Document:
    document = Document(title="Checklist phishing")
    document.file.save("checklist.txt", ContentFile(b"Klik nooit op een onbekende link."))
    return document


def test_an_anonymous_visitor_is_sent_to_the_login_and_back(client, db):
    document = document_create()

    response = client.get(document.url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={document.url}"


def test_a_signed_in_employee_gets_the_document_from_the_view_itself(client, learner):
    document = document_create()
    client.force_login(learner)

    response = client.get(document.url)

    assert document.url.startswith("/documents/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"Klik nooit op een onbekende link."
    assert response["X-Content-Type-Options"] == "nosniff"
