"""What a synthetic region is made of: municipalities, segments, lots and the products bought per lot."""

from __future__ import annotations

from dataclasses import dataclass, field

from regiekamer.generator.calibration import REFERRER_MIX_GI
from regiekamer.ijw.constants import Frequency, ReferrerType, Unit


@dataclass(frozen=True)
class MunicipalityDef:
    cbs_code: str
    name: str
    age_0_17: int  # residents 0-17 on 1 January of the first year
    postcode_prefix: str  # first three digits of its PC4 area, used for synthetic addresses
    subregion: str = ""


@dataclass(frozen=True)
class ProductDef:
    code: str  # national product code (JZ21)
    category: str
    description: str
    unit: Unit
    frequency: Frequency
    volume: tuple[int, int]  # assigned volume per frequency period (min, max)
    tariff_euros: tuple[int, int]  # tariff range per unit in the first year
    weight: float  # share of the lot's trajectories
    variant: str = "inspanning"


@dataclass(frozen=True)
class LotDef:
    code: str
    name: str
    funding_model: str
    products: tuple[ProductDef, ...] = ()
    declared: bool = True  # False for task-based lots: no assignments or declarations per client


@dataclass(frozen=True)
class SegmentDef:
    code: str
    name: str
    funding_model: str
    weight: float  # share of trajectories
    providers: int  # number of contracted providers
    lots: tuple[LotDef, ...]
    duration_days: tuple[int, int] | None = None  # override of the CBS duration distribution
    referrers: dict[ReferrerType, int] | None = None  # override of the referrer mix
    in_client_flow: bool = True


@dataclass(frozen=True)
class RegionDef:
    code: str
    name: str
    cbs_code: str
    municipalities: tuple[MunicipalityDef, ...]
    segments: tuple[SegmentDef, ...]
    subregions: tuple[str, ...] = field(default=())


def _p(code: str, category: str, description: str, unit: Unit, frequency: Frequency, volume: tuple[int, int],
       tariff: tuple[int, int], weight: float, variant: str = "inspanning") -> ProductDef:
    return ProductDef(code, category, description, unit, frequency, volume, tariff, weight, variant)


