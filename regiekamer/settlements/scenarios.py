"""Scenario comparison for one segment over a year's real deliveries (see regiekamer/funding/scenario.py)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from regiekamer.contracts.models import FundingTerms
from regiekamer.funding import scenario as scenarios
from regiekamer.funding.calculate import Delivery, FundingKind, Period, TariffTable
from regiekamer.regions.models import Population
from regiekamer.settlements.statements import deliveries, tariff_table

DECLARED = (FundingKind.INSPANNING, FundingKind.OUTPUT, FundingKind.HYBRIDE)


def segment_data(segment: str, year: int) -> tuple[dict[str, list[Delivery]], TariffTable]:
    """The segment's accepted deliveries per provider (AGB code) and its tariffs, for the lots paid per client."""
    per_provider: dict[str, list[Delivery]] = defaultdict(list)
    cents: dict[tuple[str, int], int] = {}
    for terms in (FundingTerms.objects.filter(lot__segment__code=segment, kind__in=DECLARED)
                  .select_related("contract__provider")):
        per_provider[terms.contract.provider.agb_code].extend(deliveries(terms, year))
        cents.update(tariff_table(terms).cents)
    return {agb: rows for agb, rows in per_provider.items() if rows}, TariffTable(cents)


def compare(segment: str, year: int, *, tariff_change: Decimal = Decimal("0.03"),
            ceiling_share: Decimal = Decimal("0.95"), lumpsum_decrease: Decimal = Decimal("0.03"),
            availability_share: Decimal = Decimal("0.30")) -> list[scenarios.Outcome]:
    delivered, tariffs = segment_data(segment, year)
    period = Period.year(year)
    population = dict(Population.objects.filter(year=year).values_list("municipality__cbs_code", "age_0_17"))
    options = [
        scenarios.current(tariffs),
        scenarios.tariff_change(tariffs, tariff_change),
        scenarios.hard_ceiling(tariffs, ceiling_share, period),
        scenarios.output_per_client_month(tariffs, delivered, period),
        scenarios.lumpsum(tariffs, period, lumpsum_decrease),
        scenarios.hybrid(tariffs, period, availability_share),
    ]
    return scenarios.run(options, delivered, period, population)


def as_json(segment: str, year: int, outcomes: list[scenarios.Outcome]) -> dict:
    return {"segment": segment, "jaar": year,
            "scenarios": [{"naam": o.scenario.name, "bekostiging": o.scenario.kind.value,
                           "prikkel": o.scenario.incentive, "totaal_cent": o.total_cents,
                           "opbrengst_per_aanbieder_cent": o.revenue, "kosten_per_gemeente_cent": o.cost}
                          for o in outcomes],
            "definitie": "Elk scenario rekent met dezelfde toegekende leveringen van het jaar. Opbrengst: wat de "
                         "aanbieder in dat model zou verdienen; kosten: wat elke gemeente zou betalen (naar gebruik, "
                         "lumpsum en beschikbaarheid naar inwoners 0-17). De alternatieven starten op het niveau van "
                         "het jaar zelf, zodat het verschil de herverdeling en de prikkel laat zien."}
