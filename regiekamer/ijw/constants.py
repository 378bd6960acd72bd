"""Codes of the iJw and iWmo 3.2 standards used by the codec (source: iStandaarden codelijsten, release 3.2)."""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass


class Standard(enum.StrEnum):
    IJW = "ijw"
    IWMO = "iwmo"


@dataclass(frozen=True)
class MessageKind:
    """One message type of a standard: its name (e.g. JW323), BerichtCode (COD002) and namespace."""

    standard: Standard
    number: int  # 301, 305, ...
    code: str  # BerichtCode, e.g. "490"

    @property
    def name(self) -> str:
        prefix = "JW" if self.standard is Standard.IJW else "WMO"
        return f"{prefix}{self.number}"

    @property
    def namespace(self) -> str:
        short = "jw" if self.standard is Standard.IJW else "wmo"
        return f"http://www.istandaarden.nl/{self.standard.value}/3_2/{short}{self.number}/schema"

    @property
    def base_namespace(self) -> str:
        """Namespace of the shared types; children of CDT_* typed elements live here."""
        return f"http://www.istandaarden.nl/{self.standard.value}/3_2/basisschema/schema"

    @property
    def schema_file(self) -> str:
        return f"{self.standard.value}-3.2/{self.name}.xsd"


_IJW_CODES = {301: "436", 302: "437", 305: "438", 306: "439", 307: "440", 308: "441", 315: "446",
              316: "447", 317: "486", 318: "487", 319: "488", 320: "489", 323: "490", 325: "491"}
_IWMO_CODES = {301: "414", 302: "415", 305: "418", 306: "419", 307: "420", 308: "421", 315: "444",
               316: "445", 317: "480", 318: "481", 319: "482", 320: "483", 323: "484", 325: "485"}

MESSAGE_KINDS: dict[str, MessageKind] = {}
for _standard, _codes in ((Standard.IJW, _IJW_CODES), (Standard.IWMO, _IWMO_CODES)):
    for _number, _code in _codes.items():
        _kind = MessageKind(_standard, _number, _code)
        MESSAGE_KINDS[_kind.name] = _kind

KIND_BY_NAMESPACE = {kind.namespace: kind for kind in MESSAGE_KINDS.values()}

JW301 = MESSAGE_KINDS["JW301"]
JW305 = MESSAGE_KINDS["JW305"]
JW307 = MESSAGE_KINDS["JW307"]
JW315 = MESSAGE_KINDS["JW315"]
JW317 = MESSAGE_KINDS["JW317"]
JW323 = MESSAGE_KINDS["JW323"]
JW325 = MESSAGE_KINDS["JW325"]

# Elements whose type is a composite data type (CDT_*) of the base schema: their children are
# qualified with the base schema's namespace, not the message's (elementFormDefault="qualified").
CDT_ELEMENTS = frozenset({
    "Adres", "BerichtIdentificatie", "Communicatie", "DeclaratieIdentificatie", "DeclaratiePeriode",
    "Geboortedatum", "Geslachtsnaam", "Huis", "IngediendBedrag", "Naam", "Omvang", "Partnernaam", "Periode",
    "Product", "ProductPeriode", "ProductReferentie", "Telefoon", "Telefoon01", "Telefoon02",
    "TotaalIngediendBedrag", "TotaalToegekendBedrag", "Verwijzer", "XsdVersie", "XsdVersieDeclaratie",
    "XsdVersieRetour",
})

XSD_VERSION = {Standard.IJW: "0.1.0", Standard.IWMO: "1.0.0"}


class Unit(enum.StrEnum):
    """WJ756 Eenheid."""

    MINUUT = "01"
    UUR = "04"
    ETMAAL = "14"
    DAGDEEL = "16"
    STUKS_OUTPUT = "82"
    EUROS = "83"
    STUKS_INSPANNING = "84"

    @property
    def label(self) -> str:
        return UNIT_LABELS[self]


UNIT_LABELS = {
    Unit.MINUUT: "minuut", Unit.UUR: "uur", Unit.ETMAAL: "etmaal", Unit.DAGDEEL: "dagdeel",
    Unit.STUKS_OUTPUT: "stuks (output)", Unit.EUROS: "euro's", Unit.STUKS_INSPANNING: "stuks (inspanning)",
}


