"""The words a strategy file may use, each a closed list with its Dutch label.

Pure Python (no Django): the generator reads strategies too. The Django choices in models.py are built from these.
"""

from __future__ import annotations

import enum

from regiekamer.ijw.constants import Frequency, ReferrerType, Unit

FORMAT = "regiekamer-strategie/1"


class Domain(enum.StrEnum):
    JEUGD = "jeugd"
    WMO = "wmo"


DOMAIN_LABELS = {Domain.JEUGD: "Jeugdwet", Domain.WMO: "Wmo"}


class CaseDirection(enum.StrEnum):
    """Who holds case direction (casusregie) for a client in the segment."""

    TOEGANG = "toegang"  # the municipal access team (CJG, sociaal team, regisseur)
    AANBIEDER = "aanbieder"  # the provider that delivers the care
    SAMENWERKINGSVERBAND = "samenwerkingsverband"  # the partnership of providers (e.g. a crisis team)
    GI = "gecertificeerde-instelling"


CASE_DIRECTION_LABELS = {
    CaseDirection.TOEGANG: "gemeentelijke toegang",
    CaseDirection.AANBIEDER: "aanbieder",
    CaseDirection.SAMENWERKINGSVERBAND: "samenwerkingsverband",
    CaseDirection.GI: "gecertificeerde instelling",
}


class ContractForm(enum.StrEnum):
    """How a segment is contracted: open house, the SAS procedure with its options 1-4, or a subsidy."""

    OPEN_HOUSE = "open-house"
    SAS_1 = "sas-1"
    SAS_2 = "sas-2"
    SAS_3 = "sas-3"
    SAS_4 = "sas-4"
    SUBSIDIETENDER = "subsidietender"
    BEGROTINGSSUBSIDIE = "begrotingssubsidie"


CONTRACT_FORM_LABELS = {
    ContractForm.OPEN_HOUSE: "Open house",
    ContractForm.SAS_1: "SAS optie 1: basisproces",
    ContractForm.SAS_2: "SAS optie 2: beperking aantal aanbieders",
    ContractForm.SAS_3: "SAS optie 3: beperking aantal aanbieders en dialoog",
    ContractForm.SAS_4: "SAS optie 4: gefaseerd contracteren",
    ContractForm.SUBSIDIETENDER: "Subsidietender",
    ContractForm.BEGROTINGSSUBSIDIE: "Begrotingssubsidie",
}


class KpiDirection(enum.StrEnum):
    MAX = "max"  # the figure must stay at or below the norm
    MIN = "min"  # the figure must reach at least the norm


# Referrers (COD327) by the words a strategy uses for them.
REFERRERS: dict[str, ReferrerType] = {
    "gemeente": ReferrerType.GEMEENTE,
    "huisarts": ReferrerType.HUISARTS,
    "jeugdarts": ReferrerType.JEUGDARTS,
    "gecertificeerde-instelling": ReferrerType.GECERTIFICEERDE_INSTELLING,
    "medisch-specialist": ReferrerType.MEDISCH_SPECIALIST,
    "geen-verwijzer": ReferrerType.GEEN_VERWIJZER,
    "rechter": ReferrerType.RECHTER,
}

UNITS: dict[str, Unit] = {
    "minuut": Unit.MINUUT, "uur": Unit.UUR, "etmaal": Unit.ETMAAL, "dagdeel": Unit.DAGDEEL,
    "stuks-output": Unit.STUKS_OUTPUT, "euro": Unit.EUROS, "stuks-inspanning": Unit.STUKS_INSPANNING,
}

FREQUENCIES: dict[str, Frequency] = {
    "per-dag": Frequency.PER_DAG, "per-week": Frequency.PER_WEEK, "per-maand": Frequency.PER_MAAND,
    "totaal": Frequency.TOTAAL,
}

# iWmo WMO020 Productcategorie (iStandaarden codelijst iWmo 3.2). iWmo has no national product code list: a region
# codes its Wmo products itself within these categories.
WMO_CATEGORIES = {
    "01": "Hulp bij het huishouden", "02": "Begeleiding", "03": "Persoonlijke verzorging", "04": "Kortdurend verblijf",
    "05": "Woondiensten", "06": "Overige ondersteuning gericht op het individu of huishouden/gezin",
    "07": "Dagbesteding", "08": "Vervoerdiensten", "09": "Overige groepsgerichte ondersteuning",
    "10": "Overige maatwerk arrangementen", "15": "Beschermd wonen", "16": "Opvang",
}
