"""Scenario comparison (seed 002: choosing a funding model): replay a year's real deliveries under other funding
models or tariff and ceiling choices, and show side by side what each provider would have earned and what
each municipality would have paid, with the incentive each model creates.

Pure: deliveries per provider in, figures out. The alternatives are built so that they start from the same
year: an output amount equal to the year's average per client month, a lumpsum equal to what each provider
earned, and so on, so that the comparison shows the redistribution and the incentive, not a different level.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from regiekamer.core.money import allocate_cents, apply_rate
from regiekamer.funding.calculate import (
    Ceiling,
    Delivery,
    EffortBased,
    FundingKind,
    FundingModel,
    Hybrid,
    OutputBased,
    Period,
    TariffTable,
    TaskBased,
)

ModelFor = Callable[[str, Sequence[Delivery]], FundingModel]  # provider, its deliveries -> its model


@dataclass(frozen=True)
class Description:
    """What a scenario is, for people: its name, funding kind and the incentive it creates."""

    name: str
    kind: FundingKind
    incentive: str


@dataclass(frozen=True)
class Scenario:
    name: str
    kind: FundingKind
    model_for: ModelFor
    incentive: str

    @property
    def description(self) -> Description:
        return Description(self.name, self.kind, self.incentive)


@dataclass(frozen=True)
class Outcome:
    scenario: Description  # plain data, so outcomes can be kept and shared (monitoring.facts_cache)
    revenue: dict[str, int]  # provider -> cents earned
    cost: dict[str, int]  # municipality -> cents

    @property
    def total_cents(self) -> int:
        return sum(self.revenue.values())


def _use(deliveries: Sequence[Delivery]) -> dict[str, int]:
    use: dict[str, int] = defaultdict(int)
    for delivery in deliveries:
        use[delivery.municipality] += delivery.amount_cents
    return {m: cents for m, cents in use.items() if cents > 0}


def run(scenarios: Sequence[Scenario], deliveries: dict[str, list[Delivery]], period: Period,
        population: dict[str, int]) -> list[Outcome]:
    """Every scenario over the same deliveries. A provider's earnings are charged to the municipalities by their
    use of it, except lumpsum and availability money, which is shared by residents 0-17."""
    outcomes = []
    for scenario in scenarios:
        revenue: dict[str, int] = {}
        cost: dict[str, int] = defaultdict(int)
        for provider, delivered in sorted(deliveries.items()):
            model = scenario.model_for(provider, delivered)
            earned = model.earned(delivered, period).total_cents
            revenue[provider] = earned
            use = _use(delivered)
            shared = earned if isinstance(model, TaskBased) or not use else (
                model.availability_cents_per_month * len(period.months) if isinstance(model, Hybrid) else 0)
            for weights, cents in ((population, shared), (use, earned - shared)):
                if cents:
                    for municipality, part in allocate_cents(cents, weights, order=sorted(weights)).items():
                        cost[municipality] += part
        outcomes.append(Outcome(scenario.description, revenue, dict(sorted(cost.items()))))
    return outcomes


def current(tariffs: TariffTable) -> Scenario:
    return Scenario("huidig: P×Q tegen de contracttarieven", FundingKind.INSPANNING,
                    lambda provider, delivered: EffortBased(tariffs), EffortBased.incentive)


def tariff_change(tariffs: TariffTable, change: Decimal) -> Scenario:
    changed = TariffTable({key: apply_rate(cents, 1 + change) for key, cents in tariffs.cents.items()})
    return Scenario(f"P×Q met tarieven {change * 100:+.1f} %", FundingKind.INSPANNING,
                    lambda provider, delivered: EffortBased(changed), EffortBased.incentive)


def hard_ceiling(tariffs: TariffTable, share: Decimal, period: Period) -> Scenario:
    """A hard ceiling per provider at `share` of what it earned in the year (e.g. 0.95)."""

    def model_for(provider: str, delivered: Sequence[Delivery]) -> FundingModel:
        earned = EffortBased(tariffs).earned(delivered, period).total_cents
        return EffortBased(tariffs, apply_rate(earned, share), Ceiling.HARD)

    return Scenario(f"P×Q met een hard plafond van {share * 100:.0f} % per aanbieder", FundingKind.INSPANNING,
                    model_for, EffortBased.incentive + "; het plafond legt het volumerisico boven het plafond bij "
                                                       "de aanbieder")


def output_per_client_month(tariffs: TariffTable, deliveries: dict[str, list[Delivery]], period: Period) -> Scenario:
    """One amount per client per product per month for the whole segment: the year's P×Q spending divided by
    its client-product months, so the total starts where it was and the money follows clients, not hours."""
    spent = sum(EffortBased(tariffs).earned(d, period).total_cents for d in deliveries.values())
    months = len({(d.client, d.product, d.month) for delivered in deliveries.values() for d in delivered
                  if d.volume > 0})
    amount = round(Decimal(spent) / months) if months else 0
    amounts = TariffTable({key: int(amount) for key in tariffs.cents})
    return Scenario("outputgericht: vast bedrag per cliënt per product per maand", FundingKind.OUTPUT,
                    lambda provider, delivered: OutputBased(amounts), OutputBased.incentive)


def lumpsum(tariffs: TariffTable, period: Period, decrease: Decimal) -> Scenario:
    """Task-based: each provider gets what it earned in the year, less the decrease, whatever it delivers."""

    def model_for(provider: str, delivered: Sequence[Delivery]) -> FundingModel:
        earned = EffortBased(tariffs).earned(delivered, period).total_cents
        return TaskBased(apply_rate(earned, 1 - decrease), period.start.year, period)

    return Scenario(f"taakgericht: lumpsum per aanbieder, {decrease * 100:.0f} % lager", FundingKind.TAAK, model_for,
                    TaskBased.incentive)


def hybrid(tariffs: TariffTable, period: Period, availability_share: Decimal) -> Scenario:
    """Hybrid: `availability_share` of what each provider earned as a fixed monthly fee, the rest of the money
    through tariffs lowered by the same share."""
    lowered = TariffTable({key: apply_rate(cents, 1 - availability_share) for key, cents in tariffs.cents.items()})

    def model_for(provider: str, delivered: Sequence[Delivery]) -> FundingModel:
        earned = EffortBased(tariffs).earned(delivered, period).total_cents
        monthly = apply_rate(earned, availability_share / len(period.months))
        return Hybrid(monthly, EffortBased(lowered))

    return Scenario(f"hybride: {availability_share * 100:.0f} % beschikbaarheid, rest P×Q", FundingKind.HYBRIDE,
                    model_for, Hybrid.incentive)
