from django.db import models


class Domain(models.TextChoices):
    JEUGD = "jeugd", "Jeugdwet"
    WMO = "wmo", "Wmo"


class FundingModel(models.TextChoices):
    INSPANNING = "inspanning", "Inspanningsgericht (P×Q)"
    OUTPUT = "output", "Outputgericht"
    TAAK = "taak", "Taakgericht"
    HYBRIDE = "hybride", "Hybride (beschikbaarheid + gebruik)"
    SUBSIDIE = "subsidie", "Subsidie"
