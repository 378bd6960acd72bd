from django.db import models


class Variant(models.TextChoices):
    """Uitvoeringsvariant of a product in the iJw/iWmo standards."""

    INSPANNING = "inspanning", "Inspanningsgericht"
    OUTPUT = "output", "Outputgericht"
    TAAK = "taak", "Taakgericht"


class Unit(models.TextChoices):
    """WJ756 Eenheid."""

    MINUUT = "01", "minuut"
    UUR = "04", "uur"
    ETMAAL = "14", "etmaal"
    DAGDEEL = "16", "dagdeel"
    STUKS_OUTPUT = "82", "stuks (output)"
    EUROS = "83", "euro's"
    STUKS_INSPANNING = "84", "stuks (inspanning)"
