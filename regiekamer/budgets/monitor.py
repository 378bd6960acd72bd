"""Budget monitoring per municipality × segment × year: realised, committed, forecast to year end with an
interval, and the month the budget is expected to be crossed.

Definitions (also on /budget/ and in docs/funding.md):
- realised: accepted declaration lines (net of credits) for months that are complete on the reference date,
  plus the municipality's share of lumpsum and availability advances for those months;
- a month is complete from the 20th of the month after it (declarations come in during that month) and
  only declarations dated on or before the reference date count;
- committed: what the assignments still open on the reference date may cost until their end or the end
  of the year: the assigned volume per month × the tariff × the months left (volume left, for a total);
- forecast: `regiekamer.funding.forecast` over the monthly amounts of this and earlier years.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Q, Sum

from regiekamer.budgets.models import Budget
from regiekamer.care.models import Assignment
from regiekamer.contracts.models import FundingTerms, Tariff
from regiekamer.core.money import allocate_cents
from regiekamer.core.periods import month_end, next_month
from regiekamer.declarations.models import DeclarationLine, signed_amount
from regiekamer.funding.calculate import FundingKind, Period
from regiekamer.funding.forecast import Forecast, forecast_year
from regiekamer.funding.terms import model_from_terms
from regiekamer.ijw.constants import Frequency
from regiekamer.regions.models import Population
from regiekamer.settlements.statements import tariff_table

Key = tuple[str, str]  # (municipality CBS code, segment code)

DEFINITIONS = (
    ("Gerealiseerd", "de toegekende declaratieregels (na creditering) van de maanden die op de peildatum compleet "
                     "zijn, plus het aandeel van de gemeente (naar inwoners 0-17) in de voorschotten voor lumpsums en "
                     "beschikbaarheid in die maanden. Een maand is compleet vanaf de 20e van de maand erna; alleen "
                     "declaraties gedagtekend op of voor de peildatum tellen mee."),
    ("Uitputting", "gerealiseerd gedeeld door het budget."),
    ("Verplicht", "wat de toewijzingen die op de peildatum nog lopen dit jaar nog kunnen kosten: de toegewezen omvang "
                  "per maand × het tarief × de resterende maanden tot hun einde of het jaareinde (bij een totale "
                  "omvang: wat er nog van over is)."),
    ("Prognose jaareinde", "het gerealiseerde gedeeld door het deel van het jaar dat eerdere jaren op hetzelfde "
                           "moment hadden bereikt (de eerdere jaren samen, halverwege bijgesteld naar een gelijke "
                           "spreiding, zodat een paar grote zaken de prognose niet laten zwiepen). Zonder eerdere "
                           "jaren: het gemiddelde tempo doorgetrokken."),
    ("Interval", "de laagste en hoogste prognose die één eerder jaar, of het gemiddelde tempo tot nu, geeft."),
    ("Signaal", "de maand waarin het verwachte cumulatieve bedrag het budget passeert."),
    ("Plafond", "het maximum dat een aanbieder per jaar in een perceel kan verdienen (bekostigingsafspraak); "
                "gerealiseerd en prognose zoals hierboven, voor de declaraties van die aanbieder in dat perceel. Bij "
                "een hard plafond wordt wat erboven komt bij de afrekening niet vergoed."),
)
DEFINITIE = "\n".join(f"{term}: {text}" for term, text in DEFINITIONS)
HISTORY_YEARS = 3
PER_MONTH = {Frequency.PER_DAG.value: Decimal(365) / 12, Frequency.PER_WEEK.value: Decimal(52) / 12,
             Frequency.PER_MAAND.value: Decimal(1)}


@dataclass(frozen=True)
class BudgetLine:
    municipality: str
    municipality_name: str
    segment: str
    segment_name: str
    year: int
    budget_cents: int | None
    realised_cents: int
    committed_cents: int
    forecast: Forecast

    @property
    def crossing_month(self) -> int | None:
        return self.forecast.crossing_month(self.budget_cents)

    @property
    def utilisation(self) -> Decimal | None:
        if not self.budget_cents:
            return None
        return (Decimal(self.realised_cents) * 100 / self.budget_cents).quantize(Decimal("0.1"))


def complete_months(year: int, as_of: date) -> int:
    """How many months of the year are complete on `as_of` (a month is, from the 20th of the next month)."""
    months = 0
    for month in range(1, 13):
        if next_month(date(year, month, 1)) + timedelta(days=19) <= as_of:
            months = month
    return months


def _declared(years: list[int], as_of: date) -> dict[Key, dict[int, list[int]]]:
    monthly: dict[Key, dict[int, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0] * 12))
    rows = (DeclarationLine.objects.accepted().filter(period_start__year__in=years, declaration__signed_on__lte=as_of)
            .values("municipality__cbs_code", "product__segment__code", "period_start__year", "period_start__month")
            .annotate(cents=Sum(signed_amount())))
    for row in rows:
        key = (row["municipality__cbs_code"], row["product__segment__code"])
        monthly[key][row["period_start__year"]][row["period_start__month"] - 1] += row["cents"]
    return monthly


def _advances(years: list[int]) -> dict[Key, dict[int, list[int]]]:
    """Lumpsum and availability advances, shared over the municipalities by residents 0-17."""
    monthly: dict[Key, dict[int, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0] * 12))
    for terms in FundingTerms.objects.filter(kind__in=[FundingKind.TAAK, FundingKind.HYBRIDE]).select_related(
            "lot__segment"):
        model = model_from_terms(terms.kind, terms.params, tariff_table(terms))
        for year in years:
            population = dict(Population.objects.filter(year=year).values_list("municipality__cbs_code", "age_0_17"))
            if not population:
                continue
            paid = model.payments([], Period.year(year))
            if terms.kind == FundingKind.HYBRIDE:  # only the availability part is an advance; use is declared
                paid = {month: terms.params["availability_cents_per_month"] for month in paid}
            for month, cents in paid.items():
                if cents:
                    for municipality, share in allocate_cents(cents, population, order=sorted(population)).items():
                        monthly[(municipality, terms.lot.segment.code)][year][month.month - 1] += share
    return monthly


def _committed(year: int, as_of: date, months_done: int) -> dict[Key, int]:
    """The value of what open assignments may still cost this year after the complete months."""
    first_open = date(year, months_done + 1, 1) if months_done < 12 else None
    if first_open is None:
        return {}
    year_end = date(year, 12, 31)
    tariffs = {(t.product_id, t.valid_from.year): t.amount_cents for t in Tariff.objects.filter(contract=None)}
    declared = dict(DeclarationLine.objects.accepted().filter(period_start__year=year).values("assignment_id")
                    .annotate(volume=Sum("volume")).values_list("assignment_id", "volume"))
    committed: dict[Key, int] = defaultdict(int)
    open_ones = (Assignment.objects.filter(Q(end=None) | Q(end__gte=max(as_of, first_open)), start__lte=year_end)
                 .exclude(volume=None).values_list("id", "municipality__cbs_code", "product__segment__code",
                                                   "product_id", "start", "end", "volume", "frequency"))
    for assignment_id, municipality, segment, product, start, end, volume, frequency in open_ones:
        tariff = tariffs.get((product, year))
        if tariff is None:
            continue
        if frequency == Frequency.TOTAAL.value:
            value = max(0, volume - (declared.get(assignment_id) or 0)) * tariff
        else:
            begin = max(first_open, start.replace(day=1))
            last = min(end or year_end, year_end)
            months = (last.year - begin.year) * 12 + last.month - begin.month + 1
            if months <= 0:
                continue
            value = int(Decimal(volume) * PER_MONTH.get(frequency, Decimal(1)) * tariff * months)
        committed[(municipality, segment)] += value
    return committed


@dataclass(frozen=True)
class CeilingLine:
    provider: str
    provider_name: str
    lot: str
    year: int
    ceiling_cents: int
    kind: str  # hard or zacht
    realised_cents: int
    forecast: Forecast

    @property
    def crossing_month(self) -> int | None:
        return self.forecast.crossing_month(self.ceiling_cents)


def ceilings(year: int, as_of: date) -> list[CeilingLine]:
    """Every provider with a ceiling in its funding terms: realised in the lot and forecast against the ceiling."""
    months = complete_months(year, as_of)
    years = [year - offset for offset in range(HISTORY_YEARS + 1)]
    lines = []
    for terms in (FundingTerms.objects.filter(params__has_key="ceiling_cents").select_related("contract__provider", "lot")
                  .order_by("contract__provider__agb_code")):
        if terms.params.get("ceiling_cents") is None:
            continue
        monthly = {y: [0] * 12 for y in years}
        rows = (DeclarationLine.objects.accepted()
                .filter(provider_id=terms.contract.provider_id, product__lot_id=terms.lot_id,
                        period_start__year__in=years, declaration__signed_on__lte=as_of)
                .values("period_start__year", "period_start__month").annotate(cents=Sum(signed_amount())))
        for row in rows:
            monthly[row["period_start__year"]][row["period_start__month"] - 1] += row["cents"]
        history = [monthly[y] for y in years[1:] if any(monthly[y]) and date(y, 12, 31) < as_of]
        forecast = forecast_year(monthly[year], months, history)
        lines.append(CeilingLine(terms.contract.provider.agb_code, terms.contract.provider.name, terms.lot.code, year,
                                 terms.params["ceiling_cents"], terms.params.get("ceiling", "hard"),
                                 forecast.realised_cents, forecast))
    return lines


def monitor(year: int, as_of: date, municipalities: set[str] | None = None) -> list[BudgetLine]:
    """Budget lines for the year; with `municipalities` (CBS codes), for those alone."""
    months = complete_months(year, as_of)
    years = [year - offset for offset in range(HISTORY_YEARS + 1)]
    declared, advances = _declared(years, as_of), _advances(years)
    committed = _committed(year, as_of, months)
    budget_rows = Budget.objects.filter(year=year).select_related("municipality", "segment")
    if municipalities is not None:
        budget_rows = budget_rows.filter(municipality__cbs_code__in=municipalities)
    budgets = {(b.municipality.cbs_code, b.segment.code): b for b in budget_rows}
    lines = []
    for key, budget in sorted(budgets.items()):
        per_year = {y: [d + a for d, a in zip(declared[key][y], advances[key][y])] for y in years}
        this_year = per_year[year]
        history = [per_year[y] for y in years[1:] if any(per_year[y]) and month_end(date(y, 12, 1)) < as_of]
        forecast = forecast_year(this_year, months, history)
        lines.append(BudgetLine(budget.municipality.cbs_code, budget.municipality.name, budget.segment.code,
                                budget.segment.name, year, budget.amount_cents, forecast.realised_cents,
                                committed.get(key, 0), forecast))
    return lines


def as_json(lines: list[BudgetLine], as_of: date, ceiling_lines: list[CeilingLine] = ()) -> dict:
    return {
        "peildatum": as_of.isoformat(),
        "plafonds": [{"aanbieder": c.provider, "perceel": c.lot, "jaar": c.year, "plafond_cent": c.ceiling_cents,
                      "soort": c.kind, "gerealiseerd_cent": c.realised_cents, "prognose_cent": c.forecast.point_cents,
                      "prognose_laag_cent": c.forecast.low_cents, "prognose_hoog_cent": c.forecast.high_cents,
                      "overschrijding_verwacht_in_maand": c.crossing_month} for c in ceiling_lines],
        "regels": [{"gemeente": b.municipality, "segment": b.segment, "jaar": b.year, "budget_cent": b.budget_cents,
                    "gerealiseerd_cent": b.realised_cents, "complete_maanden": b.forecast.months,
                    "verplicht_cent": b.committed_cents, "prognose_cent": b.forecast.point_cents,
                    "prognose_laag_cent": b.forecast.low_cents, "prognose_hoog_cent": b.forecast.high_cents,
                    "prognose_methode": b.forecast.method,
                    "uitputting_procent": str(b.utilisation) if b.utilisation is not None else None,
                    "overschrijding_verwacht_in_maand": b.crossing_month} for b in lines],
        "definitie": DEFINITIE,
    }