# Zuid-Holland Zuid (JZ31): the ten municipalities of seed 001 and its seven segments.
# CBS gemeentecodes are the official codes. Residents 0-17 are rounded approximations of CBS StatLine
# (Bevolking; leeftijd, regio) for 1 January 2023: synthetic-data inputs, not reference figures.
ZUID_HOLLAND_ZUID = RegionDef(
    code="zuid-holland-zuid",
    name="Zuid-Holland Zuid",
    cbs_code="JZ31",
    subregions=("Drechtsteden", "Alblasserwaard-Vijfheerenlanden", "Hoeksche Waard"),
    municipalities=(
        MunicipalityDef("0482", "Alblasserdam", 4_300, "295", "Drechtsteden"),
        MunicipalityDef("0505", "Dordrecht", 24_000, "331", "Drechtsteden"),
        MunicipalityDef("0512", "Gorinchem", 8_000, "420", "Alblasserwaard-Vijfheerenlanden"),
        MunicipalityDef("0523", "Hardinxveld-Giessendam", 4_300, "337", "Drechtsteden"),
        MunicipalityDef("0531", "Hendrik-Ido-Ambacht", 7_200, "334", "Drechtsteden"),
        MunicipalityDef("1963", "Hoeksche Waard", 17_500, "326", "Hoeksche Waard"),
        MunicipalityDef("1978", "Molenlanden", 10_000, "296", "Alblasserwaard-Vijfheerenlanden"),
        MunicipalityDef("0590", "Papendrecht", 6_500, "335", "Drechtsteden"),
        MunicipalityDef("0610", "Sliedrecht", 5_500, "336", "Drechtsteden"),
        MunicipalityDef("0642", "Zwijndrecht", 9_000, "333", "Drechtsteden"),
    ),
    segments=(
        SegmentDef("1", "Hoog specialistisch", "inspanning", 0.04, 4, (
            LotDef("1", "Hoog specialistisch (samenwerkingsverband)", "inspanning", (
                _p("43A07", "43", "Jeugdhulp verblijf: inspanningsgericht", Unit.ETMAAL, Frequency.PER_WEEK,
                   (7, 7), (245, 330), 0.45),
                _p("45A53", "45", "Jeugdhulp ambulant specialistisch: inspanningsgericht (individueel)", Unit.UUR,
                   Frequency.PER_MAAND, (6, 16), (98, 118), 0.55),
            )),
        )),
        SegmentDef("2", "Wonen", "inspanning", 0.06, 10, (
            LotDef("2", "Wonen", "inspanning", (
                _p("44A27", "44", "Jeugdhulp verblijf: inspanningsgericht (licht)", Unit.ETMAAL, Frequency.PER_WEEK,
                   (7, 7), (84, 98), 0.35),
                _p("44A08", "44", "Gezinshuis: inspanningsgericht", Unit.ETMAAL, Frequency.PER_WEEK,
                   (7, 7), (145, 165), 0.25),
                _p("44A07", "44", "Pleegzorg: inspanningsgericht", Unit.ETMAAL, Frequency.PER_WEEK,
                   (7, 7), (38, 52), 0.40),
            )),
        )),
        SegmentDef("3", "Dagbesteding en dagbehandeling", "inspanning", 0.08, 8, (
            LotDef("3a", "Kinderen met (ernstige meervoudige) beperkingen (MKD en KDC)", "inspanning", (
                _p("41A03", "41", "Dagbehandeling regulier: inspanningsgericht", Unit.DAGDEEL, Frequency.PER_WEEK,
                   (2, 8), (61, 75), 0.6),
            )),
            LotDef("3b", "BSO+", "inspanning", (
                _p("41A18", "41", "Dagbesteding: inspanningsgericht", Unit.DAGDEEL, Frequency.PER_WEEK,
                   (2, 6), (42, 55), 0.4),
            )),
        )),
        SegmentDef("4", "Specialistisch / veel voorkomend", "inspanning", 0.62, 40, (
            LotDef("4a", "Jeugdhulp lokaal (algemene voorziening)", "taak", declared=False),
            LotDef("4b", "Jeugdhulp regionaal", "inspanning", (
                _p("45A48", "45", "Jeugdhulp ambulant regulier: inspanningsgericht (individueel)", Unit.UUR,
                   Frequency.PER_MAAND, (4, 12), (69, 78), 0.55),
                _p("45A05", "45", "Jeugdhulp ambulant specialistisch: inspanningsgericht", Unit.UUR,
                   Frequency.PER_MAAND, (3, 10), (96, 112), 0.30),
                _p("45A49", "45", "Jeugdhulp ambulant regulier: inspanningsgericht (groep)", Unit.UUR,
                   Frequency.PER_MAAND, (4, 10), (45, 52), 0.15),
            )),
        )),
        SegmentDef("5", "Crisis", "hybride", 0.03, 2, (
            LotDef("5", "Crisisinterventies", "hybride", (
                _p("46A01", "46", "Jeugdhulp crisis ambulant: inspanningsgericht", Unit.UUR, Frequency.PER_WEEK,
                   (3, 8), (105, 125), 0.7),
                _p("46A03", "46", "Jeugdhulp crisis verblijf: inspanningsgericht", Unit.ETMAAL, Frequency.PER_WEEK,
                   (7, 7), (320, 420), 0.3),
            )),
        ), duration_days=(2, 42)),
        SegmentDef("6", "Gecertificeerde instellingen", "inspanning", 0.10, 3, (
            LotDef("6", "Jeugdbescherming en jeugdreclassering", "inspanning", (
                _p("48A01", "48", "Ondertoezichtstelling jaar 1: outputgericht", Unit.STUKS_OUTPUT,
                   Frequency.PER_MAAND, (1, 1), (1_150, 1_300), 0.75, variant="output"),
                _p("47A01", "47", "Jeugdreclassering: outputgericht", Unit.STUKS_OUTPUT, Frequency.PER_MAAND,
                   (1, 1), (620, 760), 0.25, variant="output"),
            )),
        ), duration_days=(180, 730), referrers=REFERRER_MIX_GI),
        SegmentDef("7", "Onderwijs jeugdhulp", "taak", 0.07, 5, (
            LotDef("7", "Jeugdhulp in en om de school", "taak", (
                _p("45A52", "45", "Jeugdhulp ambulant regulier: inspanningsgericht (op locatie)", Unit.UUR,
                   Frequency.PER_WEEK, (2, 6), (64, 72), 1.0, variant="taak"),
            ), declared=False),
        )),
    ),
)

REGIONS = {ZUID_HOLLAND_ZUID.code: ZUID_HOLLAND_ZUID}
