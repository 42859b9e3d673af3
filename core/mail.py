"""E-mail in the recipient's language, for every app: templates as subject/text/HTML trios in
templates/emails/."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation


def absolute_url(name: str, *args) -> str:
    """The public address of a named URL, for links in e-mails."""
    return settings.WAGTAILADMIN_BASE_URL + reverse(name, args=args)


def email_send(*, template: str, context: dict, to: str, language: str) -> None:
    """Send ``emails/<template>_subject.txt`` / ``_body.txt`` / ``_body.html`` in the
    recipient's language."""
    with translation.override(language):
        subject = render_to_string(f"emails/{template}_subject.txt", context)
        text = render_to_string(f"emails/{template}_body.txt", context)
        html = render_to_string(f"emails/{template}_body.html", context)
    message = EmailMultiAlternatives(" ".join(subject.split()), text, to=[to])
    message.attach_alternative(html, "text/html")
    message.send()
