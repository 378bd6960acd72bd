"""Settlement statements: per provider what it earned under each contract's funding terms against what it was
paid, and per municipality its cost, split so that the two views reconcile to the cent.

The records behind them: the accepted declaration lines (net of credits), the tariffs and funding terms of
the contract register, and the residents 0-17 for cost shared by population.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Case, F, IntegerField, Q, Sum, When

from regiekamer.contracts.models import FundingTerms, Tariff
from regiekamer.core.money import allocate_cents
from regiekamer.declarations.constants import DebitCredit
from regiekamer.declarations.models import DeclarationLine, signed_amount
from regiekamer.funding.calculate import Delivery, FundingKind, Period, TariffTable
from regiekamer.funding.settle import Statement, settle
from regiekamer.funding.shares import CostKey, share_costs
from regiekamer.funding.terms import cost_key, fixed_shares, model_from_terms
from regiekamer.regions.models import Population

SHARED_BY_KEY = {FundingKind.TAAK, FundingKind.HYBRIDE}  # costs not tied to one municipality's clients


@dataclass(frozen=True)
class LotStatement:
    provider: str  # AGB code
    provider_name: str
    contract: str
    segment: str
    lot: str
    statement: Statement
    municipality_shares: dict[str, int]  # CBS code -> cents of statement.earned.total_cents


def _signed_volume() -> Case:
    return Case(When(debit_credit=DebitCredit.CREDIT, then=-F("volume")), default=F("volume"),
                output_field=IntegerField())


def deliveries(terms: FundingTerms, year: int) -> list[Delivery]:
    """The provider's accepted lines in the lot in the year, net of credits, per client, product and month."""
    rows = (DeclarationLine.objects.accepted().in_year(year)
            .filter(provider_id=terms.contract.provider_id, product__lot_id=terms.lot_id)
            .values("client__pseudonym", "municipality__cbs_code", "product_code", "period_start")
            .annotate(volume=Sum(_signed_volume()), amount=Sum(signed_amount())))
    return [Delivery(row["client__pseudonym"] or "", row["municipality__cbs_code"], row["product_code"],
                     row["period_start"].replace(day=1), row["volume"], row["amount"]) for row in rows]


def tariff_table(terms: FundingTerms) -> TariffTable:
    """The lot's tariffs per product and year; a tariff agreed in this contract wins over the regional one."""
    cents: dict[tuple[str, int], int] = {}
    regional_or_own = Q(contract=None) | Q(contract_id=terms.contract_id)
    for tariff in (Tariff.objects.filter(regional_or_own, product__lot_id=terms.lot_id).select_related("product")
                   .order_by(F("contract_id").asc(nulls_first=True))):  # regional first, the contract's own after
        cents[(tariff.product.code, tariff.valid_from.year)] = tariff.amount_cents
    return TariffTable(cents)


def _population(year: int) -> dict[str, int]:
    rows = Population.objects.filter(year=year).values_list("municipality__cbs_code", "age_0_17")
    return dict(rows) or dict(Population.objects.order_by("year").values_list("municipality__cbs_code", "age_0_17"))


def _shares(terms: FundingTerms, statement: Statement, use: dict[str, int], population: dict[str, int]
            ) -> dict[str, int]:
    total = statement.earned.total_cents
    if total == 0:
        return {}
    key = cost_key(terms.params) if terms.kind in SHARED_BY_KEY else CostKey.USE
    if key is CostKey.USE and not any(use.values()):
        key = CostKey.POPULATION  # nothing declared: shared like a lumpsum
    if key is CostKey.FIXED:
        return share_costs(total, key, fixed=fixed_shares(terms.params))
    if key is CostKey.POPULATION:
        return share_costs(total, key, population=population)
    return allocate_cents(total, {m: cents for m, cents in use.items() if cents}, order=sorted(use))


def lot_statements(year: int, provider: str | None = None) -> list[LotStatement]:
    """A statement for every contract lot with funding terms, for the year."""
    population = _population(year)
    terms_list = (FundingTerms.objects.select_related("contract__provider", "lot__segment")
                  .filter(contract__start__lte=date(year, 12, 31), contract__end__gte=date(year, 1, 1))
                  .order_by("contract__provider__agb_code", "lot__code"))
    if provider:
        terms_list = terms_list.filter(contract__provider__agb_code=provider)
    result = []
    for terms in terms_list:
        model = model_from_terms(terms.kind, terms.params, tariff_table(terms))
        delivered = deliveries(terms, year)
        statement = settle(terms.contract.provider.agb_code, model, delivered, Period.year(year))
        use: dict[str, int] = defaultdict(int)
        for delivery in delivered:
            use[delivery.municipality] += delivery.amount_cents
        result.append(LotStatement(terms.contract.provider.agb_code, terms.contract.provider.name,
                                   terms.contract.reference, terms.lot.segment.code, terms.lot.code, statement,
                                   _shares(terms, statement, use, population)))
    return result


def municipality_costs(statements: list[LotStatement]) -> dict[str, dict[str, int]]:
    """Per municipality, per segment: its share of what the providers earned."""
    costs: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for lot in statements:
        for municipality, cents in lot.municipality_shares.items():
            costs[municipality][lot.segment] += cents
    return {m: dict(segments) for m, segments in sorted(costs.items())}
