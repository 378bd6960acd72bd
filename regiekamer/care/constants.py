from django.db import models


class ReferrerType(models.TextChoices):
    """COD327 Code verwijzer."""

    GEMEENTE = "01", "Gemeentelijke toegang"
    HUISARTS = "02", "Huisarts"
    JEUGDARTS = "03", "Jeugdarts"
    GECERTIFICEERDE_INSTELLING = "04", "Gecertificeerde instelling"
    MEDISCH_SPECIALIST = "05", "Medisch specialist"
    GEEN_VERWIJZER = "06", "Zelfverwijzer/geen verwijzer"
    RECHTER = "08", "Rechter, Officier van Justitie, JJI"


class Frequency(models.TextChoices):
    """WMO757 Frequentie."""

    PER_DAG = "1", "per dag"
    PER_WEEK = "2", "per week"
    PER_MAAND = "4", "per maand"
    TOTAAL = "6", "totaal binnen geldigheidsduur"


class StopReason(models.TextChoices):
    """JZ588 Reden beeindiging (iJw)."""

    OVERLIJDEN = "02", "Overlijden"
    TIJDELIJK = "20", "Levering tijdelijk beëindigd"
    VOLGENS_PLAN = "31", "Volgens plan beëindigd"
    VOORTIJDIG_CLIENT = "32", "Voortijdig: eenzijdig door cliënt"
    VOORTIJDIG_AANBIEDER = "33", "Voortijdig: eenzijdig door aanbieder"
    VOORTIJDIG_OVEREENSTEMMING = "34", "Voortijdig: in overeenstemming"
    VOORTIJDIG_EXTERN = "35", "Voortijdig: externe omstandigheden"
    GEMEENTE = "36", "Geïnitieerd door de gemeente"
    WIJZIGINGSVERZOEK = "37", "In verband met wijzigingsverzoek"
    ANDERE_AANBIEDER = "38", "Overstap naar andere aanbieder"
    ANDER_DOMEIN = "39", "Uitstroom naar ander domein"
