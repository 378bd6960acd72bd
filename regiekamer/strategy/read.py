"""Read a strategy file (TOML) and check it: every error names the file, the place in it and the rule broken.

    regiekamer/strategy/regions/zuid-holland-zuid.toml: segmenten[3].bekostiging.model: STR-BEKOSTIGING:
    onbekend bekostigingsmodel 'pxq'; kies uit inspanning, output, taak, hybride, subsidie

All errors of a file are collected before it is refused, so one run shows everything to fix. docs/strategy.md
describes the format field by field.
"""

from __future__ import annotations

import difflib
import enum
import re
import tomllib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from regiekamer.funding.calculate import Ceiling, FundingKind, Overspend, Underspend
from regiekamer.funding.shares import CostKey
from regiekamer.strategy import catalogue
from regiekamer.strategy.constants import (
    FORMAT,
    FREQUENCIES,
    REFERRERS,
    UNITS,
    WMO_CATEGORIES,
    CaseDirection,
    ContractForm,
    Domain,
    KpiDirection,
)
from regiekamer.strategy.definition import (
    Access,
    Contract,
    DemoHints,
    Funding,
    Kpi,
    LotEntry,
    MunicipalityEntry,
    ProductEntry,
    SegmentEntry,
    Strategy,
    Suppliers,
)

EXTRA_WORDS = {"duration_class": "duurklasse", "referrer": "verwijzer", "funding": "bekostigingsvorm"}
TERM_PATTERN = re.compile(r"^[0-9]+(\.5)?(\+[0-9]+)*$")


@dataclass(frozen=True)
class StrategyError:
    file: str
    place: str  # e.g. segmenten[3].bekostiging.model
    rule: str  # stable code, e.g. STR-BEKOSTIGING
    message: str  # Dutch

    def __str__(self) -> str:
        return f"{self.file}: {self.place or '(bestand)'}: {self.rule}: {self.message}"


class StrategyInvalid(ValueError):
    """The file is not a usable strategy; `errors` lists every problem found."""

    def __init__(self, errors: list[StrategyError]) -> None:
        super().__init__("\n".join(str(error) for error in errors))
        self.errors = errors


class _Missing:
    pass


MISSING = _Missing()