class Frequency(enum.StrEnum):
    """WMO757 Frequentie."""

    PER_DAG = "1"
    PER_WEEK = "2"
    PER_MAAND = "4"
    TOTAAL = "6"


class ReferrerType(enum.StrEnum):
    """COD327 Code verwijzer."""

    GEMEENTE = "01"
    HUISARTS = "02"
    JEUGDARTS = "03"
    GECERTIFICEERDE_INSTELLING = "04"
    MEDISCH_SPECIALIST = "05"
    GEEN_VERWIJZER = "06"
    RECHTER = "08"


REFERRER_LABELS = {
    ReferrerType.GEMEENTE: "Gemeentelijke toegang",
    ReferrerType.HUISARTS: "Huisarts",
    ReferrerType.JEUGDARTS: "Jeugdarts",
    ReferrerType.GECERTIFICEERDE_INSTELLING: "Gecertificeerde instelling",
    ReferrerType.MEDISCH_SPECIALIST: "Medisch specialist",
    ReferrerType.GEEN_VERWIJZER: "Zelfverwijzer/geen verwijzer",
    ReferrerType.RECHTER: "Rechter, Officier van Justitie, JJI",
}


FREQUENCY_LABELS = {
    Frequency.PER_DAG: "per dag", Frequency.PER_WEEK: "per week", Frequency.PER_MAAND: "per maand",
    Frequency.TOTAAL: "totaal binnen geldigheidsduur",
}


class StopReason(enum.StrEnum):
    """JZ588 Reden beeindiging (iJw)."""

    OVERLIJDEN = "02"
    TIJDELIJK = "20"
    VOLGENS_PLAN = "31"
    VOORTIJDIG_CLIENT = "32"
    VOORTIJDIG_AANBIEDER = "33"
    VOORTIJDIG_OVEREENSTEMMING = "34"
    VOORTIJDIG_EXTERN = "35"
    GEMEENTE = "36"
    WIJZIGINGSVERZOEK = "37"
    ANDERE_AANBIEDER = "38"
    ANDER_DOMEIN = "39"


STOP_REASON_LABELS = {
    StopReason.OVERLIJDEN: "Overlijden",
    StopReason.TIJDELIJK: "Levering tijdelijk beëindigd",
    StopReason.VOLGENS_PLAN: "Volgens plan beëindigd",
    StopReason.VOORTIJDIG_CLIENT: "Voortijdig: eenzijdig door cliënt",
    StopReason.VOORTIJDIG_AANBIEDER: "Voortijdig: eenzijdig door aanbieder",
    StopReason.VOORTIJDIG_OVEREENSTEMMING: "Voortijdig: in overeenstemming",
    StopReason.VOORTIJDIG_EXTERN: "Voortijdig: externe omstandigheden",
    StopReason.GEMEENTE: "Geïnitieerd door de gemeente",
    StopReason.WIJZIGINGSVERZOEK: "In verband met wijzigingsverzoek",
    StopReason.ANDERE_AANBIEDER: "Overstap naar andere aanbieder",
    StopReason.ANDER_DOMEIN: "Uitstroom naar ander domein",
}


class DebitCredit(enum.StrEnum):
    DEBET = "D"
    CREDIT = "C"


DEBIT_CREDIT_LABELS = {DebitCredit.DEBET: "Debet", DebitCredit.CREDIT: "Credit"}


# General retourcodes of the answers (COD954 in the standard).
RETOUR_TECHNICAL_ERROR = "0001"  # technical rejection
RETOUR_NO_REMARKS = "0200"  # no remarks on this class
RETOUR_NOT_ASSESSED = "0233"  # not assessed
RETOUR_FULLY_GRANTED = "8001"  # declaration granted in full


def answer_identification(prefix: str, sender: str, digest: str) -> str:
    """BerichtIdentificatie of an answer, derived from the original's sender and bytes: one per message."""
    return (prefix + hashlib.sha256(f"{sender}:{digest}".encode()).hexdigest()[:11]).upper()


class SubmissionStatus(enum.StrEnum):
    """StatusAanlevering: 1 new, 3 delete (2 is not allowed in iJw 3.x)."""

    NIEUW = "1"
    VERWIJDEREN = "3"


CHANGE_INITIATED_BY_PROVIDER = "12"  # JZ002 reden wijziging toewijzing: geinitieerd door de aanbieder
