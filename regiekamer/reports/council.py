"""The council report (raadsrapportage) of one municipality and one year, built from the same engines as the
pages: the KPI set (`monitoring.kpis`), the budget monitor (`budgets.monitor`) and the region's strategy file
(`strategy.read`). Every sentence is generated from the figures; nothing is written per municipality by hand.

The report holds aggregates only. A figure resting on fewer than `SMALL_CELL` persons is withheld, as everywhere
(docs/kpis.md), and so is a segment's spending when it rests on fewer than that many clients.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

import polars as pl
from django.utils import timezone
from django.utils.safestring import SafeString

from regiekamer.budgets.charts import budget_bullet
from regiekamer.budgets.models import Budget
from regiekamer.budgets.monitor import BudgetLine, monitor
from regiekamer.core.money import group_thousands
from regiekamer.monitoring.facts import Facts
from regiekamer.monitoring.facts_cache import data_version, facts_for
from regiekamer.monitoring.kpis import BY_ID, NO_ASSIGNMENT, SMALL_CELL, Kpi, KpiValue, Period, compute
from regiekamer.regions.models import Municipality
from regiekamer.reports.charts import MixRow, YearPoint, mix_bars, year_bars
from regiekamer.strategy import targets

REPORT_KPIS = ("clienten-in-zorg", "instroom", "uitstroom", "kosten-per-client", "duur-mediaan", "uitval",
               "wachttijd-binnen-4-weken", "wachttijd-binnen-10-weken", "uithuisplaatsingen")
PER_THOUSAND = ("clienten-in-zorg", "instroom", "uitstroom", "uithuisplaatsingen")  # counts: compared per 1,000
MIX_KPI = "verwijzer-aandeel"
CHART_YEARS = 5
MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
          "november", "december"]
REFERRERS = {"01": "gemeente (wijkteam)", "02": "huisarts", "03": "jeugdarts", "04": "gecertificeerde instelling",
             "05": "medisch specialist", "06": "zonder verwijzer", "08": "rechter",
             NO_ASSIGNMENT: "zonder toewijzing"}

# What each figure means, for a council member: one or two short sentences, no jargon.
EXPLAINED: dict[str, str] = {
    "clienten-in-zorg": "Hoeveel kinderen en jongeren dit jaar jeugdhulp kregen. Wie meer soorten hulp kreeg, telt "
                        "één keer.",
    "instroom": "Hoeveel kinderen en jongeren dit jaar met jeugdhulp begonnen en daarvoor geen hulp hadden.",
    "uitstroom": "Hoeveel kinderen en jongeren dit jaar hulp hadden en aan het eind van het jaar niet meer.",
    "kosten-per-client": "Wat de gemeente gemiddeld per kind of jongere met jeugdhulp betaalde: alle goedgekeurde "
                         "rekeningen van aanbieders gedeeld door het aantal kinderen en jongeren.",
    "duur-mediaan": "Hoe lang hulp duurde die dit jaar stopte. De helft duurde korter, de helft langer.",
    "uitval": "Welk deel van de hulp die dit jaar stopte, voortijdig stopte: de jongere of de aanbieder hield "
              "ermee op zonder dat het afgesproken doel bereikt was.",
    "wachttijd-binnen-4-weken": "Welk deel van de kinderen en jongeren binnen 4 weken na het besluit van de "
                                "gemeente met de hulp kon beginnen. Vier weken is de norm.",
    "wachttijd-binnen-10-weken": "Hetzelfde, binnen 10 weken: de norm voor het begin van een behandeling.",
    "uithuisplaatsingen": "Hoeveel kinderen en jongeren dit jaar (een tijd) niet thuis woonden, maar in een "
                          "pleeggezin, een gezinshuis of een instelling.",
    MIX_KPI: "Wie de kinderen en jongeren naar jeugdhulp verwees: de gemeente zelf (wijkteam), de huisarts, de "
             "jeugdarts, een medisch specialist, de rechter of een gecertificeerde instelling (jeugdbescherming).",
}

HEADS: dict[str, str] = {  # the sentence's start; {v} the value, {year} and {name} the year and municipality
    "clienten-in-zorg": "In {year} kregen {v} jeugdigen in {name} jeugdhulp",
    "instroom": "{v} jeugdigen begonnen in {year} met jeugdhulp",
    "uitstroom": "{v} jeugdigen stopten in {year} met jeugdhulp",
    "kosten-per-client": "Jeugdhulp kostte in {year} gemiddeld {v} per jeugdige",
    "duur-mediaan": "Hulp die in {year} stopte, duurde meestal {v}",
    "uitval": "Van de hulp die in {year} stopte, stopte {v} voortijdig",
    "wachttijd-binnen-4-weken": "In {year} begon {v} van de jeugdigen binnen 4 weken met de hulp",
    "wachttijd-binnen-10-weken": "In {year} begon {v} van de jeugdigen binnen 10 weken met de hulp",
    "uithuisplaatsingen": "In {year} woonden {v} jeugdigen (een tijd) niet thuis",
}
MORE_LESS = {"personen": ("meer", "minder", "evenveel als"), "cent": ("hoger", "lager", "gelijk aan"),
             "dagen": ("langer", "korter", "even lang als")}


class NoReport(LookupError):
    """There is nothing to report for this municipality and year."""


# --- formatting ---------------------------------------------------------------------------------------------

def _decimal(value: Decimal | int, places: str = "0.1") -> Decimal:
    return Decimal(value).quantize(Decimal(places), rounding=ROUND_HALF_UP)


def number_text(value: Decimal | int) -> str:
    """Dutch: 1.234 and 12,3."""
    if isinstance(value, int):
        return group_thousands(value)
    whole, _, fraction = f"{value:f}".partition(".")
    return group_thousands(int(whole)) + ("," + fraction if fraction else "") if not whole.startswith("-") else (
        "-" + group_thousands(-int(whole)) + ("," + fraction if fraction else ""))


def euros_text(cents: int) -> str:
    rounded = (abs(cents) + 50) // 100
    return f"{'-' if cents < 0 else ''}€ {group_thousands(rounded)}"


def value_text(kpi: Kpi, value: Decimal | int | None, suppressed: bool = False) -> str:
    if suppressed:
        return f"<{SMALL_CELL}"
    if value is None:
        return "–"
    if kpi.unit == "cent":
        return euros_text(int(value))
    if kpi.unit == "procent":
        return f"{number_text(_decimal(value))} %"
    if kpi.unit == "dagen":
        return f"{number_text(int(value))} dagen"
    return number_text(int(value))


def _first_sentence(text: str) -> str:
    match = re.match(r"^(.+?\.)(?=\s+[A-ZÀ-Ý(]|$)", text.strip(), flags=re.S)
    return match.group(1) if match else text


# --- the figures ---------------------------------------------------------------------------------------------

def _one(kpi: Kpi, facts: Facts, year: int) -> KpiValue | None:
    values = compute(kpi, facts, Period.of(year), [])
    return values[0] if values else None


def _shown(value: KpiValue | None) -> Decimal | int | None:
    return None if value is None or value.suppressed else value.value


def _youth(facts: Facts, municipality: str | None, year: int) -> int | None:
    rows = facts.population.filter(pl.col("year") == year)
    if municipality is not None:
        rows = rows.filter(pl.col("municipality") == municipality)
    return int(rows["age_0_17"].sum()) if rows.height else None


def per_thousand(count: Decimal | int | None, youth: int | None) -> Decimal | None:
    if count is None or not youth:
        return None
    return _decimal(Decimal(count) * 1000 / youth)


def _change(kpi: Kpi, now: Decimal | int | None, then: Decimal | int | None, previous_year: int) -> str:
    """ ", 5 % meer dan in 2023 (1.175)" or for percentages ", 2,1 procentpunt hoger dan in 2023 (10,2 %)"."""
    if now is None or then is None:
        return f"; met {previous_year} is niet te vergelijken"
    earlier = value_text(kpi, then)
    if kpi.unit == "procent":
        points = _decimal(Decimal(now) - Decimal(then))
        if points == 0:
            return f", evenveel als in {previous_year}"
        word = "hoger" if points > 0 else "lager"
        return f", {number_text(abs(points))} procentpunt {word} dan in {previous_year} ({earlier})"
    more, less, same = MORE_LESS.get(kpi.unit, MORE_LESS["personen"])
    if Decimal(then) == 0:
        return f" (in {previous_year}: {earlier})"
    percent = _decimal((Decimal(now) - Decimal(then)) * 100 / Decimal(then), "1")
    if percent == 0:
        return f", {same} in {previous_year} ({earlier})"
    return f", {number_text(abs(percent))} % {more if percent > 0 else less} dan in {previous_year} ({earlier})"


@dataclass(frozen=True)
class KpiRow:
    kpi: Kpi
    explanation: str
    definition: str  # the first sentence of the KPI's definition
    this_year: KpiValue | None
    previous: KpiValue | None
    region: KpiValue | None
    own_rate: Decimal | None  # counts: per 1,000 residents 0-17
    region_rate: Decimal | None
    sentence: str
    chart: SafeString

    @property
    def suppressed(self) -> bool:
        return self.this_year is not None and self.this_year.suppressed

    def _text(self, value: KpiValue | None) -> str:
        return value_text(self.kpi, _shown(value), value is not None and value.suppressed)

    @property
    def this_text(self) -> str:
        return self._text(self.this_year)

    @property
    def previous_text(self) -> str:
        return self._text(self.previous)

    @property
    def region_text(self) -> str:
        return self._text(self.region)

    @property
    def own_rate_text(self) -> str:
        return "–" if self.own_rate is None else number_text(self.own_rate)

    @property
    def region_rate_text(self) -> str:
        return "–" if self.region_rate is None else number_text(self.region_rate)

    @property
    def raw(self) -> str:
        """The engine's value, for the page's data attributes and the tests."""
        value = _shown(self.this_year)
        return "" if value is None else str(value)

    @property
    def per_thousand(self) -> bool:
        return self.kpi.id in PER_THOUSAND


def _kpi_row(kpi: Kpi, own: Facts, region: Facts, code: str, name: str, year: int, years: list[int]) -> KpiRow:
    now, before, regional = _one(kpi, own, year), _one(kpi, own, year - 1), _one(kpi, region, year)
    counts = kpi.id in PER_THOUSAND
    own_rate = per_thousand(_shown(now), _youth(own, code, year)) if counts else None
    region_rate = per_thousand(_shown(regional), _youth(region, None, year)) if counts else None
    if now is not None and now.suppressed:
        sentence = (f"{kpi.name}: dit cijfer rust op minder dan {SMALL_CELL} jeugdigen en wordt daarom niet "
                    "getoond.")
    elif _shown(now) is None:
        sentence = f"{kpi.name}: over {year} zijn hiervoor geen gegevens."
    else:
        head = HEADS[kpi.id].format(v=value_text(kpi, _shown(now)), year=year, name=name)
        sentence = head + _change(kpi, _shown(now), _shown(before), year - 1) + "."
        if counts and own_rate is not None and region_rate is not None:
            sentence += (f" Dat zijn {number_text(own_rate)} per 1.000 inwoners van 0 tot 18 jaar; in de hele regio "
                         f"{number_text(region_rate)} per 1.000.")
        elif not counts and _shown(regional) is not None:
            sentence += f" In de hele regio: {value_text(kpi, _shown(regional))}."
    points = []
    for chart_year in years:
        mine = now if chart_year == year else _one(kpi, own, chart_year)
        theirs = None if counts else _shown(regional if chart_year == year else _one(kpi, region, chart_year))
        label = value_text(kpi, _shown(mine), mine is not None and mine.suppressed)
        points.append(YearPoint(chart_year, _shown(mine), theirs, label.replace(" dagen", "").replace(" %", "%")))
    title = f"{kpi.name} in {name} per jaar" + ("" if counts else "; grijs streepje: de regio")
    return KpiRow(kpi, EXPLAINED[kpi.id], _first_sentence(kpi.definition), now, before, regional, own_rate,
                  region_rate, sentence, year_bars(points, title))


@dataclass(frozen=True)
class MixSection:
    kpi: Kpi
    explanation: str
    definition: str
    rows: list[tuple[str, dict[str, str]]]  # (referrer, {"own": "12,3 %", "previous": ..., "region": ...})
    raw: dict[str, str]  # referrer -> the engine's value this year, for the page's data attributes
    sentence: str
    chart: SafeString


def _mix(facts: Facts, year: int) -> dict[str, KpiValue]:
    return {REFERRERS.get(v.dims.get("referrer") or "", v.dims.get("referrer") or "?"): v
            for v in compute(BY_ID[MIX_KPI], facts, Period.of(year), [])}


def _mix_section(own: Facts, region: Facts, name: str, year: int) -> MixSection:
    kpi = BY_ID[MIX_KPI]
    now, before, regional = _mix(own, year), _mix(own, year - 1), _mix(region, year)
    names = sorted(set(now) | set(regional), key=lambda n: -(_shown(regional.get(n)) or 0))

    def cell(values: dict[str, KpiValue], referrer: str) -> str:
        value = values.get(referrer)
        return value_text(kpi, _shown(value), value is not None and value.suppressed) if value else "–"

    rows = [(n, {"own": cell(now, n), "previous": cell(before, n), "region": cell(regional, n)}) for n in names]
    shown = sorted(((n, _shown(v)) for n, v in now.items() if _shown(v) is not None), key=lambda item: -item[1])
    def via(referrer: str) -> str:
        return referrer if referrer.startswith("zonder") else f"via de {referrer}"

    if len(shown) >= 2:
        sentence = (f"De meeste jeugdigen die in {year} met hulp begonnen, kwamen {via(shown[0][0])} "
                    f"({value_text(kpi, shown[0][1])}), daarna {via(shown[1][0])} ({value_text(kpi, shown[1][1])}).")
    elif shown:
        sentence = f"In {year} kwamen de jeugdigen vooral {via(shown[0][0])} ({value_text(kpi, shown[0][1])})."
    else:
        sentence = f"Over {year} zijn er te weinig starts om de verwijzers te tonen."
    if any(v.suppressed for v in now.values()):
        sentence += f" Verwijzers met minder dan {SMALL_CELL} jeugdigen staan er als “<{SMALL_CELL}”."
    chart_rows = []
    for label, values in ((f"{name} {year - 1}", before), (f"{name} {year}", now), (f"Regio {year}", regional)):
        shares = tuple((n, Decimal(_shown(values[n]) or 0)) for n in names if n in values)
        if any(share for _, share in shares):
            chart_rows.append(MixRow(label, shares))
    return MixSection(kpi, EXPLAINED[MIX_KPI], _first_sentence(kpi.definition), rows,
                      {n: str(_shown(v)) for n, v in now.items() if _shown(v) is not None}, sentence,
                      mix_bars(chart_rows, names, "Verwijzers: aandeel van de gestarte hulp"))


# --- spending against the budget -----------------------------------------------------------------------------

@dataclass(frozen=True)
class BudgetRow:
    line: BudgetLine
    suppressed: bool  # the segment's spending rests on fewer than SMALL_CELL clients
    chart: SafeString | None
    crossing: str  # the month the forecast passes the budget, if it does
    verdict: str


@dataclass(frozen=True)
class BudgetSection:
    as_of: date
    running: bool  # the year is not complete on the reference date
    rows: list[BudgetRow]
    budget_cents: int
    realised_cents: int
    forecast_cents: int
    sentence: str

    @property
    def difference_cents(self) -> int:
        return self.budget_cents - self.forecast_cents


def report_as_of(year: int, today: date) -> date:
    """The budget monitor's reference date for a report: the day the year is complete in the monitor's sense
    (the 20th of January after it), or today while the year is running."""
    return min(today, date(year + 1, 1, 20))


def _budget_section(own: Facts, code: str, year: int, as_of: date) -> BudgetSection:
    lines = [b for b in monitor(year, as_of, {code}) if b.municipality == code]
    clients = {v.dims["segment"]: v for v in compute(BY_ID["uitgaven"], own, Period.of(year), ["segment"])}
    rows = []
    for line in lines:
        counted = clients.get(line.segment)
        suppressed = counted is not None and counted.suppressed
        point, running = line.forecast.point_cents, line.forecast.months < 12
        crossing = MONTHS[line.crossing_month - 1] if line.crossing_month and not suppressed else ""
        expected = " verwacht" if running else ""
        if suppressed:
            verdict = f"Minder dan {SMALL_CELL} cliënten: bedragen niet getoond."
        elif not line.budget_cents:
            verdict = "Geen budget vastgesteld."
        elif point > line.budget_cents:
            verdict = f"{euros_text(point - line.budget_cents)} boven het budget{expected}"
            verdict += f";{' naar verwachting' if running else ''} overschreden in {crossing}." if crossing else "."
        else:
            verdict = f"{euros_text(line.budget_cents - point)} onder het budget{expected}."
        chart = None if suppressed else budget_bullet(line.budget_cents, line.realised_cents, point,
                                                       line.forecast.low_cents, line.forecast.high_cents)
        rows.append(BudgetRow(line, suppressed, chart, crossing, verdict))
    budget = sum(b.budget_cents or 0 for b in lines)
    realised = sum(b.realised_cents for b in lines)
    forecast = sum(b.forecast.point_cents for b in lines)
    running = bool(lines) and lines[0].forecast.months < 12
    if not lines:
        sentence = f"Voor {year} is geen budget vastgelegd."
    else:
        share = number_text(_decimal(Decimal(forecast) * 100 / budget, "1")) if budget else "–"
        spent = (f"tot nu toe is {euros_text(realised)} uitgegeven en voor het hele jaar verwachten we "
                 f"{euros_text(forecast)}" if running else f"er is {euros_text(realised)} uitgegeven")
        over = forecast - budget
        tail = (f"{euros_text(over)} meer dan begroot" if over > 0 else f"{euros_text(-over)} minder dan begroot"
                if over < 0 else "precies het budget")
        sentence = (f"Voor {year} was {euros_text(budget)} begroot; {spent}. Dat is {share} % van het budget: "
                    f"{tail}.")
    return BudgetSection(as_of, running, rows, budget, realised, forecast, sentence)


# --- goals of the strategy -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class GoalRow:
    segment: str  # "1 Hoog specialistisch"
    name: str
    target: str  # "ten minste 5 % t.o.v. 2022, uiterlijk 31 december 2025"
    result: str  # what was measured, or why it cannot be
    status: str  # gehaald / niet gehaald / op koers / niet op koers / niet te meten
    note: str = ""


@dataclass(frozen=True)
class GoalSection:
    source: str  # the strategy file, or why there is none
    rows: list[GoalRow] = field(default_factory=list)

    @property
    def measured(self) -> list[GoalRow]:
        return [row for row in self.rows if row.status != "niet te meten"]


@dataclass(frozen=True)
class _GoalContext:
    own: Facts
    region: Facts
    year: int
    first_year: int
    budget: BudgetSection


def _segment_value(facts: Facts, segment: str, kpi_id: str, year: int) -> KpiValue | None:
    return _one(BY_ID[kpi_id], facts.only(segments={segment}), year)


def _norm_text(norm: Decimal, unit: str) -> str:
    if unit == "cent":
        return euros_text(int(norm))
    shown = number_text(int(norm) if norm == norm.to_integral() else norm.normalize())
    return f"{shown} %" if unit == "procent" else f"{shown} {unit}"


MARKET_KPIS = ("aantal-aanbieders", "top5-aandeel", "hhi")  # a market is the region's, not one municipality's


def _reading(value: KpiValue | None) -> targets.Reading:
    return targets.NO_DATA if value is None else targets.Reading(value.value, value.suppressed)


def _judge(ctx: _GoalContext, segment: str, target) -> tuple[targets.Judgement | None, str, str]:
    """A target measured by its KPI of the KPI set (strategy files name it, docs/strategy.md) for the
    municipality within the segment (a market KPI: for the region), against its norm or, with a base year, as the
    change against that year (strategy.targets). (judgement or None, the result in words, a note)."""
    kpi = BY_ID.get(target.kpi_id)
    if kpi is None:
        return None, "niet te meten: het doel noemt geen KPI uit de kengetallenset", ""
    regional = target.kpi_id in MARKET_KPIS
    facts = ctx.region if regional else ctx.own
    note = "Dit is een regionaal doel: het cijfer is van de regio." if regional else ""
    now = _reading(_segment_value(facts, segment, target.kpi_id, ctx.year))
    base = targets.NO_DATA
    if target.base_year is not None and target.base_year >= ctx.first_year:
        base = _reading(_segment_value(facts, segment, target.kpi_id, target.base_year))
    judgement = targets.judge(target.norm, target.direction, now, target.base_year, base)
    result = targets.result_text(judgement, ctx.year, target.base_year, lambda v: value_text(kpi, v), SMALL_CELL)
    if judgement.outcome is targets.Outcome.MEASURED and target.base_year is None:
        result = f"{result} ({kpi.name.lower()})"
    return judgement, result, note


def _goal_section(region_id: int, ctx: _GoalContext) -> GoalSection:
    """The targets of the region's stored strategy (strategy.load): the one for the report's year or the latest
    before it, else the earliest."""
    from regiekamer.strategy.models import Strategy

    strategies = Strategy.objects.filter(region_id=region_id)
    strategy = strategies.filter(year__lte=ctx.year).order_by("-year").first() or strategies.order_by("year").first()
    if strategy is None:
        return GoalSection("geen strategie geladen voor deze regio")
    rows = []
    for segment_strategy in strategy.segments.select_related("segment").prefetch_related("kpis").order_by("position"):
        segment = segment_strategy.segment
        for target in segment_strategy.kpis.all():
            deadline = (f", uiterlijk {target.deadline.day} {MONTHS[target.deadline.month - 1]} "
                        f"{target.deadline.year}" if target.deadline else "")
            judgement, result, note = _judge(ctx, segment.code, target)
            if judgement is None or judgement.missed is None:
                status = "niet te meten"
            else:
                interim = target.deadline is not None and ctx.year < target.deadline.year
                status = ("nog niet op koers" if judgement.missed else "op koers") if interim else (
                    "niet gehaald" if judgement.missed else "gehaald")
            norm = targets.norm_text(target.norm, target.direction, target.base_year,
                                     lambda v, unit=target.unit: _norm_text(Decimal(v), unit))
            rows.append(GoalRow(f"{segment.code} {segment.name}", target.name, f"{norm}{deadline}", result, status,
                                note))
    return GoalSection(f"{strategy.file_name}, {strategy.year}", rows)


# --- the report ----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CouncilReport:
    municipality: str  # CBS code
    name: str
    region: str
    year: int
    generated_at: datetime
    data_version: str
    first_year: int  # the first year with declarations
    youth_only: bool  # the KPIs cover youth segments only (the region also buys Wmo)
    summary: list[str]
    kpis: list[KpiRow]
    mix: MixSection
    budget: BudgetSection
    goals: GoalSection
    chart_years: list[int]

    @property
    def previous_year(self) -> int:
        return self.year - 1

    @property
    def title(self) -> str:
        return f"Raadsrapportage jeugdhulp {self.name} {self.year}"

    def kpi(self, kpi_id: str) -> KpiRow:
        return next(row for row in self.kpis if row.kpi.id == kpi_id)


def report_years(facts: Facts) -> list[int]:
    """Years with declarations or budgets: the years a report can be made for."""
    years = set(Budget.objects.values_list("year", flat=True).distinct())
    starts = facts.lines["period_start"]
    if not starts.is_empty():
        years |= set(range(starts.min().year, starts.max().year + 1))
    return sorted(years)


def build_report(municipality: Municipality, year: int, as_of: date | None = None,
                 now: datetime | None = None) -> CouncilReport:
    """The report of `municipality` for `year`; the budget as of `as_of` (default: `report_as_of`)."""
    region = municipality.region
    facts = facts_for(region.id)
    years = report_years(facts)
    if year not in years:
        raise NoReport(f"geen gegevens over {year}")
    now = now or timezone.localtime()
    as_of = as_of or report_as_of(year, now.date())
    youth_segments = set(facts.segments.filter(pl.col("domain") == "jeugd")["segment"].to_list())
    youth_only = youth_segments != set(facts.segments["segment"].to_list())
    region_facts = facts.only(segments=youth_segments) if youth_only else facts
    own = region_facts.only({municipality.cbs_code})
    first = facts.lines["period_start"].min().year if facts.lines.height else year
    chart_years = [y for y in range(max(first, year - CHART_YEARS + 1), year + 1)]
    name, code = municipality.name, municipality.cbs_code
    kpis = [_kpi_row(BY_ID[k], own, region_facts, code, name, year, chart_years) for k in REPORT_KPIS]
    mix = _mix_section(own, region_facts, name, year)
    budget = _budget_section(facts.only({code}), code, year, as_of)
    goals = _goal_section(region.id, _GoalContext(facts.only({code}), facts, year, first, budget))
    summary = _summary(kpis, budget, goals, name, year)
    version = ".".join(str(part) for part in data_version())
    return CouncilReport(code, name, region.name, year, now, version, first, youth_only, summary, kpis, mix, budget,
                         goals, chart_years)


def _summary(kpis: list[KpiRow], budget: BudgetSection, goals: GoalSection, name: str, year: int) -> list[str]:
    by_id = {row.kpi.id: row for row in kpis}
    lines = [by_id["clienten-in-zorg"].sentence, budget.sentence]
    cost = by_id["kosten-per-client"]
    if not cost.suppressed and _shown(cost.this_year) is not None:
        lines.append(cost.sentence)
    wait = by_id["wachttijd-binnen-4-weken"]
    if not wait.suppressed and _shown(wait.this_year) is not None:
        lines.append(wait.sentence)
    if not goals.rows:
        lines.append("De inkoopstrategie van de regio bevat geen meetbare doelen.")
    else:
        reached = sum(1 for row in goals.rows if row.status in ("gehaald", "op koers"))
        count, measured = len(goals.rows), len(goals.measured)
        named = "1 meetbaar doel" if count == 1 else f"{count} meetbare doelen"
        if not measured:
            lines.append(f"De inkoopstrategie noemt {named}; met deze gegevens is dat nu niet te meten."
                         if count == 1 else f"De inkoopstrategie noemt {named}; met deze gegevens is geen ervan "
                         "nu te meten.")
        else:
            outcome = ("geen ervan is" if not reached else "dat is" if reached == measured == 1 else
                       f"{reached} {'is' if reached == 1 else 'zijn'}")
            lines.append(f"De inkoopstrategie noemt {named}; {measured} daarvan "
                         f"{'is' if measured == 1 else 'zijn'} met deze gegevens te meten, en {outcome} gehaald "
                         "of op koers.")
    return lines