class Checker:
    """Reads values from the parsed file, recording an error (and returning None) for each one that is wrong."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.errors: list[StrategyError] = []

    def fail(self, place: str, rule: str, message: str) -> None:
        self.errors.append(StrategyError(self.file, place, rule, message))

    def known_keys(self, data: dict, place: str, allowed: set[str]) -> None:
        for key in data:
            if key not in allowed:
                self.fail(_join(place, key), "STR-ONBEKEND-VELD",
                          f"onbekend veld {key!r}; toegestaan: {', '.join(sorted(allowed))}")

    def value(self, data: dict, key: str, place: str, kind: type | tuple[type, ...], label: str,
              required: bool = True, default: Any = None) -> Any:
        where = _join(place, key)
        if key not in data:
            if required:
                self.fail(where, "STR-VELD", "verplicht veld ontbreekt")
            return default
        value = data[key]
        if isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,)):
            self.fail(where, "STR-TYPE", f"moet {label} zijn")
            return default
        if not isinstance(value, kind):
            self.fail(where, "STR-TYPE", f"moet {label} zijn")
            return default
        return value

    def text(self, data: dict, key: str, place: str, required: bool = True) -> str:
        value = self.value(data, key, place, str, "een tekst", required, "")
        if required and isinstance(value, str) and key in data and not value.strip():
            self.fail(_join(place, key), "STR-VELD", "mag niet leeg zijn")
        return value

    def integer(self, data: dict, key: str, place: str, required: bool = True, minimum: int = 0) -> int | None:
        value = self.value(data, key, place, int, "een geheel getal", required)
        if value is not None and value < minimum:
            self.fail(_join(place, key), "STR-BEREIK", f"moet minstens {minimum} zijn")
            return None
        return value

    def number(self, data: dict, key: str, place: str, required: bool = True) -> Decimal | None:
        value = self.value(data, key, place, (int, float, str), "een getal", required)
        if value is None:
            return None
        try:
            return Decimal(str(value))
        except InvalidOperation:
            self.fail(_join(place, key), "STR-TYPE", "moet een getal zijn, bijv. 7 of \"0.03\"")
            return None

    def table(self, data: dict, key: str, place: str, required: bool = True) -> dict | None:
        return self.value(data, key, place, dict, "een tabel", required)

    def tables(self, data: dict, key: str, place: str, required: bool = True) -> list[dict]:
        values = self.value(data, key, place, list, "een lijst van tabellen ([[...]])", required, [])
        result = []
        for index, item in enumerate(values):
            if isinstance(item, dict):
                result.append(item)
            else:
                self.fail(f"{_join(place, key)}[{index}]", "STR-TYPE", "moet een tabel zijn")
        return result

    def texts(self, data: dict, key: str, place: str, required: bool = False) -> tuple[str, ...]:
        values = self.value(data, key, place, list, "een lijst van teksten", required, [])
        if not all(isinstance(item, str) for item in values):
            self.fail(_join(place, key), "STR-TYPE", "moet een lijst van teksten zijn")
            return ()
        return tuple(values)

    def choice(self, data: dict, key: str, place: str, options: type[enum.StrEnum] | dict, rule: str, what: str,
               required: bool = True, default: Any = None) -> Any:
        value = self.value(data, key, place, str, "een tekst", required)
        if value is None:
            return default
        allowed = list(options) if isinstance(options, dict) else [member.value for member in options]
        if value not in allowed:
            self.fail(_join(place, key), rule, f"onbekend{what} {value!r}; kies uit {', '.join(allowed)}")
            return default
        return options[value] if isinstance(options, dict) else options(value)

    def pair(self, data: dict, key: str, place: str, required: bool = True) -> tuple[int, int] | None:
        value = self.value(data, key, place, list, "een paar [minimum, maximum]", required)
        if value is None:
            return None
        if (len(value) != 2 or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)
                or not 0 <= value[0] <= value[1]):
            self.fail(_join(place, key), "STR-BEREIK", "moet [minimum, maximum] zijn: gehele getallen, minimum ≤ maximum")
            return None
        return value[0], value[1]

    def day(self, data: dict, key: str, place: str, required: bool = False) -> date | None:
        value = self.value(data, key, place, date, "een datum (JJJJ-MM-DD, zonder aanhalingstekens)", required)
        return value


def _join(place: str, key: str) -> str:
    return f"{place}.{key}" if place else key


def read_strategy(path: Path) -> Strategy:
    """The strategy in `path`, checked; raises StrategyInvalid with every error found."""
    file = str(path)
    checker = Checker(file)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise StrategyInvalid([StrategyError(file, "", "STR-LEZEN", f"kan het bestand niet lezen: {exc}")]) from None
    except tomllib.TOMLDecodeError as exc:
        raise StrategyInvalid([StrategyError(file, "", "STR-TOML", f"geen geldige TOML: {exc}")]) from None
    strategy = _strategy(checker, data)
    if checker.errors or strategy is None:
        raise StrategyInvalid(checker.errors)
    return strategy


def _strategy(checker: Checker, data: dict) -> Strategy | None:
    checker.known_keys(data, "", {"formaat", "regio", "gemeenten", "segmenten"})
    if data.get("formaat") != FORMAT:
        checker.fail("formaat", "STR-FORMAAT", f"verwacht formaat = {FORMAT!r}")
    region = checker.table(data, "regio", "") or {}
    checker.known_keys(region, "regio", {"code", "naam", "cbs_code", "jaar", "bron", "subregios"})
    code = checker.text(region, "code", "regio")
    if code and not re.fullmatch(r"[a-z0-9-]+", code):
        checker.fail("regio.code", "STR-TYPE", "alleen kleine letters, cijfers en streepjes, bijv. zuid-limburg")
    name = checker.text(region, "naam", "regio")
    cbs_code = checker.text(region, "cbs_code", "regio", required=False)
    if cbs_code and not re.fullmatch(r"JZ[0-9]{2}", cbs_code):
        checker.fail("regio.cbs_code", "STR-TYPE", "een CBS-jeugdregiocode als JZ31")
    year = checker.integer(region, "jaar", "regio", minimum=2015)
    source = checker.text(region, "bron", "regio")
    subregions = checker.texts(region, "subregios", "regio")
    if len(set(subregions)) != len(subregions):
        checker.fail("regio.subregios", "STR-SUBREGIO", "een subregio staat er twee keer in")
    municipalities = _municipalities(checker, data, set(subregions))
    codes = {m.cbs_code for m in municipalities}
    segments = _segments(checker, data, set(subregions), codes)
    if checker.errors:
        return None
    assert year is not None
    return Strategy(checker.file, code, name, cbs_code, year, source, subregions, tuple(municipalities),
                    tuple(segments))


def _municipalities(checker: Checker, data: dict, subregions: set[str]) -> list[MunicipalityEntry]:
    known = catalogue.municipalities()
    result = []
    seen: set[str] = set()
    entries = checker.tables(data, "gemeenten", "")
    if "gemeenten" in data and not entries:
        checker.fail("gemeenten", "STR-VELD", "een regio heeft minstens één gemeente")
    for index, m in enumerate(entries):
        place = f"gemeenten[{index}]"
        checker.known_keys(m, place, {"cbs_code", "naam", "subregio", "inwoners_0_17", "postcodegebied"})
        code = checker.text(m, "cbs_code", place)
        name = checker.text(m, "naam", place)
        if code and code not in known:
            checker.fail(f"{place}.cbs_code", "STR-GEMEENTE",
                         f"{code!r} is geen bekende CBS-gemeentecode (zie regiekamer/strategy/data/gemeenten.csv)")
        elif code and name and known[code] != name:
            checker.fail(f"{place}.naam", "STR-GEMEENTE", f"gemeente {code} heet {known[code]!r}, niet {name!r}")
        if code in seen:
            checker.fail(f"{place}.cbs_code", "STR-GEMEENTE-DUBBEL", f"gemeente {code} staat er twee keer in")
        seen.add(code)
        subregion = checker.text(m, "subregio", place, required=False)
        if subregion and subregion not in subregions:
            checker.fail(f"{place}.subregio", "STR-SUBREGIO", f"subregio {subregion!r} staat niet in regio.subregios")
        residents = checker.integer(m, "inwoners_0_17", place, minimum=1)
        prefix = checker.text(m, "postcodegebied", place)
        if prefix and not re.fullmatch(r"[1-9][0-9]{2}", prefix):
            checker.fail(f"{place}.postcodegebied", "STR-TYPE", "de eerste drie cijfers van een postcode, bijv. \"331\"")
        result.append(MunicipalityEntry(code, name, subregion, residents or 0, prefix))
    return result


SEGMENT_KEYS = {"code", "naam", "domein", "omschrijving", "resultaatgebied", "toegang", "bekostiging", "contract",
                "leveranciers", "percelen", "demo"}


def _segments(checker: Checker, data: dict, subregions: set[str], municipalities: set[str]) -> list[SegmentEntry]:
    result = []
    codes: dict[str, int] = {}
    lot_codes: dict[str, str] = {}
    product_codes: dict[str, str] = {}
    entries = checker.tables(data, "segmenten", "")
    for index, s in enumerate(entries):
        place = f"segmenten[{index}]"
        checker.known_keys(s, place, SEGMENT_KEYS)
        code = checker.text(s, "code", place)
        if code in codes:
            checker.fail(f"{place}.code", "STR-SEGMENT-DUBBEL",
                         f"segmentcode {code!r} is al gebruikt door segmenten[{codes[code]}]")
        codes.setdefault(code, index)
        name = checker.text(s, "naam", place)
        domain = checker.choice(s, "domein", place, Domain, "STR-DOMEIN", " domein", default=Domain.JEUGD)
        access = _access(checker, checker.table(s, "toegang", place) or {}, f"{place}.toegang", domain)
        funding = _funding(checker, checker.table(s, "bekostiging", place) or {}, f"{place}.bekostiging",
                           municipalities)
        contract = _contract(checker, checker.table(s, "contract", place) or {}, f"{place}.contract")
        suppliers = _suppliers(checker, checker.table(s, "leveranciers", place, required=False) or {},
                               f"{place}.leveranciers", f"{code} {name}".strip())
        demo = _demo(checker, checker.table(s, "demo", place) or {}, f"{place}.demo")
        if suppliers.max_providers is not None and demo and demo.providers > suppliers.max_providers:
            checker.fail(f"{place}.demo.aanbieders", "STR-AANBIEDERS",
                         f"de demo contracteert {demo.providers} aanbieders, meer dan leveranciers.max_aanbieders "
                         f"({suppliers.max_providers})")
        lots = []
        for lot_index, lot in enumerate(checker.tables(s, "percelen", place)):
            lot_place = f"{place}.percelen[{lot_index}]"
            entry = _lot(checker, lot, lot_place, funding, domain, subregions, municipalities, product_codes)
            if entry.code in lot_codes:
                checker.fail(f"{lot_place}.code", "STR-PERCEEL-DUBBEL",
                             f"perceelcode {entry.code!r} is al gebruikt in {lot_codes[entry.code]}")
            lot_codes.setdefault(entry.code, lot_place)
            lots.append(entry)
        if "percelen" in s and not lots:
            checker.fail(f"{place}.percelen", "STR-VELD", "een segment heeft minstens één perceel")
        elif lots and not any(lot.products for lot in lots):
            checker.fail(f"{place}.percelen", "STR-PRODUCT", "geef minstens één perceel producten (de zorg die de "
                                                             "toegang in dit segment toewijst)")
        result.append(SegmentEntry(code, name, domain, access, funding, contract, suppliers, tuple(lots),
                                   demo or DemoHints(0, 0), checker.text(s, "resultaatgebied", place, required=False),
                                   checker.text(s, "omschrijving", place, required=False)))
    if "segmenten" in data and not entries:
        checker.fail("segmenten", "STR-VELD", "een strategie heeft minstens één segment")
    _partnerships(checker, result, codes)
    return result


def _partnerships(checker: Checker, segments: list[SegmentEntry], codes: dict[str, int]) -> None:
    by_code = {s.code: s for s in segments}
    for index, segment in enumerate(segments):
        source = segment.suppliers.partnership_of
        if not source:
            continue
        place = f"segmenten[{index}].leveranciers.samenwerkingsverband_uit"
        if source not in by_code or source == segment.code:
            checker.fail(place, "STR-SAMENWERKING", f"segment {source!r} bestaat niet (of is dit segment zelf)")
        elif by_code[source].domain is not segment.domain or by_code[source].suppliers.partnership_of:
            checker.fail(place, "STR-SAMENWERKING",
                         f"segment {source!r} hoort bij een ander domein of vormt zelf een samenwerkingsverband")


def _access(checker: Checker, data: dict, place: str, domain: Domain) -> Access:
    checker.known_keys(data, place, {"verwijzers", "casusregie", "criteria"})
    referrers = []
    names = checker.value(data, "verwijzers", place, list, "een lijst van verwijzers", True, [])
    for index, name in enumerate(names):
        if not isinstance(name, str) or name not in REFERRERS:
            checker.fail(f"{place}.verwijzers[{index}]", "STR-VERWIJZER",
                         f"onbekende verwijzer {name!r}; kies uit {', '.join(REFERRERS)}")
            continue
        referrers.append(REFERRERS[name])
    if "verwijzers" in data and not names:
        checker.fail(f"{place}.verwijzers", "STR-VERWIJZER", "noem minstens één verwijzer")
    if domain is Domain.WMO and any(name != "gemeente" for name in names):
        checker.fail(f"{place}.verwijzers", "STR-VERWIJZER", "voor de Wmo verwijst alleen de gemeente")
    if len(set(referrers)) != len(referrers):
        checker.fail(f"{place}.verwijzers", "STR-VERWIJZER", "een verwijzer staat er twee keer in")
    direction = checker.choice(data, "casusregie", place, CaseDirection, "STR-CASUSREGIE", "e casusregie",
                               default=CaseDirection.TOEGANG)
    return Access(tuple(referrers), direction, checker.text(data, "criteria", place, required=False))


FUNDING_KEYS = {
    "model", "toelichting", "plafond", "plafond_grootste_aanbieders", "budget_per_inwoner_cent",
    "jaarlijkse_afname", "onderbesteding", "overbesteding", "beschikbaarheid_cent_per_maand", "verdeelsleutel",
    "aandelen", "looptijd_maanden",
}
# Parameters that only make sense for some models.
FUNDING_PARAMETERS = {
    "plafond": {FundingKind.INSPANNING}, "plafond_grootste_aanbieders": {FundingKind.INSPANNING},
    "budget_per_inwoner_cent": {FundingKind.TAAK}, "jaarlijkse_afname": {FundingKind.TAAK},
    "onderbesteding": {FundingKind.TAAK}, "overbesteding": {FundingKind.TAAK},
    "beschikbaarheid_cent_per_maand": {FundingKind.HYBRIDE},
    "verdeelsleutel": {FundingKind.TAAK, FundingKind.HYBRIDE}, "aandelen": {FundingKind.TAAK, FundingKind.HYBRIDE},
}


def _funding(checker: Checker, data: dict, place: str, municipalities: set[str]) -> Funding:
    checker.known_keys(data, place, FUNDING_KEYS)
    model = checker.choice(data, "model", place, FundingKind, "STR-BEKOSTIGING", " bekostigingsmodel")
    if model is None:
        return Funding(FundingKind.INSPANNING)
    for key, models in FUNDING_PARAMETERS.items():
        if key in data and model not in models:
            checker.fail(f"{place}.{key}", "STR-BEKOSTIGING-PARAMETER",
                         f"hoort niet bij bekostigingsmodel {model.value} (wel bij "
                         f"{', '.join(sorted(m.value for m in models))})")
    ceiling = checker.choice(data, "plafond", place, Ceiling, "STR-BEKOSTIGING-PARAMETER", " plafond",
                             required=False, default="")
    ceiling_providers = checker.integer(data, "plafond_grootste_aanbieders", place, required=False, minimum=1) or 0
    if ceiling_providers and not ceiling:
        checker.fail(f"{place}.plafond_grootste_aanbieders", "STR-BEKOSTIGING-PARAMETER", "noem ook het plafond")
    budget = checker.integer(data, "budget_per_inwoner_cent", place, required=model is FundingKind.TAAK) or 0
    decrease = checker.number(data, "jaarlijkse_afname", place, required=False) or Decimal("0")
    if not 0 <= decrease < 1:
        checker.fail(f"{place}.jaarlijkse_afname", "STR-BEREIK", "een fractie tussen 0 en 1, bijv. \"0.03\"")
    underspend = checker.choice(data, "onderbesteding", place, Underspend, "STR-BEKOSTIGING-PARAMETER",
                                "e onderbesteding", required=False, default=Underspend.REINVEST)
    overspend = checker.choice(data, "overbesteding", place, Overspend, "STR-BEKOSTIGING-PARAMETER",
                               "e overbesteding", required=False, default=Overspend.PROVIDER)
    availability = checker.integer(data, "beschikbaarheid_cent_per_maand", place,
                                   required=model is FundingKind.HYBRIDE) or 0
    cost_key = checker.choice(data, "verdeelsleutel", place, CostKey, "STR-VERDEELSLEUTEL", "e verdeelsleutel",
                              required=False, default=CostKey.POPULATION)
    shares = _shares(checker, data, place, cost_key, municipalities)
    term = checker.integer(data, "looptijd_maanden", place, required=False, minimum=1) or 0
    return Funding(model, str(ceiling or ""), ceiling_providers, budget, decrease, str(underspend), str(overspend),
                   availability, str(cost_key), shares, term, checker.text(data, "toelichting", place, required=False))


def _shares(checker: Checker, data: dict, place: str, cost_key: Any,
            municipalities: set[str]) -> tuple[tuple[str, Decimal], ...]:
    """A fixed cost key: a percentage per municipality, adding up to exactly 100."""
    raw = checker.table(data, "aandelen", place, required=cost_key == CostKey.FIXED) or {}
    if raw and cost_key != CostKey.FIXED:
        checker.fail(f"{place}.aandelen", "STR-VERDEELSLEUTEL", "aandelen horen bij verdeelsleutel = "
                                                                 "\"vaste verdeelsleutel\"")
    shares = []
    for code, value in raw.items():
        share = checker.number(raw, code, f"{place}.aandelen")
        if code not in municipalities:
            checker.fail(f"{place}.aandelen.{code}", "STR-VERDEELSLEUTEL", f"gemeente {code} hoort niet bij de regio")
        if share is not None:
            shares.append((code, share))
    if raw and sum(share for _, share in shares) != 100:
        total = sum(share for _, share in shares)
        checker.fail(f"{place}.aandelen", "STR-VERDEELSLEUTEL",
                     f"de percentages tellen op tot {total}, niet tot 100")
    return tuple(shares)


def _contract(checker: Checker, data: dict, place: str) -> Contract:
    checker.known_keys(data, place, {"vorm", "looptijd", "start", "eisen", "gunningscriteria", "meldplichten",
                                     "toelichting"})
    form = checker.choice(data, "vorm", place, ContractForm, "STR-CONTRACTVORM", "e contractvorm",
                          default=ContractForm.OPEN_HOUSE)
    term = checker.text(data, "looptijd", place)
    if term and not TERM_PATTERN.fullmatch(term):
        checker.fail(f"{place}.looptijd", "STR-LOOPTIJD",
                     f"{term!r} is geen looptijd in jaren met verlengingen, bijv. \"4+1+1\" of \"3.5\"")
        term = ""
    return Contract(form, term, checker.day(data, "start", place), checker.texts(data, "eisen", place),
                    checker.texts(data, "gunningscriteria", place), checker.texts(data, "meldplichten", place))


def _suppliers(checker: Checker, data: dict, place: str, segment: str) -> Suppliers:
    checker.known_keys(data, place, {"max_aanbieders", "strategische_partners", "samenwerkingsverband_uit", "kpis",
                                     "toelichting"})
    kpis = []
    names: dict[str, int] = {}
    for index, k in enumerate(checker.tables(data, "kpis", place, required=False)):
        kpi_place = f"{place}.kpis[{index}]"
        checker.known_keys(k, kpi_place, {"kpi", "naam", "norm", "eenheid", "richting", "datum", "basisjaar",
                                          "verandering"})
        measured_by = _kpi_of_the_set(checker, checker.text(k, "kpi", kpi_place), kpi_place, segment)
        base_year, change = _relative(checker, k, kpi_place, segment, measured_by)
        norm = change if base_year else checker.number(k, "norm", kpi_place, required="verandering" not in k)
        direction = checker.choice(k, "richting", kpi_place, KpiDirection, "STR-KPI", "e richting",
                                   default=KpiDirection.MAX)
        name = checker.text(k, "naam", kpi_place, required=False) or (measured_by.name if measured_by else "")
        unit = checker.text(k, "eenheid", kpi_place, required=False)
        if measured_by and unit and unit != measured_by.unit:
            checker.fail(f"{kpi_place}.eenheid", "STR-KPI",
                         f"segment {segment}: KPI {measured_by.id!r} meet in {measured_by.unit!r}, niet in {unit!r}; "
                         "de norm staat in de eenheid van de KPI (laat eenheid weg)")
        if name in names:
            checker.fail(f"{kpi_place}.naam", "STR-KPI", f"segment {segment}: KPI-doel {name!r} staat er al "
                                                         f"(kpis[{names[name]}])")
        names.setdefault(name, index)
        deadline = checker.day(k, "datum", kpi_place)
        if base_year and deadline and base_year >= deadline.year:
            checker.fail(f"{kpi_place}.basisjaar", "STR-KPI", f"segment {segment}: het basisjaar {base_year} ligt niet "
                                                             f"vóór het jaar van de datum ({deadline.year})")
        kpis.append(Kpi(name, norm if norm is not None else Decimal(0), measured_by.unit if measured_by else unit,
                        direction, deadline, measured_by.id if measured_by else "", base_year))
    return Suppliers(checker.integer(data, "max_aanbieders", place, required=False, minimum=1),
                     checker.integer(data, "strategische_partners", place, required=False, minimum=1),
                     checker.text(data, "samenwerkingsverband_uit", place, required=False), tuple(kpis),
                     checker.text(data, "toelichting", place, required=False))


BASE_YEARS = (2000, 2100)


def _relative(checker: Checker, data: dict, place: str, segment: str, kpi) -> tuple[int | None, Decimal | None]:
    """A relative target: `basisjaar` (a year) and `verandering` (the norm: a change in percent against that year,
    e.g. -5 for 5 % lower), both or neither, and not together with `norm`. (None, None) for an absolute target."""
    if "basisjaar" not in data and "verandering" not in data:
        return None, None
    for given, needed in (("verandering", "basisjaar"), ("basisjaar", "verandering")):
        if given in data and needed not in data:
            checker.fail(_join(place, needed), "STR-KPI", f"segment {segment}: {given} vraagt ook om {needed} (een "
                                                         "verandering in procenten ten opzichte van een basisjaar)")
    if "norm" in data:
        checker.fail(_join(place, "norm"), "STR-KPI", f"segment {segment}: een doel heeft een norm óf een "
                                                     "verandering ten opzichte van een basisjaar, niet beide")
    year = checker.integer(data, "basisjaar", place, required=False, minimum=BASE_YEARS[0])
    if year is not None and year > BASE_YEARS[1]:
        checker.fail(_join(place, "basisjaar"), "STR-BEREIK", f"moet een jaar tot en met {BASE_YEARS[1]} zijn")
        year = None
    change = checker.number(data, "verandering", place, required=False)
    if change is not None and change <= -100:
        checker.fail(_join(place, "verandering"), "STR-BEREIK", f"segment {segment}: een verandering in procenten "
                                                               "ligt boven -100 (minder dan niets kan niet)")
        change = None
    if kpi is not None and kpi.measure.value == "verandering":
        checker.fail(_join(place, "basisjaar"), "STR-KPI", f"segment {segment}: KPI {kpi.id!r} is zelf al een "
                                                          "verandering; kies de KPI van de waarde zelf (bijv. "
                                                          "bezette-bedden) met een basisjaar")
        return None, None
    if year is None or change is None or "verandering" not in data or "basisjaar" not in data:
        return None, None
    return year, change


def _kpi_of_the_set(checker: Checker, kpi_id: str, place: str, segment: str):
    """The KPI of the KPI set (monitoring/kpis.py, docs/kpis.md) that measures a target: it must exist and give
    one value per provider or segment (not a value per class, referrer or funding form)."""
    from regiekamer.monitoring.kpis import BY_ID

    if not kpi_id:
        return None
    kpi = BY_ID.get(kpi_id)
    if kpi is None:
        close = difflib.get_close_matches(kpi_id, list(BY_ID), n=3)
        hint = f"; bedoelt u {' of '.join(close)}?" if close else ""
        checker.fail(f"{place}.kpi", "STR-KPI", f"segment {segment}: onbekende KPI {kpi_id!r}; kies een id uit de "
                                               f"kengetallenset (docs/kpis.md){hint}")
        return None
    if kpi.extra:
        checker.fail(f"{place}.kpi", "STR-KPI", f"segment {segment}: KPI {kpi_id!r} geeft een waarde per "
                                               f"{EXTRA_WORDS.get(kpi.extra, kpi.extra)}, geen enkele waarde; kies een "
                                               "KPI met één waarde")
        return None
    return kpi


def _demo(checker: Checker, data: dict, place: str) -> DemoHints | None:
    checker.known_keys(data, place, {"aandeel", "aanbieders", "duur_dagen", "naam_aanbieders"})
    weight = checker.value(data, "aandeel", place, (int, float), "een getal (aandeel van de trajecten)")
    providers = checker.integer(data, "aanbieders", place, minimum=1)
    duration = checker.pair(data, "duur_dagen", place, required=False)
    prefix = checker.text(data, "naam_aanbieders", place, required=False)
    if weight is None or providers is None:
        return None
    return DemoHints(float(weight), providers, duration, prefix)


def _lot(checker: Checker, data: dict, place: str, segment_funding: Funding, domain: Domain, subregions: set[str],
         municipalities: set[str], product_codes: dict[str, str]) -> LotEntry:
    checker.known_keys(data, place, {"code", "naam", "subregio", "ondergrens_clienten", "bekostiging", "contractvorm",
                                     "producten"})
    code = checker.text(data, "code", place)
    name = checker.text(data, "naam", place)
    subregion = checker.text(data, "subregio", place, required=False)
    if subregion and subregion not in subregions:
        checker.fail(f"{place}.subregio", "STR-SUBREGIO", f"subregio {subregion!r} staat niet in regio.subregios")
    own = checker.table(data, "bekostiging", place, required=False)
    funding = _funding(checker, own, f"{place}.bekostiging", municipalities) if own is not None else segment_funding
    products = []
    for index, p in enumerate(checker.tables(data, "producten", place, required=False)):
        product_place = f"{place}.producten[{index}]"
        product = _product(checker, p, product_place, domain, funding)
        if product is None:
            continue
        if product.code in product_codes:
            checker.fail(f"{product_place}.code", "STR-PRODUCT-DUBBEL",
                         f"product {product.code} staat al in {product_codes[product.code]}; een product hoort bij "
                         "één perceel")
        product_codes.setdefault(product.code, product_place)
        products.append(product)
    return LotEntry(code, name, funding, subregion,
                    checker.integer(data, "ondergrens_clienten", place, required=False, minimum=1), tuple(products),
                    checker.choice(data, "contractvorm", place, ContractForm, "STR-CONTRACTVORM", "e contractvorm",
                                   required=False))


def _product(checker: Checker, data: dict, place: str, domain: Domain, funding: Funding) -> ProductEntry | None:
    checker.known_keys(data, place, {"code", "categorie", "omschrijving", "variant", "eenheid", "frequentie",
                                     "volume", "tarief_euro", "aandeel", "bouwblok"})
    code = checker.text(data, "code", place)
    description = checker.text(data, "omschrijving", place, required=domain is Domain.WMO)
    category = ""
    variant = ""
    if domain is Domain.JEUGD:
        known = catalogue.youth_products().get(code)
        if code and known is None:
            checker.fail(f"{place}.code", "STR-PRODUCT", f"{code!r} staat niet in de productcodelijst Jeugdwet (JZ21)")
        elif known:
            category, variant, description = known.category, known.variant, description or known.description
    else:
        category = checker.text(data, "categorie", place)
        if category and category not in WMO_CATEGORIES:
            checker.fail(f"{place}.categorie", "STR-PRODUCT",
                         f"{category!r} is geen iWmo-productcategorie (WMO020); kies uit {', '.join(WMO_CATEGORIES)}")
        if code and category and not re.fullmatch(rf"{category}[A-Z0-9]{{3}}", code):
            checker.fail(f"{place}.code", "STR-PRODUCT",
                         f"een Wmo-productcode begint met de categorie en heeft vijf tekens, bijv. {category}A01")
    if funding.model is FundingKind.TAAK:
        variant = "taak"
    variant = checker.choice(data, "variant", place, {"inspanning": "inspanning", "output": "output",
                                                      "taak": "taak"}, "STR-PRODUCT", "e variant",
                             required=False, default=variant or "inspanning")
    unit = checker.choice(data, "eenheid", place, UNITS, "STR-PRODUCT", "e eenheid")
    frequency = checker.choice(data, "frequentie", place, FREQUENCIES, "STR-PRODUCT", "e frequentie")
    volume = checker.pair(data, "volume", place)
    tariff = checker.pair(data, "tarief_euro", place)
    weight = checker.value(data, "aandeel", place, (int, float), "een getal (aandeel binnen het segment)")
    if None in (unit, frequency, volume, tariff, weight) or not code:
        return None
    return ProductEntry(code, category, description, variant, unit, frequency, volume, tariff, float(weight),
                        checker.text(data, "bouwblok", place, required=False))
