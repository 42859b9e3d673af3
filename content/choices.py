from django.db import models
from django.utils.translation import gettext_lazy as _


class Duration(models.TextChoices):
    """Duration filters of the catalogue, with the minutes each one covers."""

    SHORT = "short", _("Up to 15 minutes")
    MEDIUM = "medium", _("16 to 30 minutes")
    LONG = "long", _("More than 30 minutes")

    @property
    def minute_range(self) -> tuple[int, int | None]:
        return {"short": (1, 15), "medium": (16, 30), "long": (31, None)}[self.value]
