from django.db import models
from django.utils.translation import gettext_lazy as _


class LevelBand(models.TextChoices):
    """The four bands of DigComp proficiency that a module is written for."""

    FOUNDATION = "foundation", _("Foundation")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")
    HIGHLY_SPECIALISED = "highly_specialised", _("Highly specialised")


class Duration(models.TextChoices):
    """Duration filters of the catalogue, with the minutes each one covers."""

    SHORT = "short", _("Up to 15 minutes")
    MEDIUM = "medium", _("16 to 30 minutes")
    LONG = "long", _("More than 30 minutes")

    @property
    def minute_range(self) -> tuple[int, int | None]:
        return {"short": (1, 15), "medium": (16, 30), "long": (31, None)}[self.value]
