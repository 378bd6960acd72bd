"""The funding models (seed 002, DOMAIN.md): one interface, one class each.

Every model answers two questions for a provider and a period:
- `earned`: what the provider is owed under the contract, with an explanation line by line;
- `payments`: what the municipality pays during the period (declarations as accepted, or advances).
The settlement (`settle.py`) is the difference.
"""

from __future__ import annotations

import enum
from abc import ABC, abstractmethod
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import ClassVar

from regiekamer.core.money import allocate_cents, apply_rate, format_euros
from regiekamer.core.periods import month_end, months_between


class FundingKind(enum.StrEnum):
    INSPANNING = "inspanning"  # effort-based: tariff × delivered volume
    OUTPUT = "output"  # a fixed amount per client per product (profile) per month
    TAAK = "taak"  # task-based: a budget per provider (lumpsum), paid in monthly advances
    HYBRIDE = "hybride"  # availability per month plus effort-based use
    SUBSIDIE = "subsidie"  # advance from forecast volume × tariff, settled on what was realised


@dataclass(frozen=True)
class Delivery:
    """Accepted, net (after credits) delivery of one product to one client in one month."""

    client: str  # pseudonym
    municipality: str  # CBS code
    product: str
    month: date  # first day of the month
    volume: int
    amount_cents: int  # as declared and accepted


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31))

    @property
    def months(self) -> list[date]:
        return months_between(self.start, self.end)

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class Explanation:
    text: str
    cents: int
    records: int = 0  # how many records (lines, client months, months) the line stands for


@dataclass(frozen=True)
class Earned:
    kind: FundingKind
    period: Period
    lines: tuple[Explanation, ...]

    @property
    def total_cents(self) -> int:
        return sum(line.cents for line in self.lines)


@dataclass(frozen=True)
class TariffTable:
    """Tariffs in cents per product per year."""

    cents: dict[tuple[str, int], int]

    @classmethod
    def indexed(cls, base: dict[str, int], base_year: int, rates: dict[int, Decimal]) -> TariffTable:
        """Base-year tariffs carried forward with each later year's indexation (e.g. {2024: Decimal("0.035")}),
        rounded to the cent every year as a contract's tariff list would be."""
        table = {}
        for product, cents in base.items():
            table[(product, base_year)] = cents
            for year in sorted(rates):
                cents = apply_rate(cents, 1 + rates[year])
                table[(product, year)] = cents
        return cls(table)

    def tariff(self, product: str, year: int) -> int:
        try:
            return self.cents[(product, year)]
        except KeyError:
            raise KeyError(f"geen tarief voor {product} in {year}") from None


class FundingModel(ABC):
    kind: ClassVar[FundingKind]
    incentive: ClassVar[str]  # what the model rewards, as the national working group puts it (seed 002)

    @abstractmethod
    def earned(self, deliveries: Sequence[Delivery], period: Period) -> Earned: ...

    def payments(self, deliveries: Sequence[Delivery], period: Period) -> dict[date, int]:
        """Paid during the period, per month: by default the accepted declarations themselves."""
        paid: dict[date, int] = dict.fromkeys(period.months, 0)
        for delivery in _within(deliveries, period):
            paid[delivery.month] += delivery.amount_cents
        return paid


def _within(deliveries: Sequence[Delivery], period: Period) -> list[Delivery]:
    return [d for d in deliveries if period.contains(d.month)]


class Ceiling(enum.StrEnum):
    SOFT = "zacht"  # crossing it is a signal for the account talk; everything is paid
    HARD = "hard"  # what is above it is not paid


