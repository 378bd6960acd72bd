from django.db import models

from regiekamer.core.choices import text_choices
from regiekamer.ijw import constants as ijw


class Variant(models.TextChoices):
    """Uitvoeringsvariant of a product in the iJw/iWmo standards."""

    INSPANNING = "inspanning", "Inspanningsgericht"
    OUTPUT = "output", "Outputgericht"
    TAAK = "taak", "Taakgericht"


Unit = text_choices("Unit", ijw.Unit, ijw.UNIT_LABELS)
