"""Factories for the fixed cast and for learning content built the way editors build it."""

import io

import factory
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.signal_handlers import disable_reference_index_auto_update

from content.models import LessonPage, ModulePage
from people.models import User

PASSWORD = "correct-horse-battery"
SITE_NAME = "Gemeente Teststad"  # the site of the tests (the ``catalogue`` fixture)


def frameworks_load() -> None:
    """DigComp 2.2, the own framework and the nine municipal role profiles, as shipped."""
    from competencies.loaders import frameworks_load as load
    from competencies.loaders import roles_load

    load()
    roles_load()


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"person{n}@gemeente.example")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return model_class.objects.create_user(*args, password=PASSWORD, **kwargs)


def question(prompt="Welk signaal wijst op phishing?", kind="single", options=None):
    options = options or [
        {"text": "Haast en dreiging", "correct": True, "feedback": "FEEDBACK-GOED"},
        {"text": "Je eigen naam", "correct": False, "feedback": "FEEDBACK-FOUT"},
    ]
    return {"type": "question", "value": {"kind": kind, "prompt": prompt, "options": options}}


def paragraph(text):
    return {"type": "paragraph", "value": f"<p>{text}</p>"}


def module_create(catalogue, *, title="Veilig e-mailen", lessons=2, publish=True, **fields):
    """A module with ``lessons`` published lessons, each holding a paragraph and a question.

    Without updating Wagtail's reference index (which object uses which, for the admin's
    usage counts): a sixth of the time of creating a module, which the tests do well over a
    thousand times, and no test reads the index for these pages."""
    defaults = {
        "summary": f"Samenvatting van {title}.",
        "objectives": [("objective", "Je herkent een nepbericht.")],
        "estimated_minutes": 20,
        "level_band": "foundation",
    }
    with disable_reference_index_auto_update():
        module = ModulePage(title=title, live=False, **{**defaults, **fields})
        catalogue.add_child(instance=module)
        revision = module.save_revision()
        if publish:
            revision.publish()
        for number in range(1, lessons + 1):
            lesson = LessonPage(
                live=False,
                title=f"{title}: les {number}",
                body=[paragraph(f"Inhoud van les {number} over {title}."), question()],
            )
            module.add_child(instance=lesson)
            if publish:
                lesson.save_revision().publish()
    module.refresh_from_db()
    return module


def image_create(title="Voorbeeld"):
    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 20), "#14497a").save(buffer, format="PNG")
    image = get_image_model()(title=title)
    image.file = ImageFile(buffer, name="voorbeeld.png")
    image.save()
    return image


def document_create(title="Checklist"):
    document = get_document_model()(title=title)
    document.file.save("checklist.txt", ContentFile(b"Controleer de afzender."), save=False)
    document.save()
    return document


def employee_create(*, org_unit, roles=(), manager=None, user=None, number=None, **fields):
    """An employee of ``org_unit`` with the given role profiles (objects or codes)."""
    from people.models import Employee, RoleProfile

    user = user or UserFactory()
    employee = Employee.objects.create(
        user=user,
        org_unit=org_unit,
        number=number or f"E{user.pk:05d}",
        manager=manager,
        **fields,
    )
    role_objects = [r if not isinstance(r, str) else RoleProfile.objects.get(code=r) for r in roles]
    employee.roles.set(role_objects)
    return employee


# A fixed authenticator-app secret for the cast (base32, as apps take it).
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def two_factor_enable(user, secret=TOTP_SECRET):
    """Give an account an authenticator app, as allauth stores one once it is set up (an
    account has one at most: the cast's staff have theirs already)."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import encrypt

    # Once per account, as allauth allows: fixtures that share an account may both ask.
    Authenticator.objects.get_or_create(
        user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": encrypt(secret)}}
    )
    return user


def totp_window_fresh(margin: float = 3.0) -> None:
    """Wait, once, until the 30-second period has at least ``margin`` seconds left: a code
    read in its last moment may turn over before it is posted (a code counts in its own
    period only), and the test would fail for the clock's sake."""
    import time

    from allauth.mfa import app_settings

    left = app_settings.TOTP_PERIOD - time.time() % app_settings.TOTP_PERIOD
    if left < margin:
        time.sleep(left + 0.05)


def totp_code(secret=TOTP_SECRET, steps_back=0) -> str:
    """The code the authenticator app shows now, or ``steps_back`` periods of 30 s ago."""
    import time

    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    totp_window_fresh()
    counter = int(time.time()) // app_settings.TOTP_PERIOD - steps_back
    return format_hotp_value(hotp_value(secret, counter))


def administer(user, *organisations):
    """Let ``user`` administer these organisations (root units), as a platform administrator
    appoints them."""
    from people.services import organisation_administrator_appoint

    for organisation in organisations:
        organisation_administrator_appoint(user=user, organisation=organisation, acting_user=None)
    return user