@dataclass(frozen=True)
class EffortBased(FundingModel):
    kind: ClassVar[FundingKind] = FundingKind.INSPANNING
    incentive: ClassVar[str] = ("beloont volume: elke geleverde eenheid wordt betaald; sturing op toegang, "
                                "tarief en eventueel een plafond per aanbieder")
    tariffs: TariffTable
    ceiling_cents: int | None = None
    ceiling: Ceiling = Ceiling.HARD

    def earned(self, deliveries: Sequence[Delivery], period: Period) -> Earned:
        volume: dict[tuple[str, int], int] = defaultdict(int)
        count: dict[tuple[str, int], int] = defaultdict(int)
        for delivery in _within(deliveries, period):
            volume[(delivery.product, delivery.month.year)] += delivery.volume
            count[(delivery.product, delivery.month.year)] += 1
        lines = []
        for (product, year), units in sorted(volume.items()):
            tariff = self.tariffs.tariff(product, year)
            lines.append(Explanation(f"{product} {year}: {units} × {format_euros(tariff)}", units * tariff,
                                     count[(product, year)]))
        total = sum(line.cents for line in lines)
        if self.ceiling_cents is not None and total > self.ceiling_cents:
            above = total - self.ceiling_cents
            if self.ceiling is Ceiling.HARD:
                lines.append(Explanation(f"boven het plafond van {format_euros(self.ceiling_cents)} (hard): "
                                         "niet vergoed", -above))
            else:
                lines.append(Explanation(f"plafond van {format_euros(self.ceiling_cents)} overschreden met "
                                         f"{format_euros(above)} (zacht: vergoed, signaal voor het accountgesprek)", 0))
        return Earned(self.kind, period, tuple(lines))


@dataclass(frozen=True)
class OutputBased(FundingModel):
    kind: ClassVar[FundingKind] = FundingKind.OUTPUT
    incentive: ClassVar[str] = ("beloont resultaat per cliënt ongeacht de inzet: prikkel tot doelmatigheid, "
                                "risico op onderbehandeling en op het kiezen van lichte cliënten")
    amounts: TariffTable  # cents per client per product (profile) per month, per year

    def earned(self, deliveries: Sequence[Delivery], period: Period) -> Earned:
        net: dict[tuple[str, str, date], int] = defaultdict(int)
        for delivery in _within(deliveries, period):
            net[(delivery.product, delivery.client, delivery.month)] += delivery.volume
        client_months: dict[tuple[str, int], int] = defaultdict(int)
        for (product, _, month), volume in net.items():
            if volume > 0:
                client_months[(product, month.year)] += 1
        lines = []
        for (product, year), months in sorted(client_months.items()):
            amount = self.amounts.tariff(product, year)
            lines.append(Explanation(f"{product} {year}: {months} cliëntmaanden × {format_euros(amount)}",
                                     months * amount, months))
        return Earned(self.kind, period, tuple(lines))


class Underspend(enum.StrEnum):
    REINVEST = "herinvesteren"  # the provider keeps it and reinvests it in the task
    RECLAIM = "terugvorderen"  # the municipality reclaims it


class Overspend(enum.StrEnum):
    PROVIDER = "aanbieder"  # the provider absorbs it
    MUNICIPALITY = "gemeente"  # the municipality pays it


@dataclass(frozen=True)
class TaskBased(FundingModel):
    """A budget per provider for a task, for a term (which may start mid-year), possibly decreasing every
    year after the base year; paid in equal monthly advances. With a `reference` (usually effort-based at the
    contract tariffs) the realised value is set against the budget, and under- or overspend is handled as the
    contract says."""

    kind: ClassVar[FundingKind] = FundingKind.TAAK
    incentive: ClassVar[str] = ("beloont doelmatigheid en preventie binnen een vast budget: de aanbieder draagt "
                                "het volumerisico; risico op wachtlijsten en afwentelen")
    annual_budget_cents: int
    base_year: int
    term: Period
    yearly_decrease: Decimal = Decimal(0)
    underspend: Underspend = Underspend.REINVEST
    overspend: Overspend = Overspend.PROVIDER
    reference: FundingModel | None = None

    def budget(self, year: int) -> int:
        """The budget for a whole year: the base budget less the agreed decrease for every year after the base."""
        return apply_rate(self.annual_budget_cents, (1 - self.yearly_decrease) ** max(0, year - self.base_year))

    def monthly(self, year: int) -> dict[date, int]:
        months = [date(year, month, 1) for month in range(1, 13)]
        return allocate_cents(self.budget(year), dict.fromkeys(months, 1))

    def payments(self, deliveries: Sequence[Delivery], period: Period) -> dict[date, int]:
        paid = {}
        for month in period.months:
            in_term = self.term.contains(month) or self.term.contains(month_end(month))
            paid[month] = self.monthly(month.year)[month] if in_term else 0
        return paid

    def earned(self, deliveries: Sequence[Delivery], period: Period) -> Earned:
        budget = sum(self.payments(deliveries, period).values())
        months = sum(1 for cents in self.payments(deliveries, period).values() if cents)
        lines = [Explanation(f"taakbudget {months} maanden", budget, months)]
        if self.reference is None or not _within(deliveries, period):  # nothing declared per client to weigh
            return Earned(self.kind, period, tuple(lines))
        realised = self.reference.earned(deliveries, period).total_cents
        if realised < budget:
            if self.underspend is Underspend.RECLAIM:
                lines.append(Explanation(f"onderschrijding (gerealiseerd {format_euros(realised)}): teruggevorderd",
                                         realised - budget))
            else:
                lines.append(Explanation(f"onderschrijding van {format_euros(budget - realised)}: blijft bij de "
                                         "aanbieder om te herinvesteren", 0))
        elif realised > budget:
            if self.overspend is Overspend.MUNICIPALITY:
                lines.append(Explanation("overschrijding: door de gemeente vergoed", realised - budget))
            else:
                lines.append(Explanation(f"overschrijding van {format_euros(realised - budget)}: voor rekening van "
                                         "de aanbieder", 0))
        return Earned(self.kind, period, tuple(lines))


