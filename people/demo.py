"""The demo cast: one person for each kind of user of Vaardig."""

from dataclasses import dataclass

from django.contrib.auth.models import Group

from people.models import User

DEMO_PASSWORD = "Vaardig-demo-2026"
DEMO_DOMAIN = "voorbeeldstad.example"


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
    DemoPerson("cdo", "Pieter", "de Groot", "CDO / management"),
]


def demo_people_load() -> list[tuple[DemoPerson, User]]:
    """Create the demo accounts that do not exist yet; existing ones are left untouched."""
    people = []
    for person in DEMO_PEOPLE:
        user = User.objects.filter(email=person.email).first()
        if user is None:
            user = User.objects.create_user(
                email=person.email,
                password=DEMO_PASSWORD,
                first_name=person.first_name,
                last_name=person.last_name,
            )
            user.groups.set(Group.objects.filter(name__in=person.groups))
        people.append((person, user))
    return people
