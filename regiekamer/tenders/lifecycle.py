"""Contract lifecycle alerts: pure functions over plain data.

- expiry: the contract ends within EXPIRY_MONTHS months of the day;
- extension decision due: an extension is left (the term "4+1+1" minus the years already run past the first term)
  and the contract ends within EXTENSION_NOTICE_MONTHS months;
- KPI target missed: the provider's value of a KPI of the KPI set (matched by id) for the last complete year
  is above a "max" norm or below a "min" norm; for a target with a base year, the value's change in percent
  against the base year (strategy.targets).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from regiekamer.strategy import targets
from regiekamer.tenders.constants import EXPIRY_MONTHS, EXTENSION_NOTICE_MONTHS, AlertKind


@dataclass(frozen=True)
class Alert:
    contract: str  # reference
    kind: AlertKind
    message: str


@dataclass(frozen=True)
class KpiResult:
    name: str
    norm: Decimal
    direction: str  # "max" or "min"
    value: Decimal | int | None  # with a base year: the change in percent against it; None: not measured
    base_year: int | None = None


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    days = [31, 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28, 31, 30, 31, 30, 31, 31, 30,
            31, 30, 31][month - 1]
    return date(year, month, min(day.day, days))


def extensions_left(term: str, start: date, end: date) -> int:
    """From a term like "4+1+1": the extensions not yet used, judged by how many whole years the contract runs."""
    parts = [p for p in term.split("+") if p]
    if len(parts) < 2:
        return 0
    try:
        first = Decimal(parts[0])
    except ArithmeticError:
        return 0
    years = Decimal(round((end - start).days / Decimal("365.25")))
    used, count = years - first, 0
    for part in parts[1:]:
        if used > 0:
            used -= Decimal(part)
        else:
            count += 1
    return count


def alerts(reference: str, start: date, end: date, term: str, kpis: list[KpiResult], today: date) -> list[Alert]:
    found = []
    if today <= end <= add_months(today, EXPIRY_MONTHS):
        found.append(Alert(reference, AlertKind.EXPIRY, f"Het contract loopt af op {end:%d-%m-%Y}."))
    if today <= end <= add_months(today, EXTENSION_NOTICE_MONTHS) and extensions_left(term, start, end):
        found.append(Alert(reference, AlertKind.EXTENSION,
                           f"Besluit over verlenging nodig: het contract ({term}) eindigt op {end:%d-%m-%Y}."))
    for kpi in kpis:
        if kpi.value is None or not targets.is_missed(kpi.value, kpi.norm, kpi.direction):
            continue
        if kpi.base_year is None:
            word = "hoogstens" if kpi.direction == "max" else "minstens"
            message = f"{kpi.name}: {kpi.value}, doel {word} {kpi.norm}."
        else:
            change = targets.percent_text(kpi.value)
            message = (f"{kpi.name}: {change} % ten opzichte van {kpi.base_year}, doel "
                       f"{targets.relative_norm_text(kpi.norm, kpi.direction, kpi.base_year)}.")
        found.append(Alert(reference, AlertKind.KPI_MISSED, message))
    return found
