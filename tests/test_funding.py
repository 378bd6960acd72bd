"""Funding models, settlement and cost sharing: hand-checked examples from the seeds, and money invariants."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from regiekamer.core.money import allocate_cents
from regiekamer.funding.calculate import (
    Ceiling,
    Delivery,
    EffortBased,
    Hybrid,
    OutputBased,
    Overspend,
    Period,
    Subsidy,
    TariffTable,
    TaskBased,
    Underspend,
)
from regiekamer.funding.settle import settle
from regiekamer.funding.shares import CostKey, share_costs

EURO = 100


def delivered(product: str, month: date, volume: int, tariff: int, client: str = "P1", municipality: str = "0505"):
    return Delivery(client, municipality, product, month, volume, volume * tariff)


def spread(product: str, year: int, units: int, tariff: int) -> list[Delivery]:
    """`units` delivered over the twelve months of a year (the remainder in December)."""
    per_month, rest = divmod(units, 12)
    return [delivered(product, date(year, month, 1), per_month + (rest if month == 12 else 0), tariff)
            for month in range(1, 13)]


# --- seed 000, Zuid-Limburg: integrated crisis care, a lumpsum over 3.5 years from 1 July 2019 ------------------
# "lumpsum over 3,5 jaar op basis van gegevens 2018, onderschrijding: investeren, overschrijding zelf opvangen"
# The amount is ours (the seed gives none): € 2,400,000 a year.

CRISIS_TARIFF = 100 * EURO
crisis = TaskBased(annual_budget_cents=2_400_000 * EURO, base_year=2019,
                   term=Period(date(2019, 7, 1), date(2022, 12, 31)), underspend=Underspend.REINVEST,
                   overspend=Overspend.PROVIDER,
                   reference=EffortBased(TariffTable({("46A01", y): CRISIS_TARIFF for y in range(2019, 2023)})))


def test_crisis_lumpsum_pays_half_a_year_in_2019_and_42_months_over_the_term():
    paid_2019 = crisis.payments([], Period.year(2019))
    assert [paid_2019[date(2019, m, 1)] for m in (6, 7, 12)] == [0, 200_000 * EURO, 200_000 * EURO]
    assert sum(paid_2019.values()) == 1_200_000 * EURO
    term = sum(sum(crisis.payments([], Period.year(y)).values()) for y in range(2019, 2024))
    assert term == 42 * 200_000 * EURO == 8_400_000 * EURO


def test_crisis_overspend_is_the_providers_and_underspend_is_reinvested():
    over = settle("crisis", crisis, spread("46A01", 2020, 26_500, CRISIS_TARIFF), Period.year(2020))
    assert over.earned.total_cents == 2_400_000 * EURO and over.balance_cents == 0
    assert "overschrijding van € 250.000,00: voor rekening van de aanbieder" in over.earned.lines[1].text
    under = settle("crisis", crisis, spread("46A01", 2021, 21_000, CRISIS_TARIFF), Period.year(2021))
    assert under.earned.total_cents == 2_400_000 * EURO and under.balance_cents == 0
    assert "herinvesteren" in under.earned.lines[1].text
    reclaimed = TaskBased(2_400_000 * EURO, 2019, crisis.term, underspend=Underspend.RECLAIM,
                          reference=crisis.reference)
    statement = settle("crisis", reclaimed, spread("46A01", 2021, 21_000, CRISIS_TARIFF), Period.year(2021))
    assert (statement.earned.total_cents, statement.balance_cents) == (2_100_000 * EURO, -300_000 * EURO)


# --- seed 001, Zuid-Holland Zuid: a decreasing lumpsum ("afnemende lumpsum") -------------------------------------

def test_decreasing_lumpsum_falls_five_percent_a_year_and_its_advances_add_up_to_the_cent():
    lumpsum = TaskBased(2_000_000 * EURO, 2022, Period(date(2022, 1, 1), date(2025, 12, 31)),
                        yearly_decrease=Decimal("0.05"))
    assert [lumpsum.budget(y) for y in range(2022, 2026)] == [
        200_000_000, 190_000_000, 180_500_000, 171_475_000]
    advances = lumpsum.monthly(2025)
    # 171,475,000 / 12 = 14,289,583.33: the four cents left go to the first four months
    assert [advances[date(2025, m, 1)] for m in (1, 4, 5, 12)] == [14_289_584, 14_289_584, 14_289_583, 14_289_583]
    assert sum(advances.values()) == 171_475_000


# --- seed 000: the certified institutions' subsidy: advance from forecast × tariff, settled afterwards ------------

OTS = 123_456  # € 1,234.56 per client per month (ours)
gi = Subsidy(forecast={("48A01", 2020): 1_200}, tariffs=TariffTable({("48A01", 2020): OTS}))


def test_gi_subsidy_advance_and_settlement():
    assert gi.advance(2020) == 1_481_472 * EURO
    assert gi.payments([], Period.year(2020))[date(2020, 3, 1)] == 123_456 * EURO
    realised = spread("48A01", 2020, 1_250, OTS)
    statement = settle("GI", gi, realised, Period.year(2020))
    assert (statement.paid_cents, statement.earned.total_cents) == (1_481_472 * EURO, 1_543_200 * EURO)
    assert statement.balance_cents == 61_728 * EURO  # the municipality pays the rest
    capped = Subsidy(gi.forecast, gi.tariffs, granted_cents={2020: 1_500_000 * EURO})
    assert settle("GI", capped, realised, Period.year(2020)).balance_cents == 18_528 * EURO


# --- seed 003, Leusden: effort-based with a hard ceiling per provider ------------------------------------------

def test_a_hard_ceiling_is_paid_back_and_a_soft_one_only_signalled():
    tariffs = TariffTable({("45A48", 2024): 75 * EURO})
    deliveries = spread("45A48", 2024, 1_400, 75 * EURO)  # € 105,000 declared and paid
    hard = settle("A", EffortBased(tariffs, ceiling_cents=100_000 * EURO), deliveries, Period.year(2024))
    assert (hard.paid_cents, hard.earned.total_cents, hard.balance_cents) == (
        105_000 * EURO, 100_000 * EURO, -5_000 * EURO)
    soft = settle("A", EffortBased(tariffs, 100_000 * EURO, Ceiling.SOFT), deliveries, Period.year(2024))
    assert (soft.earned.total_cents, soft.balance_cents) == (105_000 * EURO, 0)
    assert "zacht" in soft.earned.lines[-1].text


def test_tariffs_are_indexed_every_year_and_rounded_to_the_cent():
    table = TariffTable.indexed({"45A48": 7250}, 2023, {2024: Decimal("0.035"), 2025: Decimal("0.03")})
    assert [table.tariff("45A48", y) for y in (2023, 2024, 2025)] == [7250, 7504, 7729]  # 7503.75, 7729.12


def test_output_pays_a_fixed_amount_per_client_month_and_ignores_months_credited_to_zero():
    model = OutputBased(TariffTable({("48A01", 2024): 850 * EURO}))
    deliveries = [delivered("48A01", date(2024, m, 1), 1, 850 * EURO, client=c) for c in ("P1", "P2", "P3")
                  for m in (1, 2, 3, 4)]
    deliveries.append(Delivery("P3", "0505", "48A01", date(2024, 4, 1), -1, -850 * EURO))  # credited
    earned = model.earned(deliveries, Period.year(2024))
    assert earned.total_cents == 11 * 850 * EURO and earned.lines[0].records == 11


def test_hybrid_pays_availability_every_month_plus_use():
    model = Hybrid(50_000 * EURO, EffortBased(TariffTable({("46A03", 2024): 380 * EURO})))
    deliveries = [delivered("46A03", date(2024, 2, 1), 10, 380 * EURO)]
    statement = settle("crisis", model, deliveries, Period(date(2024, 1, 1), date(2024, 3, 31)))
    assert statement.earned.total_cents == 3 * 50_000 * EURO + 3_800 * EURO
    assert statement.balance_cents == 0  # availability and use were paid as they came


# --- cost sharing -----------------------------------------------------------------------------------------------

def test_a_regional_cost_split_by_residents_0_17_adds_up_to_the_cent():
    shares = share_costs(1_000_000 * EURO, CostKey.POPULATION,
                         population={"0505": 24_000, "0482": 4_300, "1963": 17_500})
    # exact: 52,401,746.72 / 9,388,646.29 / 38,209,606.99 cents; the two cents left go to the largest fractions
    assert shares == {"0505": 52_401_747, "0482": 9_388_646, "1963": 38_209_607}
    assert sum(shares.values()) == 1_000_000 * EURO
    with pytest.raises(ValueError, match="geen gegevens"):
        share_costs(100, CostKey.USE, use={})


# --- invariants -------------------------------------------------------------------------------------------------

@given(total=st.integers(min_value=-10**12, max_value=10**12),
       weights=st.dictionaries(st.text(min_size=1, max_size=4), st.integers(min_value=0, max_value=10**9),
                               min_size=1, max_size=30).filter(lambda w: sum(w.values()) > 0))
def test_allocation_never_creates_or_loses_a_cent(total, weights):
    shares = allocate_cents(total, weights)
    assert sum(shares.values()) == total
    whole = sum(weights.values())
    for key, cents in shares.items():
        assert abs(Decimal(cents) - Decimal(total) * weights[key] / whole) < 1


volumes = st.lists(st.tuples(st.integers(1, 12), st.integers(-3, 40)), min_size=0, max_size=40)


@given(volumes=volumes, tariff=st.integers(1, 50_000))
def test_effort_based_without_ceiling_earns_exactly_what_was_declared(volumes, tariff):
    deliveries = [delivered("45A48", date(2024, month, 1), volume, tariff) for month, volume in volumes]
    statement = settle("A", EffortBased(TariffTable({("45A48", 2024): tariff})), deliveries, Period.year(2024))
    assert statement.earned.total_cents == sum(d.amount_cents for d in deliveries) == statement.paid_cents
    assert statement.balance_cents == 0


@given(budget=st.integers(0, 10**11), decrease=st.decimals("0", "0.2", places=3), year=st.integers(2020, 2030),
       start_month=st.integers(1, 12))
def test_task_advances_add_up_to_the_budget_of_the_months_in_the_term(budget, decrease, year, start_month):
    model = TaskBased(budget, 2020, Period(date(2020, start_month, 1), date(2030, 12, 31)), yearly_decrease=decrease)
    paid = model.payments([], Period.year(year))
    in_term = [month for month in paid if month >= model.term.start]
    assert sum(paid.values()) == sum(model.monthly(year)[month] for month in in_term)
    if year > 2020:
        assert sum(paid.values()) == model.budget(year)
    assert model.earned([], Period.year(year)).total_cents == sum(paid.values())


@given(total=st.integers(0, 10**10), populations=st.lists(st.integers(1, 100_000), min_size=1, max_size=16))
def test_cost_shares_always_add_up(total, populations):
    keyed = {f"{i:04d}": p for i, p in enumerate(populations)}
    for key, data in ((CostKey.POPULATION, {"population": keyed}), (CostKey.USE, {"use": keyed}),
                      (CostKey.FIXED, {"fixed": {k: Decimal(v) for k, v in keyed.items()}})):
        assert sum(share_costs(total, key, **data).values()) == total


def test_terms_from_the_register_become_the_right_model_or_a_clear_error():
    from regiekamer.funding.terms import TermsError, model_from_terms

    tariffs = TariffTable({("45A48", 2024): 7500})
    lumpsum = model_from_terms("taak", {"annual_budget_cents": 120_000_000, "start": "2023-07-01",
                                        "end": "2026-12-31", "yearly_decrease": "0.03"}, tariffs)
    assert isinstance(lumpsum, TaskBased) and lumpsum.budget(2024) == 116_400_000
    assert isinstance(model_from_terms("inspanning", {"ceiling_cents": 500}, tariffs), EffortBased)
    indexed = model_from_terms("inspanning", {"indexation": {"2025": "0.035", "2026": "0.02"}}, tariffs)
    assert [indexed.tariffs.tariff("45A48", y) for y in (2024, 2025, 2026)] == [7500, 7763, 7918]  # 7762.5, 7918.26
    for kind, params, field in (("taak", {"annual_budget_cents": 1.5, "start": "2023-01-01", "end": "2023-12-31"},
                                 "annual_budget_cents"),
                                ("taak", {"annual_budget_cents": 1, "start": "2023-01-01", "end": "2022-12-31"}, "end"),
                                ("taak", {"annual_budget_cents": 1, "start": "2023-01-01", "end": "2023-12-31",
                                          "yearly_decrease": "1.5"}, "yearly_decrease"),
                                ("inspanning", {"ceiling": "half"}, "ceiling"),
                                ("subsidie", {}, "forecast"),
                                ("lumpsum", {}, "kind")):
        with pytest.raises(TermsError) as caught:
            model_from_terms(kind, params, tariffs)
        assert caught.value.field == field


# --- forecasts ----------------------------------------------------------------------------------------------

def test_forecast_scales_the_year_so_far_with_the_history_and_gives_the_range():
    from regiekamer.funding.forecast import forecast_year

    flat = [100] * 12  # half the year by June
    late = [50] * 6 + [150] * 6  # a quarter of the year by June
    forecast = forecast_year([120] * 6 + [0] * 6, 6, [flat, late])
    assert forecast.realised_cents == 720
    assert (forecast.low_cents, forecast.high_cents) == (1440, 2880)  # 720 / 0.5 and 720 / 0.25
    # both years together had reached 900 / 2400 = 0.375 by June; halfway to an even 0.5 is 0.4375
    assert forecast.point_cents == 1646  # 720 / 0.4375 = 1645.7
    assert forecast.path_cents[5] == 720 and forecast.path_cents[11] == 1646
    assert list(forecast.path_cents) == sorted(forecast.path_cents)
    assert forecast.crossing_month(1_500) == next(m for m, c in enumerate(forecast.path_cents, 1) if c > 1_500)
    assert forecast.crossing_month(5_000) is None


def test_forecast_without_history_runs_on_at_the_rate_so_far():
    from regiekamer.funding.forecast import forecast_year

    forecast = forecast_year([100, 200, 300] + [0] * 9, 3, [])
    assert (forecast.point_cents, forecast.low_cents, forecast.high_cents) == (2400, 1500, 3300)
    assert "geen eerdere jaren" in forecast.method
    complete = forecast_year([100] * 12, 12, [])
    assert complete.point_cents == complete.low_cents == complete.high_cents == 1200
