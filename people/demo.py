"""The demo cast: one person for each kind of user of Vaardig."""

import time
from dataclasses import dataclass

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import encrypt
from django.contrib.auth.models import Group

from people.models import OrgUnit, User
from people.security import has_two_factor, two_factor_required
from people.services import organisation_administrator_appoint

DEMO_PASSWORD = "Vaardig-demo-2026"
DEMO_DOMAIN = "voorbeeldstad.example"
# Demo staff with admin rights must sign in with two factors, like real staff. Their
# authenticator app is set up with this published secret (README): add it to any app by hand,
# or print the current code with `manage.py demo_code`. Never anything but demo data.
DEMO_TOTP_SECRET = "VAARDIGDEMOSECRETVAARDIGDEMO2345"


@dataclass(frozen=True)
class DemoPerson:
    local_part: str
    first_name: str
    last_name: str
    role: str
    groups: tuple[str, ...] = ()

    @property
    def email(self) -> str:
        return f"{self.local_part}@{DEMO_DOMAIN}"


DEMO_PEOPLE = [
    DemoPerson("medewerker", "Anouk", "van der Berg", "Employee (learner)"),
    DemoPerson("leidinggevende", "Mehmet", "Yılmaz", "Manager"),
    DemoPerson("hr", "Ingrid", "Bakker", "HR / L&D adviser", groups=("HR",)),
    DemoPerson("trainer", "Thomas", "'t Hart", "Trainer", groups=("Trainers",)),
    DemoPerson("contentlead", "Fleur", "Jansen", "Content lead (publishes)", ("Content leads",)),
    DemoPerson("cdo", "Pieter", "de Groot", "CDO / management", groups=("CDO",)),
]


# The demo is a small shared service: two neighbouring municipalities with an HR adviser
# each, and one HR adviser of the shared service who administers both (demo_shared_service_load
# in competencies/demo.py). (email, first name, last name, role)
DEMO_SHARED_SERVICE_ADVISERS = [
    ("hr@beekdal.example", "Bram", "Beekman", "HR adviser, Gemeente Beekdal"),
    ("hr@heidedorp.example", "Hanneke", "Heijmans", "HR adviser, Gemeente Heidedorp"),
    ("hr@dienstverlening.example", "Sanne", "Smits", "HR adviser of the shared service"),
]


def demo_account(*, email, first_name, last_name, groups=()) -> User:
    """A demo account with the demo password (and the demo two-factor secret where its rights
    ask for one), created once; an existing one is left untouched."""
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email, password=DEMO_PASSWORD, first_name=first_name, last_name=last_name
        )
        user.groups.set(Group.objects.filter(name__in=groups))
    if two_factor_required(user) and not has_two_factor(user):
        Authenticator.objects.create(
            user=user, type=Authenticator.Type.TOTP, data={"secret": encrypt(DEMO_TOTP_SECRET)}
        )
    return user


def demo_people_load() -> list[tuple[DemoPerson, User]]:
    """Create the demo accounts that do not exist yet; existing ones are left untouched."""
    return [
        (
            person,
            demo_account(
                email=person.email,
                first_name=person.first_name,
                last_name=person.last_name,
                groups=person.groups,
            ),
        )
        for person in DEMO_PEOPLE
    ]


# Who of the demo staff administers the demo organisation: everyone with admin rights or
# the CDO's view of the figures. The employee and the manager work in it, they do not
# administer it.
DEMO_ADMINISTRATORS = ("hr", "trainer", "contentlead", "cdo")


def demo_administrators_appoint(*, organisation: OrgUnit, users: dict[str, User]) -> None:
    """Appoint the demo's HR adviser, trainer, content lead and CDO to administer the demo
    organisation (safe to repeat), as a platform administrator would."""
    for local_part in DEMO_ADMINISTRATORS:
        organisation_administrator_appoint(
            user=users[local_part], organisation=organisation, acting_user=None
        )


def demo_totp_code() -> str:
    """The code an authenticator app set up with the demo secret shows now."""
    counter = int(time.time()) // mfa_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(DEMO_TOTP_SECRET, counter))
