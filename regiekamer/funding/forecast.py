"""Forecast to year end, with an interval drawn from the region's own history, and the month a budget or
ceiling is expected to be crossed. Pure: it works on monthly amounts in cents.

Method (documented in docs/funding.md): for the earlier years with twelve months of data, the share of the
year's total that had come in by the same month; the forecast is what came in so far divided by that share.
The point forecast uses the earlier years taken together, their share moved halfway towards an even spread
(months / 12) so that a few large cases cannot swing it; the interval runs from the lowest to the highest
forecast that any single earlier year, or the run rate so far, gives. Without history the year is
extrapolated at the run rate, with an interval from the lowest and highest month.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from statistics import median


@dataclass(frozen=True)
class Forecast:
    realised_cents: int  # in the complete months so far
    months: int  # complete months so far
    point_cents: int
    low_cents: int
    high_cents: int
    method: str
    path_cents: tuple[int, ...]  # expected cumulative amount at the end of every month, January to December

    def crossing_month(self, limit_cents: int | None) -> int | None:
        """The month (1-12) in which the expected cumulative amount passes the limit, if it does."""
        if limit_cents is None:
            return None
        for month, cumulative in enumerate(self.path_cents, start=1):
            if cumulative > limit_cents:
                return month
        return None


def _round(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def forecast_year(this_year: list[int], months: int, history: list[list[int]]) -> Forecast:
    """`this_year`: amounts per month (at least `months` of them complete); `history`: earlier years, twelve
    monthly amounts each."""
    if not 0 <= months <= 12:
        raise ValueError("months must be between 0 and 12")
    done = this_year[:months]
    realised = sum(done)
    full_years = [year for year in history if len(year) == 12 and sum(year) > 0]
    if months == 12:
        path = _cumulative(done)
        return Forecast(realised, 12, realised, realised, realised, "het jaar is compleet", path)
    if months == 0:
        totals = [sum(year) for year in full_years] or [0]
        point = _round(Decimal(median(totals)))
        shape = _shape(full_years)
        return Forecast(0, 0, point, min(totals), max(totals), "nog geen maanden: de eerdere jaren",
                        tuple(_round(Decimal(point) * share) for share in shape))
    estimates = []
    for year in full_years:
        share = Decimal(sum(year[:months])) / Decimal(sum(year))
        if share > 0:
            estimates.append(Decimal(realised) / share)
    pooled = sum(Decimal(sum(year[:months])) for year in full_years)
    if estimates and pooled > 0:
        # the point: the share of the year the earlier years had reached by now, taken together and moved
        # halfway towards an even spread, so that a few large cases in an earlier year cannot swing it;
        # the interval: the lowest and highest that any single earlier year's course, or the run rate, gives
        share = (pooled / sum(Decimal(sum(year)) for year in full_years) + Decimal(months) / 12) / 2
        point = _round(Decimal(realised) / share)
        run_rate = Decimal(realised) * 12 / months
        low = min(_round(min(estimates)), _round(run_rate), point)
        high = max(_round(max(estimates)), _round(run_rate), point)
        method = f"realisatie tot en met maand {months}, geschaald met het verloop van {len(estimates)} eerdere jaren"
    else:
        rate = Decimal(realised) / months
        point = _round(rate * 12)
        low = realised + min(done) * (12 - months)
        high = realised + max(done) * (12 - months)
        method = f"geen eerdere jaren: het gemiddelde van {months} maanden doorgetrokken"
    remaining = point - realised
    shape = _shape(full_years)
    path = list(_cumulative(done))
    for share in remaining_shares(shape, months):
        path.append(realised + _round(Decimal(remaining) * share))
    path[-1] = point  # whatever rounding left, December ends on the forecast
    return Forecast(realised, months, point, low, high, method, tuple(path))


def _cumulative(amounts: list[int]) -> tuple[int, ...]:
    total, path = 0, []
    for amount in amounts:
        total += amount
        path.append(total)
    return tuple(path)


def _shape(full_years: list[list[int]]) -> list[Decimal]:
    """Cumulative share of the year by the end of each month, averaged over the earlier years (even without)."""
    if not full_years:
        return [Decimal(month) / 12 for month in range(1, 13)]
    shares = []
    for month in range(1, 13):
        shares.append(sum(Decimal(sum(year[:month])) / Decimal(sum(year)) for year in full_years) / len(full_years))
    return shares


def remaining_shares(shape: list[Decimal], months: int) -> list[Decimal]:
    """For each month still to come, the cumulative share of the rest of the year reached by its end (the
    last one is 1)."""
    before = shape[months - 1] if months else Decimal(0)
    left = 1 - before
    if left <= 0:
        return [Decimal(index) / (12 - months) for index in range(1, 13 - months)]
    return [(shape[month] - before) / left for month in range(months, 12)]
