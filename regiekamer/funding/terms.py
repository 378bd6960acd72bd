"""Funding terms as a contract records them (plain data, e.g. from region.json), turned into a funding model.

    inspanning  {"ceiling_cents": 10000000, "ceiling": "hard"}        ceiling optional; tariffs from the contract;
                {"indexation": {"2025": "0.035"}}                     years without a tariff of their own get the
                                                                      year before's, indexed (rounded to the cent)
    output      {}                                                    the amount per client month is the tariff
    taak        {"annual_budget_cents": ..., "base_year": 2023, "start": "2023-01-01", "end": "2026-12-31",
                 "yearly_decrease": "0.03", "underspend": "herinvesteren", "overspend": "aanbieder"}
    hybride     {"availability_cents_per_month": 4000000}               use is paid at the contract tariffs
    subsidie    {"forecast": {"48A01": {"2024": 1200}}, "granted_cents": {"2024": 150000000}}

Task-based and hybrid terms may name how their cost is shared over the municipalities ("cost_key":
"inwoners 0-17", "gebruik" or "vaste verdeelsleutel" with "shares"); the default is residents 0-17.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from regiekamer.core.money import apply_rate
from regiekamer.funding.calculate import (
    Ceiling,
    EffortBased,
    FundingKind,
    FundingModel,
    Hybrid,
    OutputBased,
    Overspend,
    Period,
    Subsidy,
    TariffTable,
    TaskBased,
    Underspend,
)
from regiekamer.funding.shares import CostKey


class TermsError(ValueError):
    """Funding terms that cannot be used; names the field and the rule."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


def _cents(params: dict, name: str, required: bool = True) -> int | None:
    value = params.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise TermsError(name, "moet een niet-negatief geheel aantal eurocent zijn")
    return value


def _day(params: dict, name: str) -> date:
    try:
        return date.fromisoformat(params[name])
    except (KeyError, TypeError, ValueError):
        raise TermsError(name, "moet een datum JJJJ-MM-DD zijn") from None


def _choice(params: dict, name: str, enum_type, default):
    try:
        return enum_type(params.get(name, default))
    except ValueError:
        allowed = ", ".join(member.value for member in enum_type)
        raise TermsError(name, f"moet een van {allowed} zijn") from None


def _fraction(params: dict, name: str) -> Decimal:
    try:
        value = Decimal(str(params.get(name, "0")))
    except InvalidOperation:
        raise TermsError(name, "moet een getal zijn, bijv. \"0.03\"") from None
    if not 0 <= value < 1:
        raise TermsError(name, "moet tussen 0 en 1 liggen")
    return value


def cost_key(params: dict) -> CostKey:
    return _choice(params, "cost_key", CostKey, CostKey.POPULATION)


def fixed_shares(params: dict) -> dict[str, Decimal]:
    shares = params.get("shares") or {}
    try:
        return {municipality: Decimal(str(share)) for municipality, share in shares.items()}
    except (InvalidOperation, AttributeError):
        raise TermsError("shares", "moet per gemeentecode een aandeel geven") from None


def _indexed(tariffs: TariffTable, params: dict) -> TariffTable:
    """The contract's tariffs, completed for the years in "indexation" from the year before."""
    indexation = params.get("indexation") or {}
    try:
        rates = {int(year): Decimal(str(rate)) for year, rate in indexation.items()}
    except (AttributeError, ValueError, InvalidOperation):
        raise TermsError("indexation", "geef per jaar een indexatie, bijv. {\"2025\": \"0.035\"}") from None
    cents = dict(tariffs.cents)
    for year in sorted(rates):
        for product in {product for product, _ in tariffs.cents}:
            if (product, year) not in cents and (product, year - 1) in cents:
                cents[(product, year)] = apply_rate(cents[(product, year - 1)], 1 + rates[year])
    return TariffTable(cents)


def model_from_terms(kind: str, params: dict, tariffs: TariffTable) -> FundingModel:
    """The funding model these terms describe, with the contract's tariffs; raises TermsError."""
    try:
        funding = FundingKind(kind)
    except ValueError:
        raise TermsError("kind", f"onbekend bekostigingsmodel {kind!r}") from None
    if funding is FundingKind.INSPANNING:
        return EffortBased(_indexed(tariffs, params), _cents(params, "ceiling_cents", required=False),
                           _choice(params, "ceiling", Ceiling, Ceiling.HARD))
    if funding is FundingKind.OUTPUT:
        return OutputBased(tariffs)
    if funding is FundingKind.TAAK:
        start, end = _day(params, "start"), _day(params, "end")
        if end < start:
            raise TermsError("end", "ligt voor start")
        base_year = params.get("base_year", start.year)
        if not isinstance(base_year, int):
            raise TermsError("base_year", "moet een jaartal zijn")
        cents = _cents(params, "annual_budget_cents")
        assert cents is not None
        return TaskBased(cents, base_year, Period(start, end), _fraction(params, "yearly_decrease"),
                         _choice(params, "underspend", Underspend, Underspend.REINVEST),
                         _choice(params, "overspend", Overspend, Overspend.PROVIDER),
                         reference=EffortBased(tariffs) if tariffs.cents else None)
    if funding is FundingKind.HYBRIDE:
        cents = _cents(params, "availability_cents_per_month")
        assert cents is not None
        return Hybrid(cents, EffortBased(tariffs))
    forecast = params.get("forecast")
    if not isinstance(forecast, dict) or not forecast:
        raise TermsError("forecast", "geef per product per jaar het verwachte volume")
    try:
        volumes = {(product, int(year)): int(volume) for product, years in forecast.items()
                   for year, volume in years.items()}
        granted = {int(year): int(cents) for year, cents in (params.get("granted_cents") or {}).items()}
    except (AttributeError, TypeError, ValueError):
        raise TermsError("forecast", "geef per product per jaar het verwachte volume (gehele getallen)") from None
    return Subsidy(volumes, tariffs, granted)