@dataclass(frozen=True)
class Hybrid(FundingModel):
    """An availability fee per month (beds, a 24/7 crisis line) plus effort-based payment for use."""

    kind: ClassVar[FundingKind] = FundingKind.HYBRIDE
    incentive: ClassVar[str] = ("borgt beschikbaarheid (bedden, 24/7) en betaalt gebruik: minder prikkel tot "
                                "volume dan alleen P×Q, zonder het volumerisico volledig bij de aanbieder")
    availability_cents_per_month: int
    use: EffortBased

    def _availability(self, period: Period) -> list[Explanation]:
        months = len(period.months)
        return [Explanation(f"beschikbaarheid {months} maanden × {format_euros(self.availability_cents_per_month)}",
                            months * self.availability_cents_per_month, months)]

    def earned(self, deliveries: Sequence[Delivery], period: Period) -> Earned:
        use = self.use.earned(deliveries, period)
        return Earned(self.kind, period, (*self._availability(period), *use.lines))

    def payments(self, deliveries: Sequence[Delivery], period: Period) -> dict[date, int]:
        paid = super().payments(deliveries, period)
        return {month: cents + self.availability_cents_per_month for month, cents in paid.items()}


@dataclass(frozen=True)
class Subsidy(FundingModel):
    """A subsidy: monthly advances from the forecast volume × tariff, settled afterwards on the realised
    volume, at most the granted amount (subsidieplafond) when one is set."""

    kind: ClassVar[FundingKind] = FundingKind.SUBSIDIE
    incentive: ClassVar[str] = ("zekerheid vooraf voor aanbieder en gemeente; de afrekening volgt de realisatie, "
                                "dus weinig prikkel tot doelmatigheid zonder afspraken over resultaat")
    forecast: dict[tuple[str, int], int]  # forecast volume per product per year
    tariffs: TariffTable
    granted_cents: dict[int, int] = field(default_factory=dict)  # maximum per year, when set

    def advance(self, year: int) -> int:
        return sum(volume * self.tariffs.tariff(product, y) for (product, y), volume in self.forecast.items()
                   if y == year)

    def payments(self, deliveries: Sequence[Delivery], period: Period) -> dict[date, int]:
        paid: dict[date, int] = {}
        for year in sorted({month.year for month in period.months}):
            months = [date(year, month, 1) for month in range(1, 13)]
            per_month = allocate_cents(self.advance(year), dict.fromkeys(months, 1))
            paid.update({month: cents for month, cents in per_month.items() if month in period.months})
        return paid

    def earned(self, deliveries: Sequence[Delivery], period: Period) -> Earned:
        effort = EffortBased(self.tariffs)
        lines = [Explanation("gerealiseerd " + line.text, line.cents, line.records)
                 for line in effort.earned(deliveries, period).lines]
        for year in sorted({month.year for month in period.months}):
            ceiling = self.granted_cents.get(year)
            in_year = Period(max(period.start, date(year, 1, 1)), min(period.end, date(year, 12, 31)))
            realised = effort.earned(deliveries, in_year).total_cents
            if ceiling is not None and realised > ceiling:
                lines.append(Explanation(f"boven de verleende subsidie {year} ({format_euros(ceiling)})",
                                         ceiling - realised))
        return Earned(self.kind, period, tuple(lines))
