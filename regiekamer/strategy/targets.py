"""A KPI target judged against what its KPI measured: pure functions, used by the contract pages and alerts
(tenders) and the council report (reports).

An absolute target compares the KPI's value in the year with its norm, in the KPI's unit ("hoogstens € 30.000").
A relative target has a base year (`basisjaar`): its norm is a change in percent, and the KPI's value in the year
is compared with its value in the base year ("ten minste 5 % lager dan in 2022"). When the base year has no data,
the target cannot be measured, and the text says so; another year is never silently taken instead.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from regiekamer.strategy.constants import KpiDirection

Number = Decimal | int


@dataclass(frozen=True)
class Reading:
    """A KPI's value for one year and scope: `value` None when there is no data, `suppressed` when it rests on
    too few persons to show (monitoring.kpis.SMALL_CELL)."""

    value: Number | None
    suppressed: bool = False


NO_DATA = Reading(None)


class Outcome(enum.StrEnum):
    MEASURED = "gemeten"
    NO_DATA = "geen-gegevens"  # nothing in the year
    TOO_FEW = "te-weinig"  # too few persons in the year
    NO_BASE = "geen-basisjaar"  # nothing in the base year
    BASE_TOO_FEW = "basisjaar-te-weinig"
    BASE_ZERO = "basisjaar-nul"  # a change against 0 is no percentage


@dataclass(frozen=True)
class Judgement:
    outcome: Outcome
    compared: Number | None  # what is held against the norm: the KPI's value, or its change in percent
    missed: bool | None  # None when not measured
    now: Number | None = None
    base: Number | None = None


def is_missed(value: Number, norm: Number, direction: str) -> bool:
    return value > norm if direction == KpiDirection.MAX else value < norm


def change_percent(now: Number, base: Number) -> Decimal:
    """100 × (now / base − 1), to one decimal (half up): the figure shown is the figure judged."""
    return (Decimal(now) * 100 / Decimal(base) - 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def judge(norm: Number, direction: str, now: Reading, base_year: int | None = None,
          base: Reading = NO_DATA) -> Judgement:
    """The target against the year's reading (and, for a relative target, the base year's, which is looked at
    first: without it the target cannot be measured whatever the year shows)."""
    if base_year is not None:
        shown_now = None if now.suppressed else now.value
        if base.suppressed:
            return Judgement(Outcome.BASE_TOO_FEW, None, None, shown_now)
        if base.value is None:
            return Judgement(Outcome.NO_BASE, None, None, shown_now)
        if not base.value:
            return Judgement(Outcome.BASE_ZERO, None, None, shown_now, base.value)
    if now.suppressed:
        return Judgement(Outcome.TOO_FEW, None, None)
    if now.value is None:
        return Judgement(Outcome.NO_DATA, None, None)
    if base_year is None:
        return Judgement(Outcome.MEASURED, now.value, is_missed(now.value, norm, direction), now.value)
    change = change_percent(now.value, base.value)
    return Judgement(Outcome.MEASURED, change, is_missed(change, norm, direction), now.value, base.value)


def percent_text(value: Number) -> str:
    number = Decimal(value)
    shown = format(number.normalize(), "f") if number != number.to_integral_value() else str(int(number))
    return shown.replace(".", ",")


def relative_norm_text(norm: Number, direction: str, base_year: int) -> str:
    """"ten minste 5 % lager dan in 2022", "hoogstens 3 % hoger dan in 2022", "niet hoger dan in 2022"."""
    size, lower = percent_text(abs(Decimal(norm))), Decimal(norm) < 0
    if not norm:
        return f"niet {'hoger' if direction == KpiDirection.MAX else 'lager'} dan in {base_year}"
    bound = "ten minste" if (direction == KpiDirection.MAX) == lower else "hoogstens"
    return f"{bound} {size} % {'lager' if lower else 'hoger'} dan in {base_year}"


def norm_text(norm: Number, direction: str, base_year: int | None, shown: Callable[[Number], str]) -> str:
    """The target in words; `shown` writes a value in the KPI's unit (cents as euros, …)."""
    if base_year is not None:
        return relative_norm_text(norm, direction, base_year)
    return f"{'hoogstens' if direction == KpiDirection.MAX else 'ten minste'} {shown(norm)}"


def result_text(judgement: Judgement, year: int, base_year: int | None, shown: Callable[[Number], str],
                small_cell: int = 5) -> str:
    """What was measured, or why nothing could be, in Dutch."""
    match judgement.outcome:
        case Outcome.TOO_FEW:
            return f"te weinig cliënten (minder dan {small_cell}) om te meten"
        case Outcome.NO_DATA:
            return f"geen gegevens over {year}"
        case Outcome.NO_BASE:
            now = f" ({shown(judgement.now)} in {year})" if judgement.now is not None else ""
            return (f"Over {base_year} zijn geen gegevens: de verandering ten opzichte van {base_year} is niet te "
                    f"meten{now}")
        case Outcome.BASE_TOO_FEW:
            return f"in {base_year} te weinig cliënten (minder dan {small_cell}) om een verandering te meten"
        case Outcome.BASE_ZERO:
            return f"in {base_year} was de waarde 0: een verandering in procenten is niet te meten"
    if base_year is None:
        return shown(judgement.compared)
    change = Decimal(judgement.compared)
    word = "hoger" if change > 0 else "lager" if change < 0 else "gelijk"
    size = f"{percent_text(abs(change))} % {word}" if change else "gelijk"
    return (f"{size} dan in {base_year} ({shown(judgement.base)} in {base_year}, {shown(judgement.now)} "
            f"in {year})").replace("gelijk dan in", "gelijk aan")
